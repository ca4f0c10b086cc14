#include "kafkit/protocol/compression.hpp"
#include "kafkit/protocol/error.hpp"
#include "compression_codecs.hpp"

#include <doctest/doctest.h>
#include <zstd.h>

#include <array>
#include <cstdint>
#include <ostream>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace kafkit::protocol;
using kafkit::errc;

namespace {

constexpr std::array<compression_codec, 4> codecs = {compression_codec::gzip, compression_codec::snappy,
                                                     compression_codec::lz4, compression_codec::zstd};
constexpr std::size_t no_limit = std::size_t{1} << 30;

bytes_view view(const std::vector<std::uint8_t>& v) { return {v.data(), v.size()}; }

std::vector<std::uint8_t> text_bytes(std::size_t n) {
    std::vector<std::uint8_t> v;
    v.reserve(n);
    std::mt19937 rng(11);
    static const std::string words[] = {"kafka ", "record ", "batch ", "offset ", "topic ", "key=", "value "};
    while (v.size() < n) {
        const std::string& w = words[rng() % 7];
        v.insert(v.end(), w.begin(), w.end());
    }
    v.resize(n);
    return v;
}

std::vector<std::uint8_t> random_bytes(std::size_t n) {
    std::mt19937 rng(12);
    std::vector<std::uint8_t> v(n);
    for (auto& b : v) b = static_cast<std::uint8_t>(rng());
    return v;
}

std::vector<std::uint8_t> compressed(compression_codec codec, const std::vector<std::uint8_t>& in) {
    std::vector<std::uint8_t> out;
    REQUIRE(compress(codec, view(in), out).has_value());
    return out;
}

std::vector<std::uint8_t> be32(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
            static_cast<std::uint8_t>(v)};
}

void append(std::vector<std::uint8_t>& out, const std::vector<std::uint8_t>& more) {
    out.insert(out.end(), more.begin(), more.end());
}

// "abcdabcdabcd" as a raw snappy stream written by hand: length 12, a 4-byte literal,
// then a copy of 8 bytes from 4 back.
const std::vector<std::uint8_t> raw_snappy_abcd = {12, 0x0c, 'a', 'b', 'c', 'd', 0x11, 0x04};

std::vector<std::uint8_t> xerial_header() {
    std::vector<std::uint8_t> v = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    append(v, be32(1));
    append(v, be32(1));
    return v;
}

} // namespace

TEST_CASE("compression: each codec round-trips empty, small, text and random inputs") {
    const std::vector<std::vector<std::uint8_t>> inputs = {
        {}, {'x'}, text_bytes(1000), text_bytes(300000), random_bytes(100000)};
    for (compression_codec codec : codecs) {
        CAPTURE(to_string(codec));
        for (const auto& input : inputs) {
            CAPTURE(input.size());
            const auto packed = compressed(codec, input);
            std::vector<std::uint8_t> unpacked;
            REQUIRE(decompress(codec, view(packed), unpacked, no_limit).has_value());
            CHECK(unpacked == input);
        }
    }
}

TEST_CASE("compression: compress and decompress append to what the vector holds") {
    const auto input = text_bytes(5000);
    for (compression_codec codec : codecs) {
        CAPTURE(to_string(codec));
        std::vector<std::uint8_t> packed = {0xaa, 0xbb};
        REQUIRE(compress(codec, view(input), packed).has_value());
        CHECK(packed[0] == 0xaa);
        CHECK(packed[1] == 0xbb);
        std::vector<std::uint8_t> unpacked = {0x01};
        REQUIRE(decompress(codec, {packed.data() + 2, packed.size() - 2}, unpacked, no_limit).has_value());
        REQUIRE(unpacked.size() == input.size() + 1);
        CHECK(unpacked[0] == 0x01);
        CHECK(std::equal(input.begin(), input.end(), unpacked.begin() + 1));
    }
}

TEST_CASE("compression: text compresses and each codec writes its own stream format") {
    const auto input = text_bytes(100000);
    const auto gz = compressed(compression_codec::gzip, input);
    CHECK((gz[0] == 0x1f && gz[1] == 0x8b));
    const auto lz = compressed(compression_codec::lz4, input);
    CHECK(std::vector<std::uint8_t>(lz.begin(), lz.begin() + 4) == std::vector<std::uint8_t>{0x04, 0x22, 0x4d, 0x18});
    const auto zs = compressed(compression_codec::zstd, input);
    CHECK(std::vector<std::uint8_t>(zs.begin(), zs.begin() + 4) == std::vector<std::uint8_t>{0x28, 0xb5, 0x2f, 0xfd});
    for (const auto* packed : {&gz, &lz, &zs}) CHECK(packed->size() < input.size() / 2);
}

