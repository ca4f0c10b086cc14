#pragma once
// The memory a connection reads responses into. A response handler may keep the buffer its
// body lies in (the fetcher does: records view a Fetch response until the application is
// done with them), so the connection does not copy large bodies; it reads on into another
// buffer from a pool. Pooled buffers stay resident and are never zero-filled: a fresh
// megabyte per Fetch response cost page faults and memset, and showed in perf profiles.

#include "util/recycling_pool.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace kafkit::detail {

/// A fixed-capacity byte array, its contents uninitialised until written.
class frame_buffer {
public:
    explicit frame_buffer(std::size_t capacity)
        : data_(std::make_unique_for_overwrite<std::uint8_t[]>(capacity)), capacity_(capacity) {}

    [[nodiscard]] std::uint8_t* data() noexcept { return data_.get(); }
    [[nodiscard]] const std::uint8_t* data() const noexcept { return data_.get(); }
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

    /// Grows to at least `capacity`, keeping the first `keep` bytes. It grows to the size
    /// asked (in steps of 64 KiB), not to double: a response kept is charged at its
    /// buffer's capacity, and fetch responses come in similar sizes.
    void reserve(std::size_t capacity, std::size_t keep) {
        if (capacity <= capacity_) return;
        constexpr std::size_t step = 64 * 1024;
        const auto grown = (capacity + step - 1) / step * step;
        auto bigger = std::make_unique_for_overwrite<std::uint8_t[]>(grown);
        std::memcpy(bigger.get(), data_.get(), keep);
        data_ = std::move(bigger);
        capacity_ = grown;
    }

private:
    std::unique_ptr<std::uint8_t[]> data_;
    std::size_t capacity_;
};

/// Read buffers given back by their last holder, for the next reads.
using frame_buffer_pool = recycling_pool<frame_buffer>;

/// A buffer of at least `capacity` bytes from `pool`.
inline std::shared_ptr<frame_buffer> take_frame_buffer(frame_buffer_pool& pool, std::size_t capacity) {
    auto buffer = pool.take([&] { return std::make_unique<frame_buffer>(capacity); });
    buffer->reserve(capacity, 0);
    return buffer;
}

/// What a kept buffer counts against the pool's bound: its bytes.
inline std::size_t frame_buffer_weight(const frame_buffer& b) noexcept { return b.capacity(); }

} // namespace kafkit::detail
