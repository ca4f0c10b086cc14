// KIP-511: a broker that does not support the ApiVersions version a client sent answers
// with a v0 body (error UNSUPPORTED_VERSION, 35) and the versions it does support.

#include "kafkit/codec/roundtrip.hpp"
#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/messages/api_versions.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

using namespace kafkit::protocol;

namespace {

// Correlation id 7, then a v0 ApiVersionsResponse body: ErrorCode 35 and one ApiKeys entry
// (ApiVersions, versions 0-2), all classic encoding: no tagged fields, int32 array length.
const std::vector<std::uint8_t> v0_reply = {
    0x00, 0x00, 0x00, 0x07,             // correlation id
    0x00, 0x23,                         // ErrorCode = 35 UNSUPPORTED_VERSION
    0x00, 0x00, 0x00, 0x01,             // ApiKeys: 1 entry
    0x00, 0x12, 0x00, 0x00, 0x00, 0x02, // ApiKey 18, MinVersion 0, MaxVersion 2
};

bytes_view view(const std::vector<std::uint8_t>& v) { return {v.data(), v.size()}; }

} // namespace

TEST_CASE("api versions: a v0 error body answering a v3 request is read via decode_response_frame") {
    auto decoded = decode_response_frame<api_versions_response>(view(v0_reply), 3);
    REQUIRE(decoded.has_value());
    CHECK(decoded->correlation_id == 7);
    CHECK(decoded->body.error_code == 35);
    REQUIRE(decoded->body.api_keys.size() == 1);
    CHECK(decoded->body.api_keys[0].api_key == 18);
    CHECK(decoded->body.api_keys[0].min_version == 0);
    CHECK(decoded->body.api_keys[0].max_version == 2);
    CHECK(decoded->body.throttle_time_ms == 0);
}

TEST_CASE("api versions: the round trip reads the v0 fallback and re-encodes it byte for byte") {
    const auto outcome = kafkit::codec::roundtrip_frame(kafkit::codec::direction::response, 18, 3, view(v0_reply));
    CHECK(outcome.passed());
    CHECK(outcome.reason.empty());
    CHECK(outcome.v0_fallback);
}

TEST_CASE("api versions: the v0 fallback is refused unless the whole body is v0") {
    std::vector<std::uint8_t> trailing = v0_reply;
    trailing.push_back(0x00); // one byte more than a v0 body holds
    CHECK_FALSE(decode_response_frame<api_versions_response>(view(trailing), 3).has_value());
    const auto outcome = kafkit::codec::roundtrip_frame(kafkit::codec::direction::response, 18, 3, view(trailing));
    CHECK(outcome.status == kafkit::codec::frame_status::decode_failed);
    CHECK_FALSE(outcome.v0_fallback);

    std::vector<std::uint8_t> truncated(v0_reply.begin(), v0_reply.end() - 1);
    CHECK_FALSE(decode_response_frame<api_versions_response>(view(truncated), 3).has_value());
}

TEST_CASE("api versions: only ApiVersions falls back; a v0 request decodes without it") {
    // The same bytes as a v0 response to a v0 request: no fallback involved.
    const auto direct = kafkit::codec::roundtrip_frame(kafkit::codec::direction::response, 18, 0, view(v0_reply));
    CHECK(direct.passed());
    CHECK_FALSE(direct.v0_fallback);
    // Another API's v0-shaped body at a higher version does not get a second chance.
    const std::vector<std::uint8_t> heartbeat_v0 = {0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
    CHECK(kafkit::codec::roundtrip_frame(kafkit::codec::direction::response, 12, 0, view(heartbeat_v0)).passed());
    CHECK_FALSE(kafkit::codec::roundtrip_frame(kafkit::codec::direction::response, 12, 1, view(heartbeat_v0)).passed());
}
