#pragma once
// The compression codecs of Kafka record batches: gzip, snappy, lz4 and zstd, in the
// stream formats the Java client writes and reads.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/result.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace kafkit::protocol {

/// Codec ids as stored in bits 0-2 of a batch's (or legacy message's) attributes.
enum class compression_codec : std::uint8_t { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 };

/// The codec's name as Kafka's `compression.type` spells it ("none", "gzip", "snappy",
/// "lz4", "zstd"); "unknown" for a value outside the enum.
[[nodiscard]] std::string_view to_string(compression_codec codec) noexcept;

/// Level passed to compress() to use the codec's own default level.
inline constexpr int default_compression_level = 0;

/// Compresses `in` and appends the compressed stream to `out`: gzip as a gzip member, snappy
/// in the xerial framing of snappy-java (32 KiB blocks), lz4 as an LZ4 frame (64 KiB
/// independent blocks), zstd as one zstd frame; `none` appends `in` unchanged. `level` is
/// the codec's own level scale (ignored by snappy), default_compression_level for its
/// default. Errors: errc::unsupported_compression for a codec outside the enum,
/// errc::compression_failed when the library fails; `out` is then left as it was.
result<void> compress(compression_codec codec, bytes_view in, std::vector<std::uint8_t>& out,
                      int level = default_compression_level);

/// Decompresses `in` and appends the result to `out`. Accepts gzip (or zlib) streams,
/// concatenated gzip members, raw snappy and xerial-framed snappy, LZ4 frames and zstd
/// frames with or without a content size. Never appends more than `max_output` bytes:
/// errc::too_large when the data would expand past it (a decompression bomb). Other errors:
/// errc::unsupported_compression, errc::compression_failed for corrupt or truncated data.
/// On error `out` is left as it was.
result<void> decompress(compression_codec codec, bytes_view in, std::vector<std::uint8_t>& out,
                        std::size_t max_output);

} // namespace kafkit::protocol
