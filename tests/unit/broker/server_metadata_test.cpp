// The server core against the codec: ApiVersions (incl. the v0 fallback for a version
// the broker does not know), Metadata with auto-creation, and frames the broker refuses.

#include "broker_test_client.hpp"
#include "embedded_broker.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/api_versions.hpp"
#include "kafkit/protocol/messages/metadata.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace kafkit;
using namespace kafkit::protocol;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

namespace {
metadata_request::metadata_request_topic named(const char* name) {
    metadata_request::metadata_request_topic t;
    t.name = std::string(name);
    return t;
}
} // namespace

TEST_CASE("api versions: lists Metadata and ApiVersions with the versions served") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    api_versions_request request;
    request.client_software_name = "kafkit-test";
    request.client_software_version = "1.0";
    auto response = client.call<api_versions_response>(request, 3);
    CHECK(response.error_code == 0);
    bool metadata = false;
    for (const auto& api : response.api_keys)
        if (api.api_key == 3) {
            metadata = true;
            CHECK(api.min_version == 0);
            CHECK(api.max_version == 12);
        }
    CHECK(metadata);
}

TEST_CASE("api versions: a version above the broker's is answered in v0 with UNSUPPORTED_VERSION") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    // Encode a v3 body but claim v9 in the header: the broker must not try to parse it.
    std::vector<std::uint8_t> frame;
    REQUIRE(encode_request_frame(api_versions_request{}, 3, 7, "probe", frame));
    frame[6] = 0; // api_version high byte
    frame[7] = 9; // api_version = 9
    client.send_raw(frame);
    auto raw = client.read_frame();
    REQUIRE(raw);
    auto decoded = decode_response_frame<api_versions_response>(bytes_view(raw->data(), raw->size()), 0);
    REQUIRE(decoded);
    CHECK(decoded->correlation_id == 7);
    CHECK(decoded->body.error_code == static_cast<std::int16_t>(kafka_errc::unsupported_version));
    CHECK_FALSE(decoded->body.api_keys.empty());
}

TEST_CASE("metadata: three brokers, auto-created topic with leaders spread over them") {
    broker::broker_config config;
    config.brokers = 3;
    config.num_partitions = 6;
    embedded_broker broker(config);
    broker_test_client client(broker.port(1));
    metadata_request request;
    request.topics = std::vector{named("orders")};
    auto response = client.call<metadata_response>(request, 12);
    REQUIRE(response.brokers.size() == 3);
    CHECK(response.brokers[1].port == broker.port(1));
    CHECK(response.brokers[0].rack == std::optional<std::string>("rack-1"));
    REQUIRE(response.topics.size() == 1);
    const auto& t = response.topics[0];
    CHECK(t.error_code == 0);
    CHECK(t.name == std::optional<std::string>("orders"));
    CHECK_FALSE(t.topic_id.is_zero());
    REQUIRE(t.partitions.size() == 6);
    std::set<std::int32_t> leaders;
    for (const auto& p : t.partitions) leaders.insert(p.leader_id);
    CHECK(leaders.size() == 3);

    // Asked by id, the same topic comes back with its name.
    metadata_request by_id;
    metadata_request::metadata_request_topic wanted;
    wanted.topic_id = t.topic_id;
    wanted.name = std::nullopt;
    by_id.topics = std::vector{wanted};
    auto again = client.call<metadata_response>(by_id, 12);
    REQUIRE(again.topics.size() == 1);
    CHECK(again.topics[0].name == std::optional<std::string>("orders"));
}

TEST_CASE("metadata: no auto-creation when the request forbids it") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    metadata_request request;
    request.allow_auto_topic_creation = false;
    request.topics = std::vector{named("absent")};
    auto response = client.call<metadata_response>(request, 9);
    REQUIRE(response.topics.size() == 1);
    CHECK(response.topics[0].error_code == static_cast<std::int16_t>(kafka_errc::unknown_topic_or_partition));
}

TEST_CASE("server: an unknown api key, a bad size prefix and an oversized frame close only that connection") {
    embedded_broker broker;
    broker_test_client healthy(broker.port());
    {
        broker_test_client bad(broker.port());
        bad.send_raw({0, 0, 0, 8, 0x7f, 0x00, 0, 0, 0, 0, 0, 1}); // api key 32512
        CHECK(bad.wait_closed());
    }
    {
        broker_test_client bad(broker.port());
        bad.send_raw({0x80, 0, 0, 0}); // negative size
        CHECK(bad.wait_closed());
    }
    {
        broker_test_client bad(broker.port());
        bad.send_raw({0x7f, 0xff, 0xff, 0xff}); // 2 GiB
        CHECK(bad.wait_closed());
    }
    auto response = healthy.call<api_versions_response>(api_versions_request{}, 0);
    CHECK(response.error_code == 0);
}
