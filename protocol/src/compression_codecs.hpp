#pragma once
// Private to the compression sources: one compress/decompress pair per codec, and the
// bounded output buffer that keeps decompression under its size limit.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/compression.hpp"
#include "kafkit/protocol/result.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace kafkit::protocol::detail {

/// The tail of a vector that a streaming decoder writes into. It grows geometrically but
/// never past `limit + 1` appended bytes, so a decoder that fills the last byte has proven
/// the output would pass the limit without the sink ever allocating more than that.
class output_sink {
public:
    /// Writes from `start`; what `out` holds past it already is space (overwritten, not
    /// zero-filled again).
    output_sink(std::vector<std::uint8_t>& out, std::size_t start, std::size_t limit, std::size_t size_hint) noexcept
        : out_(out), start_(start),
          cap_limit_(limit == std::numeric_limits<std::size_t>::max() ? limit : limit + 1),
          hint_(std::max<std::size_t>(size_hint, 4096)) {}

    /// Replaces the first allocation size, when a decoder learns the output size from its input.
    void set_hint(std::size_t n) noexcept { hint_ = std::max<std::size_t>(n, 1); }
    /// Free space after the bytes written so far; empty once limit + 1 bytes are written.
    std::span<std::uint8_t> space() {
        std::size_t capacity = std::min(out_.size() - start_, cap_limit_);
        if (written_ == capacity && capacity < cap_limit_) {
            std::size_t grown = capacity == 0 ? hint_ : capacity * 2;
            capacity = std::min(std::max(grown, capacity + 4096), cap_limit_);
            out_.resize(start_ + capacity);
        }
        return {out_.data() + start_ + written_, capacity - written_};
    }
    /// Exactly `n` more bytes of space (the caller has checked n < room()).
    std::uint8_t* claim(std::size_t n) {
        const std::size_t need = start_ + written_ + n;
        if (out_.size() < need) out_.resize(need);
        return out_.data() + start_ + written_;
    }
    /// Records that the decoder wrote `n` bytes into the last space().
    void commit(std::size_t n) noexcept { written_ += n; }
    /// True when the output has passed the limit (the caller reports errc::too_large).
    [[nodiscard]] bool over_limit() const noexcept { return written_ >= cap_limit_ && cap_limit_ != max_size; }
    [[nodiscard]] std::size_t written() const noexcept { return written_; }
    /// Room left before passing the limit, counting the one byte that proves an overflow.
    [[nodiscard]] std::size_t room() const noexcept { return cap_limit_ - written_; }
    /// Trims the vector to what was written.
    void finish() { out_.resize(start_ + written_); }
    /// Restores the vector to its size before decoding.
    void rollback() { out_.resize(start_); }

private:
    static constexpr std::size_t max_size = std::numeric_limits<std::size_t>::max();
    std::vector<std::uint8_t>& out_;
    std::size_t start_;
    std::size_t cap_limit_;
    std::size_t hint_;
    std::size_t written_ = 0;
};

/// decompress(), but replacing what `out` holds, whose bytes are reused as space: a
/// record_batch decoded again into the same storage does not zero-fill it again.
result<void> decompress_replacing(compression_codec codec, bytes_view in, std::vector<std::uint8_t>& out,
                                  std::size_t max_output);

result<void> gzip_compress(bytes_view in, std::vector<std::uint8_t>& out, int level);
result<void> gzip_decompress(bytes_view in, output_sink& sink);

result<void> snappy_compress(bytes_view in, std::vector<std::uint8_t>& out);
result<void> snappy_decompress(bytes_view in, output_sink& sink);

result<void> lz4_compress(bytes_view in, std::vector<std::uint8_t>& out, int level);
result<void> lz4_decompress(bytes_view in, output_sink& sink);

result<void> zstd_compress(bytes_view in, std::vector<std::uint8_t>& out, int level);
result<void> zstd_decompress(bytes_view in, output_sink& sink);

} // namespace kafkit::protocol::detail
