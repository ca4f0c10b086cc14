// zstd: one frame written per call; reading is streaming, so frames whose header omits the
// content size (zstd-jni's ZstdOutputStream writes such frames) and concatenated frames
// decode as well. Contexts are kept per thread: creating one costs more than a small batch.

#include "compression_codecs.hpp"
#include "kafkit/protocol/error.hpp"

#include <zstd.h>

namespace kafkit::protocol::detail {
namespace {

struct compression_context {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    compression_context() = default;
    ~compression_context() { ZSTD_freeCCtx(cctx); }
    compression_context(const compression_context&) = delete;
    compression_context& operator=(const compression_context&) = delete;
};

struct decompression_context {
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    decompression_context() = default;
    ~decompression_context() { ZSTD_freeDCtx(dctx); }
    decompression_context(const decompression_context&) = delete;
    decompression_context& operator=(const decompression_context&) = delete;
};

} // namespace

result<void> zstd_compress(bytes_view in, std::vector<std::uint8_t>& out, int level) {
    thread_local compression_context context;
    ZSTD_CCtx* cctx = context.cctx;
    if (cctx == nullptr) return unexpected(errc::compression_failed);
    ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
    const int zlevel = level == 0 ? ZSTD_CLEVEL_DEFAULT : level;
    if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, zlevel))) {
        return unexpected(errc::compression_failed);
    }
    const std::size_t start = out.size();
    out.resize(start + ZSTD_compressBound(in.size()));
    const std::size_t n = ZSTD_compress2(cctx, out.data() + start, out.size() - start, in.data(), in.size());
    if (ZSTD_isError(n)) return unexpected(errc::compression_failed);
    out.resize(start + n);
    return {};
}

result<void> zstd_decompress(bytes_view in, output_sink& sink) {
    thread_local decompression_context context;
    ZSTD_DCtx* dctx = context.dctx;
    if (dctx == nullptr) return unexpected(errc::compression_failed);
    ZSTD_DCtx_reset(dctx, ZSTD_reset_session_only);
    const unsigned long long content_size = ZSTD_getFrameContentSize(in.data(), in.size());
    if (content_size != ZSTD_CONTENTSIZE_UNKNOWN && content_size != ZSTD_CONTENTSIZE_ERROR) {
        if (content_size >= sink.room()) return unexpected(errc::too_large);
        sink.set_hint(static_cast<std::size_t>(content_size));
    }
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    for (;;) {
        const std::span<std::uint8_t> space = sink.space();
        if (space.empty()) return {}; // past the limit: the caller reports too_large
        ZSTD_outBuffer output{space.data(), space.size(), 0};
        const std::size_t before = input.pos;
        const std::size_t rc = ZSTD_decompressStream(dctx, &output, &input);
        if (ZSTD_isError(rc)) return unexpected(errc::compression_failed);
        sink.commit(output.pos);
        const bool input_done = input.pos == input.size;
        if (rc == 0 && input_done) return {};
        if (input_done && output.pos < output.size) return unexpected(errc::compression_failed); // truncated
        if (input.pos == before && output.pos == 0) return unexpected(errc::compression_failed);
    }
}

} // namespace kafkit::protocol::detail
