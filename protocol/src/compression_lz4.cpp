// lz4: Kafka uses the LZ4 frame format (KIP-57). Writing follows the Java client: 64 KiB
// independent blocks, no checksums beyond the header's. Reading also takes the frames of
// Kafka before 0.10 (magic 0 messages), whose header checksum wrongly covered the magic
// number too: such a header is repaired before it reaches lz4frame.

#include "compression_codecs.hpp"
#include "kafkit/protocol/error.hpp"

#include <lz4frame.h>

#include <array>
#include <bit>

namespace kafkit::protocol::detail {
namespace {

constexpr std::uint32_t lz4_frame_magic = 0x184D2204u;
constexpr std::uint8_t flag_content_size = 0x08;
constexpr std::uint8_t flag_dict_id = 0x01;

std::uint32_t get_le32(const std::uint8_t* p) noexcept {
    return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
           (std::uint32_t{p[3]} << 24);
}

// XXH32 with seed 0, for the few bytes of a frame descriptor (written from its spec).
std::uint32_t xxh32(const std::uint8_t* p, std::size_t n) noexcept {
    constexpr std::uint32_t p1 = 0x9E3779B1u, p2 = 0x85EBCA77u, p3 = 0xC2B2AE3Du, p4 = 0x27D4EB2Fu,
                            p5 = 0x165667B1u;
    const std::uint8_t* end = p + n;
    std::uint32_t acc;
    if (n >= 16) {
        std::array<std::uint32_t, 4> v = {p1 + p2, p2, 0, 0u - p1};
        for (; end - p >= 16; p += 16) {
            for (std::size_t i = 0; i < 4; ++i) v[i] = std::rotl(v[i] + get_le32(p + 4 * i) * p2, 13) * p1;
        }
        acc = std::rotl(v[0], 1) + std::rotl(v[1], 7) + std::rotl(v[2], 12) + std::rotl(v[3], 18);
    } else {
        acc = p5;
    }
    acc += static_cast<std::uint32_t>(n);
    for (; end - p >= 4; p += 4) acc = std::rotl(acc + get_le32(p) * p3, 17) * p4;
    for (; p < end; ++p) acc = std::rotl(acc + *p * p5, 11) * p1;
    acc ^= acc >> 15;
    acc *= p2;
    acc ^= acc >> 13;
    acc *= p3;
    acc ^= acc >> 16;
    return acc;
}

// A frame header whose checksum is Kafka's pre-KIP-57 one, rewritten with the right one.
struct header_repair {
    std::array<std::uint8_t, 19> bytes{};
    std::size_t size = 0; // 0: the header needs no repair
};

header_repair repair_legacy_header(bytes_view in) noexcept {
    header_repair fix;
    if (in.size() < 7 || get_le32(in.data()) != lz4_frame_magic) return fix;
    const std::uint8_t flags = in[4];
    const std::size_t descriptor = 2 + ((flags & flag_content_size) ? 8 : 0) + ((flags & flag_dict_id) ? 4 : 0);
    if (in.size() < 4 + descriptor + 1) return fix;
    const std::uint8_t stated = in[4 + descriptor];
    const auto proper = static_cast<std::uint8_t>(xxh32(in.data() + 4, descriptor) >> 8);
    const auto legacy = static_cast<std::uint8_t>(xxh32(in.data(), 4 + descriptor) >> 8);
    if (stated == proper || stated != legacy) return fix;
    fix.size = 4 + descriptor + 1;
    std::copy(in.data(), in.data() + fix.size, fix.bytes.begin());
    fix.bytes[fix.size - 1] = proper;
    return fix;
}

struct decompression_context {
    LZ4F_dctx* dctx = nullptr;
    decompression_context() noexcept { LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION); }
    ~decompression_context() { LZ4F_freeDecompressionContext(dctx); }
    decompression_context(const decompression_context&) = delete;
    decompression_context& operator=(const decompression_context&) = delete;
};

// Feeds `in` to the decoder until it is used up and the output flushed, or the sink is full.
// `done` tells whether a frame ended with the last call.
result<void> feed(LZ4F_dctx* dctx, bytes_view in, output_sink& sink, bool& done) {
    std::size_t pos = 0;
    for (;;) {
        const std::span<std::uint8_t> space = sink.space();
        if (space.empty()) return {}; // past the limit: the caller reports too_large
        std::size_t produced = space.size();
        std::size_t consumed = in.size() - pos;
        const std::size_t rc = LZ4F_decompress(dctx, space.data(), &produced, in.data() + pos, &consumed, nullptr);
        if (LZ4F_isError(rc)) return unexpected(errc::compression_failed);
        pos += consumed;
        sink.commit(produced);
        done = rc == 0;
        if (consumed == 0 && produced == 0 && pos < in.size()) return unexpected(errc::compression_failed);
        // All input used, and the frame ended or the output is flushed. (A frame that ends
        // exactly at the end of the space must not be fed again: lz4 would start on a
        // next frame and report the empty input as a truncated one.)
        if (pos == in.size() && (done || produced < space.size())) return {};
    }
}

} // namespace

result<void> lz4_compress(bytes_view in, std::vector<std::uint8_t>& out, int level) {
    LZ4F_preferences_t prefs{};
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum;
    prefs.compressionLevel = level;
    const std::size_t start = out.size();
    out.resize(start + LZ4F_compressFrameBound(in.size(), &prefs));
    const std::size_t n = LZ4F_compressFrame(out.data() + start, out.size() - start, in.data(), in.size(), &prefs);
    if (LZ4F_isError(n)) return unexpected(errc::compression_failed);
    out.resize(start + n);
    return {};
}

result<void> lz4_decompress(bytes_view in, output_sink& sink) {
    thread_local decompression_context context;
    if (context.dctx == nullptr) return unexpected(errc::compression_failed);
    LZ4F_resetDecompressionContext(context.dctx);
    bool done = false;
    const header_repair fix = repair_legacy_header(in);
    if (fix.size != 0) {
        if (auto r = feed(context.dctx, {fix.bytes.data(), fix.size}, sink, done); !r) return r;
        in = in.subview(fix.size);
    }
    if (auto r = feed(context.dctx, in, sink, done); !r) return r;
    if (!done && !sink.over_limit()) return unexpected(errc::compression_failed); // truncated frame
    return {};
}

} // namespace kafkit::protocol::detail
