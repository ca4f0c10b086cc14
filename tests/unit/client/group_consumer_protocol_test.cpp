// The consumer protocol's JoinGroup and SyncGroup payloads against bytes written down by hand
// from ConsumerProtocolSubscription.json and ConsumerProtocolAssignment.json (apache/kafka,
// clients/src/main/resources/common/message), independent of the encoder, and the decoding
// rules of Java's ConsumerProtocol (a newer version is read as the newest known one, trailing
// bytes are ignored, an empty rack id is none).

#include "group/consumer_protocol.hpp"
#include "kafkit/protocol/error.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <ostream>
#include <string_view>
#include <vector>

using namespace kafkit::detail; // the codec's functions and types
using kafkit::partition_id;
using kafkit::topic_partition;

namespace {

// "00 01 ab" -> {0x00, 0x01, 0xab}; '|' and spaces are separators.
std::vector<std::uint8_t> hex(std::string_view text) {
    std::vector<std::uint8_t> out;
    int high = -1;
    for (const char c : text) {
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        if (v < 0) continue;
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high * 16 + v));
            high = -1;
        }
    }
    return out;
}

std::vector<std::uint8_t> concat(std::vector<std::uint8_t> a, const std::vector<std::uint8_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

kafkit::protocol::bytes_view view(const std::vector<std::uint8_t>& bytes) {
    return {bytes.data(), bytes.size()};
}

topic_partition tp(const char* topic, std::int32_t p) {
    return {topic, partition_id{p}};
}

// The 2-byte version prefix.
std::vector<std::uint8_t> version_bytes(std::int16_t version) {
    return {static_cast<std::uint8_t>(version >> 8), static_cast<std::uint8_t>(version & 0xff)};
}

// Topics t0 and t1, user data ab cd, owning t0-0, t0-2 and t1-1 at generation 7 on rack r1;
// listed out of order to show that the encoder sorts as Java does.
member_subscription sample_subscription() {
    member_subscription s;
    s.topics = {"t1", "t0"};
    s.user_data = {0xab, 0xcd};
    s.owned_partitions = {tp("t1", 1), tp("t0", 2), tp("t0", 0)};
    s.generation_id = 7;
    s.rack_id = "r1";
    return s;
}

// The body of sample_subscription() field by field, after the version.
const auto topics_and_user_data = hex("00000002 | 0002 7430 | 0002 7431 | 00000002 abcd");
const auto owned_partitions =
    hex("00000002 | 0002 7430 00000002 00000000 00000002 | 0002 7431 00000001 00000001");
const auto generation_7 = hex("00000007");
const auto rack_r1 = hex("0002 7231");

std::vector<std::uint8_t> sample_bytes(std::int16_t version) {
    auto out = concat(version_bytes(version), topics_and_user_data);
    if (version >= 1) out = concat(out, owned_partitions);
    if (version >= 2) out = concat(out, generation_7);
    if (version >= 3) out = concat(out, rack_r1);
    return out;
}

} // namespace

TEST_CASE("consumer_protocol: hand-written subscriptions decode at each version") {
    for (std::int16_t version = 0; version <= 3; ++version) {
        CAPTURE(version);
        const auto bytes = sample_bytes(version);
        const auto decoded = decode_subscription(view(bytes));
        REQUIRE(decoded);
        CHECK(decoded->topics == std::vector<std::string>{"t0", "t1"});
        CHECK(decoded->user_data == std::vector<std::uint8_t>{0xab, 0xcd});
        CHECK(decoded->owned_partitions == (version >= 1
                                                ? std::vector{tp("t0", 0), tp("t0", 2), tp("t1", 1)}
                                                : std::vector<topic_partition>{}));
        CHECK(decoded->generation_id == (version >= 2 ? 7 : -1));
        CHECK(decoded->rack_id == (version >= 3 ? std::optional<std::string>("r1") : std::nullopt));
        CHECK(decoded->member_id.empty());
        CHECK_FALSE(decoded->group_instance_id);
    }
}

