#include "kafkit/protocol/compression.hpp"

#include "compression_codecs.hpp"
#include "kafkit/protocol/error.hpp"

namespace kafkit::protocol {

std::string_view to_string(compression_codec codec) noexcept {
    switch (codec) {
    case compression_codec::none: return "none";
    case compression_codec::gzip: return "gzip";
    case compression_codec::snappy: return "snappy";
    case compression_codec::lz4: return "lz4";
    case compression_codec::zstd: return "zstd";
    }
    return "unknown";
}

result<void> compress(compression_codec codec, bytes_view in, std::vector<std::uint8_t>& out, int level) {
    const std::size_t start = out.size();
    result<void> r;
    switch (codec) {
    case compression_codec::none:
        out.insert(out.end(), in.begin(), in.end());
        return {};
    case compression_codec::gzip: r = detail::gzip_compress(in, out, level); break;
    case compression_codec::snappy: r = detail::snappy_compress(in, out); break;
    case compression_codec::lz4: r = detail::lz4_compress(in, out, level); break;
    case compression_codec::zstd: r = detail::zstd_compress(in, out, level); break;
    default: return unexpected(errc::unsupported_compression);
    }
    if (!r) out.resize(start);
    return r;
}

namespace {

// Decompresses into `out` from `start` on; on failure `out` is cut back to `start`.
result<void> decompress_from(compression_codec codec, bytes_view in, std::vector<std::uint8_t>& out,
                             std::size_t start, std::size_t max_output) {
    // First guess at the output size for codecs that do not announce it; it only sets where
    // geometric growth starts.
    const std::size_t hint = std::min(max_output, in.size() * 4);
    detail::output_sink sink(out, start, max_output, hint);
    result<void> r;
    switch (codec) {
    case compression_codec::none:
        if (in.size() > max_output) return unexpected(errc::too_large);
        out.resize(start);
        out.insert(out.end(), in.begin(), in.end());
        return {};
    case compression_codec::gzip: r = detail::gzip_decompress(in, sink); break;
    case compression_codec::snappy: r = detail::snappy_decompress(in, sink); break;
    case compression_codec::lz4: r = detail::lz4_decompress(in, sink); break;
    case compression_codec::zstd: r = detail::zstd_decompress(in, sink); break;
    default: return unexpected(errc::unsupported_compression);
    }
    if (r && sink.over_limit()) r = unexpected(errc::too_large);
    if (r) {
        sink.finish();
    } else {
        sink.rollback();
    }
    return r;
}

} // namespace

result<void> decompress(compression_codec codec, bytes_view in, std::vector<std::uint8_t>& out,
                        std::size_t max_output) {
    return decompress_from(codec, in, out, out.size(), max_output);
}

namespace detail {

result<void> decompress_replacing(compression_codec codec, bytes_view in, std::vector<std::uint8_t>& out,
                                  std::size_t max_output) {
    return decompress_from(codec, in, out, 0, max_output);
}

} // namespace detail

} // namespace kafkit::protocol
