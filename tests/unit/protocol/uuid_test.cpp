#include "kafkit/protocol/uuid.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <string_view>

using kafkit::protocol::uuid;

namespace {

uuid make(std::initializer_list<std::uint8_t> bytes) {
    uuid u;
    std::size_t i = 0;
    for (auto b : bytes) u.bytes[i++] = b;
    return u;
}

uuid ascending() {
    uuid u;
    for (std::size_t i = 0; i < u.bytes.size(); ++i) u.bytes[i] = static_cast<std::uint8_t>(i);
    return u;
}

} // namespace

TEST_CASE("uuid: the zero id is is_zero and prints as 22 'A's") {
    const uuid zero;
    CHECK(zero.is_zero());
    CHECK(zero.to_string() == "AAAAAAAAAAAAAAAAAAAAAA");
    uuid one;
    one.bytes[15] = 1; // Kafka's Uuid(0, 1), the metadata topic id
    CHECK_FALSE(one.is_zero());
    CHECK(one.to_string() == "AAAAAAAAAAAAAAAAAAAAAQ");
    uuid high;
    high.bytes[0] = 0x80;
    CHECK_FALSE(high.is_zero());
}

TEST_CASE("uuid: to_string is URL-safe base64 without padding") {
    CHECK(ascending().to_string() == "AAECAwQFBgcICQoLDA0ODw");
    uuid ones;
    ones.bytes.fill(0xff);
    CHECK(ones.to_string() == "_____________________w");
    // 123e4567-e89b-12d3-a456-426614174000: exercises '-' (62) in the output.
    const uuid mixed = make({0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42,
                             0x66, 0x14, 0x17, 0x40, 0x00});
    CHECK(mixed.to_string() == "Ej5FZ-ibEtOkVkJmFBdAAA");
    const uuid leading_dash = make({0xfb, 0x8b, 0x3c, 0x0e, 0x1f, 0x2d, 0x4a, 0x5b, 0x9c, 0x6d,
                                    0x7e, 0x8f, 0x90, 0xa1, 0xb2, 0xc3});
    CHECK(leading_dash.to_string() == "-4s8Dh8tSlucbX6PkKGyww");
}

TEST_CASE("uuid: from_string parses the known vectors") {
    const auto parsed = uuid::from_string("AAECAwQFBgcICQoLDA0ODw");
    REQUIRE(parsed.has_value());
    CHECK(*parsed == ascending());
    const auto dash = uuid::from_string("-4s8Dh8tSlucbX6PkKGyww");
    REQUIRE(dash.has_value());
    CHECK(dash->bytes[0] == 0xfb);
    CHECK(dash->bytes[15] == 0xc3);
    const auto zero = uuid::from_string("AAAAAAAAAAAAAAAAAAAAAA");
    REQUIRE(zero.has_value());
    CHECK(zero->is_zero());
}

TEST_CASE("uuid: random ids round-trip through text") {
    std::mt19937 rng(20240611);
    for (int n = 0; n < 1000; ++n) {
        uuid u;
        for (auto& b : u.bytes) b = static_cast<std::uint8_t>(rng());
        const std::string text = u.to_string();
        CAPTURE(text);
        REQUIRE(text.size() == 22);
        const auto back = uuid::from_string(text);
        REQUIRE(back.has_value());
        CHECK(*back == u);
    }
}

TEST_CASE("uuid: from_string refuses anything but 22 base64url characters") {
    const std::string_view bad[] = {
        "",
        "AAECAwQFBgcICQoLDA0OD",                 // 21 characters
        "AAECAwQFBgcICQoLDA0ODwA",               // 23 characters
        "AAECAwQFBgcICQoLDA0ODw==",              // padded (24 characters)
        "AAECAwQFBgcICQoLDA0OD=",                // padding inside the 22
        "AAECAwQFBgcICQoLDA0OD+",                // standard base64 '+', not URL-safe
        "AAECAwQFBgcICQoLDA0OD/",                // standard base64 '/'
        "AAECAwQFBgcI CQoLDA0OD",                // space
        "AAECAwQFBgcICQoLDA0O\nw",               // control character
        "00010203-0405-0607-0809-0a0b0c0d0e0f",  // RFC 4122 text form
        "AAECAwQFBgcICQoLDA0OD\xc3",             // non-ASCII byte
    };
    for (auto text : bad) {
        CAPTURE(text);
        CHECK_FALSE(uuid::from_string(text).has_value());
    }
}

TEST_CASE("uuid: from_string refuses non-canonical trailing bits") {
    // The last character carries 2 data bits and 4 zero bits: 'w' (110000) is canonical,
    // 'x' (110001) sets a spare bit and would decode to the same bytes.
    CHECK(uuid::from_string("AAECAwQFBgcICQoLDA0ODw").has_value());
    CHECK_FALSE(uuid::from_string("AAECAwQFBgcICQoLDA0ODx").has_value());
    CHECK_FALSE(uuid::from_string("AAAAAAAAAAAAAAAAAAAAAB").has_value());
    CHECK(uuid::from_string("AAAAAAAAAAAAAAAAAAAAAQ").has_value());
}
