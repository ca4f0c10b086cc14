// snappy: Kafka's Java client writes snappy-java's "xerial" framing, not the snappy framing
// format: an 8-byte magic, a version and a minimum compatible version (int32 big-endian),
// then blocks, each an int32 big-endian compressed length and one raw snappy block.
// Other clients (older librdkafka, some Go clients) send raw snappy, so reading takes both.

#include "compression_codecs.hpp"
#include "kafkit/protocol/error.hpp"

#include <snappy.h>

#include <array>
#include <cstring>

namespace kafkit::protocol::detail {
namespace {

constexpr std::array<std::uint8_t, 8> xerial_magic = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
constexpr std::size_t xerial_header_size = 16;    // magic, version, compatible version
constexpr std::int32_t xerial_version = 1;
constexpr std::int32_t xerial_compatible_version = 1;
constexpr std::size_t xerial_block_size = 32 * 1024; // snappy-java's default block size

void put_be32(std::uint8_t* p, std::uint32_t v) noexcept {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

std::uint32_t get_be32(const std::uint8_t* p) noexcept {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

bool has_xerial_magic(const std::uint8_t* p, std::size_t n) noexcept {
    return n >= xerial_header_size && std::memcmp(p, xerial_magic.data(), xerial_magic.size()) == 0;
}

// Decodes one raw snappy block, whose header states its uncompressed length.
result<void> raw_decompress(const std::uint8_t* p, std::size_t n, output_sink& sink) {
    const char* src = reinterpret_cast<const char*>(p);
    std::size_t length = 0;
    if (!snappy::GetUncompressedLength(src, n, &length)) return unexpected(errc::compression_failed);
    if (length >= sink.room()) return unexpected(errc::too_large);
    std::uint8_t* dst = sink.claim(length);
    if (!snappy::RawUncompress(src, n, reinterpret_cast<char*>(dst))) {
        return unexpected(errc::compression_failed);
    }
    sink.commit(length);
    return {};
}

result<void> xerial_decompress(const std::uint8_t* p, std::size_t n, output_sink& sink) {
    std::size_t pos = 0;
    while (pos < n) {
        // snappy-java reads concatenated streams: a header may start again between blocks.
        // A block length never looks like the magic, whose first byte makes it negative.
        if (has_xerial_magic(p + pos, n - pos)) {
            pos += xerial_header_size;
            continue;
        }
        if (n - pos < 4) return unexpected(errc::compression_failed);
        const std::uint32_t block = get_be32(p + pos);
        pos += 4;
        if (block > n - pos) return unexpected(errc::compression_failed);
        if (auto r = raw_decompress(p + pos, block, sink); !r) return r;
        pos += block;
    }
    return {};
}

} // namespace

result<void> snappy_compress(bytes_view in, std::vector<std::uint8_t>& out) {
    std::size_t pos = out.size();
    const std::size_t blocks = (in.size() + xerial_block_size - 1) / xerial_block_size;
    const std::size_t bound = snappy::MaxCompressedLength(std::min(in.size(), xerial_block_size));
    out.resize(pos + xerial_header_size + blocks * (4 + bound));
    std::memcpy(out.data() + pos, xerial_magic.data(), xerial_magic.size());
    put_be32(out.data() + pos + 8, xerial_version);
    put_be32(out.data() + pos + 12, xerial_compatible_version);
    pos += xerial_header_size;
    for (std::size_t offset = 0; offset < in.size(); offset += xerial_block_size) {
        const std::size_t len = std::min(xerial_block_size, in.size() - offset);
        std::size_t compressed = 0;
        snappy::RawCompress(reinterpret_cast<const char*>(in.data() + offset), len,
                            reinterpret_cast<char*>(out.data() + pos + 4), &compressed);
        put_be32(out.data() + pos, static_cast<std::uint32_t>(compressed));
        pos += 4 + compressed;
    }
    out.resize(pos);
    return {};
}

result<void> snappy_decompress(bytes_view in, output_sink& sink) {
    if (has_xerial_magic(in.data(), in.size())) {
        return xerial_decompress(in.data() + xerial_header_size, in.size() - xerial_header_size, sink);
    }
    return raw_decompress(in.data(), in.size(), sink);
}

} // namespace kafkit::protocol::detail
