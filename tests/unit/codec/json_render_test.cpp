#include "kafkit/codec/json_render.hpp"
#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/messages/metadata.hpp"
#include "kafkit/protocol/messages/sasl_authenticate.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

using namespace kafkit::codec;
using namespace kafkit::protocol;

namespace {

bytes_view view(const std::vector<std::uint8_t>& v, std::size_t skip = 0) {
    return {v.data() + skip, v.size() - skip};
}

} // namespace

TEST_CASE("json: a request renders its header and body under the schema's field names, in order") {
    metadata_request request;
    auto& topic = request.topics->emplace_back();
    topic.topic_id.bytes = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0xed, 0xcb, 0xa9, 0x87, 0x65, 0x43, 0x21};
    topic.name = std::nullopt;
    request.include_topic_authorized_operations = true;
    std::vector<std::uint8_t> frame;
    REQUIRE(encode_request_frame(request, 12, 77, "json-test", frame).has_value());

    const auto rendered = render_frame(direction::request, 3, 12, view(frame, 4), frame_part::whole_frame);
    REQUIRE_MESSAGE(rendered.json.has_value(), rendered.reason);
    const auto& json = *rendered.json;
    CHECK(json["api"] == "Metadata");
    CHECK(json["api_version"] == 12);
    CHECK(json["direction"] == "request");
    CHECK(json["header"]["CorrelationId"] == 77);
    CHECK(json["header"]["ClientId"] == "json-test");
    REQUIRE(json["body"]["Topics"].size() == 1);
    CHECK(json["body"]["Topics"][0]["TopicId"] == topic.topic_id.to_string());
    CHECK(json["body"]["Topics"][0]["TopicId"].get<std::string>().size() == 22);
    CHECK(json["body"]["Topics"][0]["Name"].is_null());
    CHECK(json["body"]["AllowAutoTopicCreation"] == true);
    CHECK(json["body"]["IncludeTopicAuthorizedOperations"] == true);
    // Keys come in schema order, not sorted.
    CHECK(json["body"].begin().key() == "Topics");
}

TEST_CASE("json: bytes are hex, unknown tagged fields are kept, a body renders alone") {
    sasl_authenticate_request request;
    const std::vector<std::uint8_t> auth = {0x00, 0x75, 0x00, 0x70, 0xff};
    request.auth_bytes = bytes_view(auth.data(), auth.size());
    const std::vector<std::uint8_t> tag_data = {0xab, 0xcd};
    request.unknown_tags.push_back({9, bytes_view(tag_data.data(), tag_data.size())});
    std::vector<std::uint8_t> body;
    REQUIRE(encode(request, 2, body).has_value());

    const auto rendered = render_frame(direction::request, 36, 2, view(body), frame_part::body_only);
    REQUIRE_MESSAGE(rendered.json.has_value(), rendered.reason);
    CHECK_FALSE(rendered.json->contains("header"));
    CHECK((*rendered.json)["body"]["AuthBytes"] == "00750070ff");
    REQUIRE((*rendered.json)["body"]["_unknown_tagged_fields"].size() == 1);
    CHECK((*rendered.json)["body"]["_unknown_tagged_fields"][0]["tag"] == 9);
    CHECK((*rendered.json)["body"]["_unknown_tagged_fields"][0]["data"] == "abcd");
}

TEST_CASE("json: what does not decode is an error with the offset, not partial JSON") {
    // SaslAuthenticate v0 body claiming 16 bytes of AuthBytes but carrying 2.
    const std::vector<std::uint8_t> body = {0x00, 0x00, 0x00, 0x10, 0x01, 0x02};
    const auto rendered = render_frame(direction::request, 36, 0, view(body), frame_part::body_only);
    CHECK_FALSE(rendered.json.has_value());
    CHECK(rendered.error == kafkit::errc::truncated);
    CHECK(rendered.reason.find("SaslAuthenticateRequest v0") != std::string::npos);

    const auto unknown = render_frame(direction::request, 999, 0, view(body), frame_part::body_only);
    CHECK(unknown.error == kafkit::errc::unsupported_api);

    // A whole frame whose header names another API than the caller asked for.
    std::vector<std::uint8_t> frame;
    REQUIRE(encode_request_frame(metadata_request{}, 1, 5, "x", frame).has_value());
    const auto mismatch = render_frame(direction::request, 36, 1, view(frame, 4), frame_part::whole_frame);
    CHECK_FALSE(mismatch.json.has_value());
    CHECK(mismatch.reason.find("names api 3 v1") != std::string::npos);
}
