// chunked_bytes, the in-memory log's segment storage: what goes in comes out at the same
// positions, across chunk boundaries, while chunks grow geometrically up to their cap.

#include "storage/chunked_bytes.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

using kafkit::broker::chunked_bytes;

namespace {

std::vector<std::uint8_t> counting(std::size_t n, std::uint8_t from) {
    std::vector<std::uint8_t> out(n);
    std::iota(out.begin(), out.end(), from);
    return out;
}

kafkit::protocol::bytes_view view(const std::vector<std::uint8_t>& v) { return {v.data(), v.size()}; }

} // namespace

TEST_CASE("chunked_bytes: empty, then one append read back whole and in parts") {
    chunked_bytes bytes(8, 32);
    CHECK(bytes.size() == 0);
    CHECK(bytes.capacity() == 0);
    std::vector<std::uint8_t> out;
    bytes.copy_to(0, 0, out);
    CHECK(out.empty());

    const auto data = counting(5, 1);
    bytes.append(view(data));
    CHECK(bytes.size() == 5);
    CHECK(bytes.capacity() == 8);
    bytes.copy_to(0, 5, out);
    CHECK(out == data);
    // copy_to appends after what `out` holds.
    bytes.copy_to(1, 2, out);
    CHECK(out == std::vector<std::uint8_t>{1, 2, 3, 4, 5, 2, 3});
}

TEST_CASE("chunked_bytes: an append larger than several chunks spans them; chunks double up to the cap") {
    chunked_bytes bytes(8, 32);
    const auto data = counting(200, 0);
    bytes.append(view(data));
    CHECK(bytes.size() == 200);
    // 8 + 16 + 32 + 32 ... : the fewest chunks of those sizes that hold 200 bytes.
    CHECK(bytes.capacity() == 8 + 16 + 32 * 6);
    std::vector<std::uint8_t> out;
    bytes.copy_to(0, 200, out);
    CHECK(out == data);
    out.clear();
    bytes.copy_to(7, 20, out); // from the end of the first chunk over the whole second
    CHECK(out == std::vector<std::uint8_t>(data.begin() + 7, data.begin() + 27));
}

TEST_CASE("chunked_bytes: random appends and random reads agree with one contiguous copy") {
    std::mt19937 rng(7);
    chunked_bytes bytes(16, 256);
    std::vector<std::uint8_t> reference;
    for (int i = 0; i < 300; ++i) {
        const auto n = std::uniform_int_distribution<std::size_t>(0, 100)(rng);
        const auto data = counting(n, static_cast<std::uint8_t>(i));
        bytes.append(view(data));
        reference.insert(reference.end(), data.begin(), data.end());
        REQUIRE(bytes.size() == reference.size());
        const auto from = std::uniform_int_distribution<std::size_t>(0, reference.size())(rng);
        const auto size = std::uniform_int_distribution<std::size_t>(0, reference.size() - from)(rng);
        std::vector<std::uint8_t> out;
        bytes.copy_to(from, size, out);
        INFO("read " << size << " bytes at " << from << " of " << reference.size());
        REQUIRE(out == std::vector<std::uint8_t>(reference.begin() + static_cast<std::ptrdiff_t>(from),
                                                 reference.begin() + static_cast<std::ptrdiff_t>(from + size)));
    }
    CHECK(bytes.capacity() >= reference.size());
    CHECK(bytes.capacity() < reference.size() + 256);
}