TEST_CASE("compression: snappy is written in xerial framing with 32 KiB blocks") {
    const auto input = text_bytes(100000); // three full blocks and one of 1696 bytes
    const auto packed = compressed(compression_codec::snappy, input);
    REQUIRE(packed.size() > 16);
    CHECK(std::vector<std::uint8_t>(packed.begin(), packed.begin() + 16) == xerial_header());
    std::size_t pos = 16;
    std::vector<std::size_t> block_sizes;
    while (pos + 4 <= packed.size()) {
        const std::size_t n = (std::size_t{packed[pos]} << 24) | (std::size_t{packed[pos + 1]} << 16) |
                              (std::size_t{packed[pos + 2]} << 8) | packed[pos + 3];
        std::vector<std::uint8_t> block;
        REQUIRE(decompress(compression_codec::snappy, {packed.data() + pos + 4, n}, block, no_limit).has_value());
        block_sizes.push_back(block.size());
        pos += 4 + n;
    }
    CHECK(pos == packed.size());
    CHECK(block_sizes == std::vector<std::size_t>{32768, 32768, 32768, 1696});
}

TEST_CASE("compression: snappy reads raw blocks, xerial frames and concatenated xerial streams") {
    const std::vector<std::uint8_t> expected = {'a', 'b', 'c', 'd', 'a', 'b', 'c', 'd', 'a', 'b', 'c', 'd'};
    std::vector<std::uint8_t> out;
    REQUIRE(decompress(compression_codec::snappy, view(raw_snappy_abcd), out, no_limit).has_value());
    CHECK(out == expected);

    std::vector<std::uint8_t> framed = xerial_header();
    for (int i = 0; i < 2; ++i) {
        append(framed, be32(static_cast<std::uint32_t>(raw_snappy_abcd.size())));
        append(framed, raw_snappy_abcd);
    }
    append(framed, xerial_header()); // a second stream, as snappy-java reads
    append(framed, be32(static_cast<std::uint32_t>(raw_snappy_abcd.size())));
    append(framed, raw_snappy_abcd);
    out.clear();
    REQUIRE(decompress(compression_codec::snappy, view(framed), out, no_limit).has_value());
    CHECK(out.size() == 36);
    CHECK(std::equal(expected.begin(), expected.end(), out.begin() + 24));
}

TEST_CASE("compression: zstd frames without a content size and concatenated frames decode") {
    const auto input = text_bytes(200000);
    std::vector<std::uint8_t> packed(ZSTD_compressBound(input.size()));
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
    ZSTD_outBuffer out_buf{packed.data(), packed.size(), 0};
    ZSTD_inBuffer in_buf{input.data(), input.size(), 0};
    const std::size_t left = ZSTD_compressStream2(cctx, &out_buf, &in_buf, ZSTD_e_end);
    ZSTD_freeCCtx(cctx);
    REQUIRE(left == 0);
    packed.resize(out_buf.pos);
    REQUIRE(ZSTD_getFrameContentSize(packed.data(), packed.size()) == ZSTD_CONTENTSIZE_UNKNOWN);
    append(packed, compressed(compression_codec::zstd, input));

    std::vector<std::uint8_t> out;
    REQUIRE(decompress(compression_codec::zstd, view(packed), out, no_limit).has_value());
    REQUIRE(out.size() == 2 * input.size());
    CHECK(std::equal(input.begin(), input.end(), out.begin()));
    CHECK(std::equal(input.begin(), input.end(), out.begin() + static_cast<std::ptrdiff_t>(input.size())));
}

TEST_CASE("compression: concatenated gzip members decode as one stream") {
    const auto a = text_bytes(3000);
    const auto b = random_bytes(2000);
    auto packed = compressed(compression_codec::gzip, a);
    append(packed, compressed(compression_codec::gzip, b));
    std::vector<std::uint8_t> out;
    REQUIRE(decompress(compression_codec::gzip, view(packed), out, no_limit).has_value());
    auto expected = a;
    append(expected, b);
    CHECK(out == expected);
}

TEST_CASE("compression: lz4 frames with Kafka's pre-KIP-57 header checksum are repaired") {
    const auto input = text_bytes(5000);
    auto packed = compressed(compression_codec::lz4, input);
    // Our frames carry FLG, BD and no content size: the header checksum is byte 6. Of all
    // 256 values exactly two decode: the proper checksum and the one old Kafka wrote.
    int accepted = 0;
    for (int hc = 0; hc < 256; ++hc) {
        auto patched = packed;
        patched[6] = static_cast<std::uint8_t>(hc);
        std::vector<std::uint8_t> out;
        if (decompress(compression_codec::lz4, view(patched), out, no_limit)) {
            ++accepted;
            CHECK(out == input);
        }
    }
    CHECK(accepted == 2);
}