TEST_CASE("consumer_protocol: subscriptions encode to the schema's bytes and round-trip") {
    for (std::int16_t version = 0; version <= 3; ++version) {
        CAPTURE(version);
        const auto encoded = encode_subscription(sample_subscription(), version);
        REQUIRE(encoded);
        CHECK(*encoded == sample_bytes(version));
        const auto decoded = decode_subscription(view(*encoded));
        REQUIRE(decoded);
        member_subscription expected = sample_subscription();
        expected.topics = {"t0", "t1"};
        expected.owned_partitions = {tp("t0", 0), tp("t0", 2), tp("t1", 1)};
        if (version < 1) expected.owned_partitions.clear();
        if (version < 2) expected.generation_id = -1;
        if (version < 3) expected.rack_id.reset();
        CHECK(*decoded == expected);
    }
}

TEST_CASE(
    "consumer_protocol: a newer subscription version is read as v3, its extra bytes ignored") {
    // Version 4, as a future Java might write it: the v3 fields, then one more int32 field.
    const auto v3 = sample_bytes(3);
    const auto v4 =
        concat(concat(hex("0004"), std::vector(v3.begin() + 2, v3.end())), hex("0000002a"));
    const auto decoded = decode_subscription(view(v4));
    REQUIRE(decoded);
    CHECK(decoded->generation_id == 7);
    CHECK(decoded->rack_id == "r1");
    CHECK(decoded->owned_partitions.size() == 3);

    // Trailing bytes after a known version are ignored too (Java's ByteBufferAccessor leaves them).
    const auto v0_with_tail = concat(sample_bytes(0), hex("deadbeef"));
    const auto v0 = decode_subscription(view(v0_with_tail));
    REQUIRE(v0);
    CHECK(v0->topics.size() == 2);
    CHECK(v0->owned_partitions.empty());
}

TEST_CASE("consumer_protocol: librdkafka's subscription with no user data, no owned partitions, no "
          "rack") {
    // rd_kafka_consumer_protocol_member_metadata_new (librdkafka 2.3+): version 3, topic "t",
    // empty (not null) user data, an empty owned array, generation -1, null rack id.
    const auto bytes = hex("0003 | 00000001 0001 74 | 00000000 | 00000000 | ffffffff | ffff");
    const auto decoded = decode_subscription(view(bytes));
    REQUIRE(decoded);
    CHECK(decoded->topics == std::vector<std::string>{"t"});
    CHECK(decoded->user_data.empty());
    CHECK(decoded->owned_partitions.empty());
    CHECK(decoded->generation_id == -1);
    CHECK_FALSE(decoded->rack_id);

    member_subscription ours;
    ours.topics = {"t"};
    const auto encoded = encode_subscription(ours);
    REQUIRE(encoded);
    CHECK(*encoded == bytes);
}

TEST_CASE("consumer_protocol: an empty rack id reads and writes as none") {
    const auto bytes = hex("0003 | 00000001 0001 74 | 00000000 | 00000000 | 00000003 | 0000");
    const auto decoded = decode_subscription(view(bytes));
    REQUIRE(decoded);
    CHECK_FALSE(decoded->rack_id);
    CHECK(decoded->generation_id == 3);

    member_subscription s;
    s.topics = {"t"};
    s.rack_id = "";
    const auto encoded = encode_subscription(s);
    REQUIRE(encoded);
    CHECK(std::vector(encoded->end() - 2, encoded->end()) == hex("ffff"));
}

