#pragma once
// Private to the record batch sources: the decoders that fill a record_batch, shared by
// record_batch_reader (v2) and the legacy message set reader (magic 0 and 1).

#include "kafkit/protocol/record_batch.hpp"
#include "kafkit/protocol/wire_reader.hpp"

#include <cstdint>
#include <optional>

namespace kafkit::protocol::detail {

/// Smallest legacy message (magic 0, null key and value) after its offset and size fields:
/// crc, magic, attributes, key length, value length. Also the least any batch can claim.
inline constexpr std::int32_t legacy_min_message_size = 14;

/// a + b on int64 with two's complement wrap-around: offsets and timestamps from the wire
/// may be anything, and overflowing them must not be undefined behaviour.
constexpr std::int64_t wrapping_add(std::int64_t a, std::int64_t b) noexcept {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
/// a - b with the same wrap-around.
constexpr std::int64_t wrapping_sub(std::int64_t a, std::int64_t b) noexcept {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}

/// Fills the private parts of a record_batch.
struct record_batch_decoder {
    /// Decodes `bytes`, exactly one v2 batch (the reader has checked its length field).
    static result<void> decode_v2(bytes_view bytes, const record_batch_read_options& options, record_batch& out);
    /// Decodes `bytes`, exactly one top-level legacy message, possibly a compressed wrapper.
    static result<void> decode_legacy(bytes_view bytes, const record_batch_read_options& options,
                                      record_batch& out);
    /// Empties `out` while keeping its buffers' capacity.
    static void clear(record_batch& out) noexcept;
};

} // namespace kafkit::protocol::detail