TEST_CASE("compression: output past max_output is errc::too_large and leaves the vector as it was") {
    const std::vector<std::uint8_t> zeros(8 * 1024 * 1024, 0);
    for (compression_codec codec : codecs) {
        CAPTURE(to_string(codec));
        const auto packed = compressed(codec, zeros);
        CHECK(packed.size() < zeros.size() / 10);
        std::vector<std::uint8_t> out = {0x42};
        auto r = decompress(codec, view(packed), out, 1024 * 1024);
        CHECK(r.error() == errc::too_large);
        CHECK(out == std::vector<std::uint8_t>{0x42});
        r = decompress(codec, view(packed), out, zeros.size() - 1);
        CHECK(r.error() == errc::too_large);
        CHECK(out.size() == 1);
        REQUIRE(decompress(codec, view(packed), out, zeros.size()).has_value());
        CHECK(out.size() == zeros.size() + 1);
    }
    std::vector<std::uint8_t> out;
    CHECK(decompress(compression_codec::none, view(zeros), out, 100).error() == errc::too_large);
}

TEST_CASE("compression: output that exactly fills the space given to the decoder decodes") {
    // Random bytes barely compress, so the decoder's first space is max_output itself:
    // the frame ends exactly at its end. (lz4 once took that for a truncated frame.)
    const auto input = random_bytes(100000);
    for (compression_codec codec : codecs) {
        CAPTURE(to_string(codec));
        std::vector<std::uint8_t> out;
        REQUIRE(decompress(codec, view(compressed(codec, input)), out, input.size()).has_value());
        CHECK(out == input);
    }
}

TEST_CASE("compression: decompress_replacing overwrites what the vector held, of any size") {
    const std::vector<std::vector<std::uint8_t>> inputs = {text_bytes(300000), random_bytes(70000), text_bytes(300000),
                                                           random_bytes(1000), {}};
    for (compression_codec codec : codecs) {
        CAPTURE(to_string(codec));
        std::vector<std::uint8_t> out(5000, 0x42);
        for (const auto& input : inputs) {
            CAPTURE(input.size());
            REQUIRE(detail::decompress_replacing(codec, view(compressed(codec, input)), out, no_limit).has_value());
            CHECK(out == input);
        }
        // The same size twice: the second output exactly fills the bytes the first left.
        const auto again = random_bytes(65536);
        for (int i = 0; i < 2; ++i) {
            REQUIRE(detail::decompress_replacing(codec, view(compressed(codec, again)), out, no_limit).has_value());
            CHECK(out == again);
        }
    }
    std::vector<std::uint8_t> out(10, 0x42);
    const auto plain = text_bytes(3);
    REQUIRE(detail::decompress_replacing(compression_codec::none, view(plain), out, no_limit).has_value());
    CHECK(out == plain);
}

TEST_CASE("compression: truncated or corrupt streams fail cleanly") {
    const auto input = text_bytes(50000);
    for (compression_codec codec : codecs) {
        CAPTURE(to_string(codec));
        const auto packed = compressed(codec, input);
        for (std::size_t cut : {std::size_t{0}, std::size_t{5}, packed.size() / 2, packed.size() - 1}) {
            CAPTURE(cut);
            std::vector<std::uint8_t> out = {7};
            auto r = decompress(codec, {packed.data(), cut}, out, no_limit);
            CHECK(r.error() == errc::compression_failed);
            CHECK(out == std::vector<std::uint8_t>{7});
        }
        auto garbage = packed;
        for (std::size_t i = 20; i < garbage.size(); i += 7) garbage[i] ^= 0x5a;
        std::vector<std::uint8_t> out;
        auto r = decompress(codec, view(garbage), out, no_limit);
        // Corruption must be an error unless the codec cannot see it (only gzip carries a
        // checksum of the content here) and the bytes still decode to something.
        if (!r) CHECK(r.error() == errc::compression_failed);
        if (codec == compression_codec::gzip) CHECK_FALSE(r.has_value());
    }
}

TEST_CASE("compression: codec values outside the enum are unsupported and named unknown") {
    const auto bad = static_cast<compression_codec>(5);
    std::vector<std::uint8_t> out;
    CHECK(compress(bad, bytes_view::of("x"), out).error() == errc::unsupported_compression);
    CHECK(decompress(bad, bytes_view::of("x"), out, no_limit).error() == errc::unsupported_compression);
    CHECK(to_string(bad) == "unknown");
    CHECK(to_string(compression_codec::none) == "none");
    CHECK(to_string(compression_codec::gzip) == "gzip");
    CHECK(to_string(compression_codec::snappy) == "snappy");
    CHECK(to_string(compression_codec::lz4) == "lz4");
    CHECK(to_string(compression_codec::zstd) == "zstd");
}

TEST_CASE("compression: none copies the input unchanged") {
    const auto input = random_bytes(1000);
    std::vector<std::uint8_t> out;
    REQUIRE(compress(compression_codec::none, view(input), out).has_value());
    CHECK(out == input);
    std::vector<std::uint8_t> back;
    REQUIRE(decompress(compression_codec::none, view(out), back, input.size()).has_value());
    CHECK(back == input);
}
