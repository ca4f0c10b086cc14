#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/messages/all.hpp"

#include <doctest/doctest.h>

#include <ostream>
#include <vector>

using namespace kafkit::protocol;

namespace {
bytes_view view(const std::vector<std::uint8_t>& v, std::size_t skip = 0) {
    return {v.data() + skip, v.size() - skip};
}
} // namespace

TEST_CASE("frame: header versions follow the API's flexible versions") {
    CHECK(request_header_version(3, 8) == 1);   // Metadata v8: classic
    CHECK(request_header_version(3, 9) == 2);   // Metadata v9: flexible
    CHECK(response_header_version(3, 8) == 0);
    CHECK(response_header_version(3, 9) == 1);
    CHECK(request_header_version(18, 3) == 2);  // ApiVersions v3 request is flexible...
    CHECK(response_header_version(18, 3) == 0); // ...but its response header never is
    CHECK(request_header_version(7, 0) == 0);   // ControlledShutdown v0 has no client id
    CHECK(request_header_version(999, 0) == -1);
}

TEST_CASE("frame: a request frame carries size, header and body and reads back") {
    metadata_request request;
    request.topics.emplace().push_back({});
    request.topics->back().name = "orders";
    std::vector<std::uint8_t> out = {0xaa}; // frames append to what is there
    REQUIRE(encode_request_frame(request, 12, 42, "client-1", out).has_value());

    const std::size_t size = (std::size_t{out[1]} << 24) | (out[2] << 16) | (out[3] << 8) | out[4];
    REQUIRE(size == out.size() - 5);
    auto frame = read_request_frame(view(out, 5));
    REQUIRE(frame.has_value());
    CHECK(frame->api_key == 3);
    CHECK(frame->api_version == 12);
    CHECK(frame->correlation_id == 42);
    CHECK(frame->header_version == 2);
    REQUIRE(frame->client_id.has_value());
    CHECK(*frame->client_id == "client-1");
    auto body = decode<metadata_request>(frame->body, 12);
    REQUIRE(body.has_value());
    REQUIRE(body->topics.has_value());
    CHECK(body->topics->at(0).name == "orders");
}

TEST_CASE("frame: the hand-written request header matches the generated RequestHeader") {
    for (std::int16_t version : {0, 8, 9, 12}) {
        std::vector<std::uint8_t> frame;
        write_request_header(frame, 3, version, 7, "id");
        request_header expected;
        expected.request_api_key = 3;
        expected.request_api_version = version;
        expected.correlation_id = 7;
        expected.client_id = "id";
        std::vector<std::uint8_t> generated;
        REQUIRE(encode(expected, request_header_version(3, version), generated).has_value());
        CHECK(frame == generated);
    }
}

TEST_CASE("frame: a response frame round-trips with its correlation id") {
    api_versions_response response;
    response.api_keys.push_back({});
    response.api_keys.back().api_key = 0;
    response.api_keys.back().max_version = 11;
    std::vector<std::uint8_t> out;
    REQUIRE(encode_response_frame(response, 3, 99, out).has_value());
    auto decoded = decode_response_frame<api_versions_response>(view(out, 4), 3);
    REQUIRE(decoded.has_value());
    CHECK(decoded->correlation_id == 99);
    CHECK(decoded->body == response);
}

TEST_CASE("frame: unknown API keys and short frames are clean errors") {
    const std::vector<std::uint8_t> unknown = {0x03, 0xe7, 0, 0, 0, 0, 0, 1, 0xff, 0xff};
    CHECK(read_request_frame(view(unknown)).error() == kafkit::errc::unsupported_api);
    const std::vector<std::uint8_t> short_frame = {0, 3, 0};
    CHECK(read_request_frame(view(short_frame)).error() == kafkit::errc::truncated);
    const std::vector<std::uint8_t> short_client_id = {0, 3, 0, 1, 0, 0, 0, 1, 0, 9, 'a'};
    CHECK(read_request_frame(view(short_client_id)).error() == kafkit::errc::truncated);
}

TEST_CASE("frame: a failed encode leaves the buffer as it was") {
    produce_request request;
    request.transactional_id = "txn"; // v2 has no TransactionalId and may not drop it
    std::vector<std::uint8_t> out = {1, 2, 3};
    CHECK(encode_request_frame(request, 2, 1, std::nullopt, out).error() == kafkit::errc::invalid_field_value);
    CHECK(out == std::vector<std::uint8_t>{1, 2, 3});
}
