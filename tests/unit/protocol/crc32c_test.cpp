#include "kafkit/protocol/crc32c.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <ostream>
#include <random>
#include <vector>

using namespace kafkit::protocol;

namespace {

std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> v(n);
    for (auto& b : v) b = static_cast<std::uint8_t>(rng());
    return v;
}

} // namespace

TEST_CASE("crc32c: the check value of \"123456789\" is 0xE3069283") {
    const auto data = bytes_view::of("123456789");
    CHECK(crc32c(data) == 0xE3069283u);
    CHECK(crc32c_software(data) == 0xE3069283u);
}

TEST_CASE("crc32c: matches the iSCSI test vectors of RFC 3720") {
    std::vector<std::uint8_t> zeros(32, 0x00);
    std::vector<std::uint8_t> ones(32, 0xff);
    std::vector<std::uint8_t> ascending(32);
    std::vector<std::uint8_t> descending(32);
    for (std::size_t i = 0; i < 32; ++i) {
        ascending[i] = static_cast<std::uint8_t>(i);
        descending[i] = static_cast<std::uint8_t>(31 - i);
    }
    for (auto fn : {&crc32c, &crc32c_software}) {
        CHECK(fn({zeros.data(), zeros.size()}, 0) == 0x8A9136AAu);
        CHECK(fn({ones.data(), ones.size()}, 0) == 0x62A8AB43u);
        CHECK(fn({ascending.data(), ascending.size()}, 0) == 0x46DD794Eu);
        CHECK(fn({descending.data(), descending.size()}, 0) == 0x113FDB5Cu);
    }
}

TEST_CASE("crc32c: an empty input leaves the running value unchanged") {
    CHECK(crc32c({}) == 0u);
    CHECK(crc32c({}, 0x12345678u) == 0x12345678u);
    CHECK(crc32c_software({}, 0x12345678u) == 0x12345678u);
}

TEST_CASE("crc32c: continuing from a previous value equals one pass over both parts") {
    const auto data = random_bytes(100000, 1);
    const bytes_view all(data.data(), data.size());
    const std::uint32_t whole = crc32c(all);
    for (std::size_t split : {0u, 1u, 7u, 8u, 1000u, 24576u, 50001u, 100000u}) {
        const std::uint32_t first = crc32c(all.subview(0, split));
        CHECK(crc32c(all.subview(split), first) == whole);
        CHECK(crc32c_software(all.subview(split), crc32c_software(all.subview(0, split))) == whole);
    }
}

TEST_CASE("crc32c: hardware and software agree on every length and alignment") {
    if (!crc32c_hardware_available()) {
        MESSAGE("no SSE4.2 on this CPU: crc32c is the software path");
    }
    const auto data = random_bytes(70000, 2);
    std::mt19937 rng(3);
    std::size_t mismatches = 0;
    for (std::size_t length = 0; length <= 2100; ++length) {
        const std::size_t offset = length % 8;
        const bytes_view v(data.data() + offset, length);
        const auto seed = static_cast<std::uint32_t>(rng());
        if (crc32c(v, seed) != crc32c_software(v, seed)) ++mismatches;
    }
    // Lengths around the interleaved block sizes (3 x 256 and 3 x 8192 bytes) and beyond.
    for (std::size_t length : {767u, 768u, 769u, 1535u, 24575u, 24576u, 24577u, 49152u, 49160u, 69993u}) {
        for (std::size_t offset = 0; offset < 8; ++offset) {
            const bytes_view v(data.data() + offset, length);
            if (crc32c(v) != crc32c_software(v)) ++mismatches;
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("crc32: the IEEE check value of \"123456789\" is 0xCBF43926") {
    CHECK(crc32(bytes_view::of("123456789")) == 0xCBF43926u);
    CHECK(crc32(bytes_view::of("56789"), crc32(bytes_view::of("1234"))) == 0xCBF43926u);
    CHECK(crc32({}) == 0u);
}
