#pragma once
// Append-only bytes in chunks that never move: the in-memory log's segment storage. A
// growing std::vector would copy the whole segment at every doubling and, for a moment,
// hold twice its size; chunks grow geometrically (from `first_chunk` to `max_chunk`) so a
// small partition stays small and a large one allocates rarely.

#include "kafkit/protocol/bytes_view.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace kafkit::broker {

class chunked_bytes {
public:
    static constexpr std::size_t default_first_chunk = 64 * 1024;
    static constexpr std::size_t default_max_chunk = 4 * 1024 * 1024;

    explicit chunked_bytes(std::size_t first_chunk = default_first_chunk, std::size_t max_chunk = default_max_chunk);

    /// Appends `bytes` after what is there.
    void append(protocol::bytes_view bytes);
    /// Appends bytes [position, position + size) to `out`; the range must lie within size().
    void copy_to(std::size_t position, std::size_t size, std::vector<std::uint8_t>& out) const;

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    /// Bytes allocated, used or not.
    [[nodiscard]] std::size_t capacity() const noexcept;

private:
    struct chunk {
        std::unique_ptr<std::uint8_t[]> data;
        std::size_t start = 0;    ///< position of its first byte
        std::size_t capacity = 0;
    };

    std::size_t first_chunk_;
    std::size_t max_chunk_;
    std::vector<chunk> chunks_;
    std::size_t size_ = 0;
};

} // namespace kafkit::broker