TEST_CASE("consumer_protocol: bad subscriptions are errors, never exceptions") {
    const auto full = sample_bytes(3);
    for (std::size_t size = 0; size < full.size(); ++size) {
        CAPTURE(size);
        const std::vector prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(size));
        const auto decoded = decode_subscription(view(prefix));
        REQUIRE_FALSE(decoded);
        CHECK(decoded.error() == kafkit::errc::truncated);
    }
    const auto negative = concat(hex("ffff"), topics_and_user_data);
    CHECK(decode_subscription(view(negative)).error() == kafkit::errc::unsupported_version);
    // A topic array claiming more entries than bytes remain.
    const auto lying = hex("0000 | 7fffffff | 0001 74");
    CHECK(decode_subscription(view(lying)).error() == kafkit::errc::truncated);
    const auto null_topics = hex("0000 | ffffffff | ffffffff");
    CHECK(decode_subscription(view(null_topics)).error() == kafkit::errc::malformed_frame);

    CHECK(encode_subscription(sample_subscription(), 4).error() ==
          kafkit::errc::unsupported_version);
    CHECK(encode_subscription(sample_subscription(), -1).error() ==
          kafkit::errc::unsupported_version);
}

TEST_CASE("consumer_protocol: an assignment encodes and decodes as the schema defines") {
    // t0-1, t1-0, t1-2, no user data (null), at v3 as Java writes it.
    const auto body = hex(
        "00000002 | 0002 7430 00000001 00000001 | 0002 7431 00000002 00000000 00000002 | ffffffff");
    const member_assignment assignment{{tp("t1", 2), tp("t0", 1), tp("t1", 0)}, {}};
    for (std::int16_t version = 0; version <= 3; ++version) {
        CAPTURE(version);
        const auto expected = concat(version_bytes(version), body);
        const auto encoded = encode_assignment(assignment, version);
        REQUIRE(encoded);
        CHECK(*encoded == expected);
        const auto decoded = decode_assignment(view(expected));
        REQUIRE(decoded);
        CHECK(decoded->partitions == std::vector{tp("t0", 1), tp("t1", 0), tp("t1", 2)});
        CHECK(decoded->user_data.empty());
    }
    CHECK(encode_assignment(assignment, 4).error() == kafkit::errc::unsupported_version);
}

TEST_CASE("consumer_protocol: assignments from other writers decode") {
    // librdkafka (rd_kafka_group_MemberState_consumer_write) writes version 0; user data here.
    const auto rdkafka = hex("0000 | 00000001 0001 74 00000001 00000003 | 00000002 0102");
    const auto a = decode_assignment(view(rdkafka));
    REQUIRE(a);
    CHECK(a->partitions == std::vector{tp("t", 3)});
    CHECK(a->user_data == std::vector<std::uint8_t>{0x01, 0x02});

    // Java 2.4 development builds appended an int16 error code at v1; a future v9 may append more.
    const auto with_error_code = hex("0001 | 00000000 | ffffffff | 0000");
    const auto b = decode_assignment(view(with_error_code));
    REQUIRE(b);
    CHECK(b->partitions.empty());
    const auto future = hex("0009 | 00000001 0001 74 00000000 | ffffffff | 01020304");
    const auto c = decode_assignment(view(future));
    REQUIRE(c);
    CHECK(c->partitions.empty());

    CHECK(decode_assignment(view(hex("8000 00000000 ffffffff"))).error() ==
          kafkit::errc::unsupported_version);
    CHECK(decode_assignment(view(hex("0000 00000001 0001"))).error() == kafkit::errc::truncated);
    CHECK(decode_assignment(view(hex("00"))).error() == kafkit::errc::truncated);
}

TEST_CASE("consumer_protocol: assignment user data round-trips") {
    const member_assignment assignment{{tp("a", 0)}, {0x00, 0x00, 0x00, 0x05}};
    const auto encoded = encode_assignment(assignment);
    REQUIRE(encoded);
    CHECK(*encoded == hex("0003 | 00000001 0001 61 00000001 00000000 | 00000004 00000005"));
    const auto decoded = decode_assignment(view(*encoded));
    REQUIRE(decoded);
    CHECK(*decoded == assignment);
}
