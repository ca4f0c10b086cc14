// mock_cluster runs librdkafka's mock cluster in this process; our test client talks to it
// over TCP. The same checks then run against both backends through the `cluster`
// interface, which is how client tests are meant to use testcontainers.

#include "integration_support.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/testcontainers/mock_cluster.hpp"
#include "kafkit/testcontainers/reference_cluster.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace kafkit;
using namespace kafkit::protocol;
using kafkit::integration::metadata_for;
using kafkit::integration::served_version;
using kafkit::testcontainers::cluster;
using kafkit::testcontainers::cluster_error;
using kafkit::testcontainers::mock_cluster;
using kafkit::testcontainers::node_state;
using kafkit::testcontainers::reference_cluster;
using kafkit::testcontainers::reference_cluster_options;
using kafkit::testing::broker_test_client;

namespace {

/// A down node either refuses the connection (librdkafka's mock closes its listener) or
/// accepts and closes it at once (kafkit-broker).
bool refuses(std::uint16_t port) {
    try {
        broker_test_client client(port);
        return client.wait_closed();
    } catch (const std::runtime_error&) {
        return true;
    }
}

/// What any backend must do: metadata naming every node, a created topic, a leader move
/// and a down node, observed with our own client.
void check_cluster_basics(cluster& c) {
    CAPTURE(c.backend());
    const auto nodes = c.nodes();
    REQUIRE(nodes.size() == 3);
    c.create_topic("basics", 4);
    const auto version = served_version(nodes[0].port, 3, 12);
    REQUIRE(version >= 1);

    broker_test_client client(nodes[0].port);
    auto response = client.call<metadata_response>(metadata_for({"basics"}, true), version);
    std::set<std::int32_t> ids;
    for (const auto& b : response.brokers) ids.insert(b.node_id);
    CHECK(ids == std::set<std::int32_t>{1, 2, 3});
    REQUIRE(response.topics.size() == 1);
    CHECK(response.topics[0].error_code == 0);
    REQUIRE(response.topics[0].partitions.size() == 4);

    const std::int32_t old_leader = response.topics[0].partitions[1].leader_id;
    const std::int32_t target = old_leader == 3 ? 1 : old_leader + 1;
    c.faults().set_partition_leader("basics", 1, target);
    auto moved = client.call<metadata_response>(metadata_for({"basics"}, true), version);
    REQUIRE(moved.topics.size() == 1);
    CHECK(moved.topics[0].partitions.at(1).leader_id == target);

    c.faults().set_node_state(3, node_state::down);
    CHECK(refuses(nodes[2].port));
    c.faults().set_node_state(3, node_state::up);
    broker_test_client up(nodes[2].port);
    CHECK(up.call<api_versions_response>(api_versions_request{}, 0).error_code == 0);
}

} // namespace

TEST_CASE("mock_cluster: starts three brokers and answers Metadata through our client") {
    mock_cluster mock(3);
    const auto nodes = mock.nodes();
    REQUIRE(nodes.size() == 3);
    CHECK(mock.backend() == "librdkafka-mock");
    CHECK(mock.bootstrap_servers().find(std::to_string(nodes[1].port)) != std::string::npos);
    mock.create_topic("mocked", 2);
    const auto version = served_version(nodes[1].port, 3, 12);
    REQUIRE(version >= 1);
    broker_test_client client(nodes[1].port);
    auto response = client.call<metadata_response>(metadata_for({"mocked"}, true), version);
    REQUIRE(response.brokers.size() == 3);
    for (const auto& b : response.brokers) CHECK(b.port == nodes[static_cast<std::size_t>(b.node_id - 1)].port);
    REQUIRE(response.topics.size() == 1);
    CHECK(response.topics[0].name == std::optional<std::string>("mocked"));
    CHECK(response.topics[0].partitions.size() == 2);
    CHECK_THROWS_AS(mock.create_topic("mocked", 2), cluster_error); // TOPIC_ALREADY_EXISTS
}

TEST_CASE("mock_cluster: injected errors reach the wire") {
    mock_cluster mock(3);
    mock.create_topic("t", 1);
    const auto nodes = mock.nodes();
    broker_test_client client(nodes[0].port);
    const auto version = served_version(nodes[0].port, 3, 12);
    // ApiVersions answers the injected error in its top-level error code.
    const auto invalid = static_cast<std::int16_t>(kafka_errc::invalid_request);
    mock.faults().push_request_errors(18, {invalid}, -1);
    CHECK(client.call<api_versions_response>(api_versions_request{}, 0).error_code == invalid);
    CHECK(client.call<api_versions_response>(api_versions_request{}, 0).error_code == 0);
    // A broker's own error stack, with a delay per error.
    mock.faults().push_request_errors(18, {{invalid, std::chrono::milliseconds(200)}}, 1);
    const auto began = std::chrono::steady_clock::now();
    CHECK(client.call<api_versions_response>(api_versions_request{}, 0).error_code == invalid);
    CHECK(std::chrono::steady_clock::now() - began >= std::chrono::milliseconds(150));
    CHECK(client.call<metadata_response>(metadata_for({"t"}, true), version).topics.size() == 1);

    // What the mock cannot do is refused, not faked.
    CHECK_THROWS_AS(mock.faults().set_response_delay(1, 3, std::chrono::milliseconds(10)), cluster_error);
    CHECK_THROWS_AS(mock.faults().drop_connections(-1, "someone"), cluster_error);
    CHECK_THROWS_AS(mock.faults().set_node_state(7, node_state::down), cluster_error);
}

TEST_CASE("cluster interface: the same checks pass on the reference broker and the mock") {
    SUBCASE("kafkit-broker") {
        reference_cluster_options options;
        options.brokers = 3;
        reference_cluster c(options);
        check_cluster_basics(c);
    }
    SUBCASE("librdkafka mock") {
        mock_cluster c(3);
        check_cluster_basics(c);
    }
}
