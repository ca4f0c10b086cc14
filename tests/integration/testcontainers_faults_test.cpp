// The fault controls through kafkit-broker's control socket take effect on the wire:
// injected errors, a node going down and up, leader moves, dropped connections, delays,
// and the control protocol's own error answers.

#include "integration_support.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/testcontainers/reference_cluster.hpp"

#include <doctest/doctest.h>

using namespace kafkit;
using namespace kafkit::protocol;
using kafkit::integration::metadata_for;
using kafkit::testcontainers::cluster_error;
using kafkit::testcontainers::node_state;
using kafkit::testcontainers::reference_cluster;
using kafkit::testcontainers::reference_cluster_options;
using kafkit::testing::broker_test_client;

namespace {

constexpr std::int16_t metadata_key = 3;
constexpr auto not_leader = static_cast<std::int16_t>(kafka_errc::not_leader_or_follower);

reference_cluster three_brokers() {
    reference_cluster_options options;
    options.brokers = 3;
    return reference_cluster(options);
}

std::int16_t topic_error(broker_test_client& client, const std::string& topic) {
    auto response = client.call<metadata_response>(metadata_for({topic}), 12);
    REQUIRE(response.topics.size() == 1);
    return response.topics[0].error_code;
}

/// The "error" of a raw control response line, with JSON's \" unescaped.
std::string error_of(const std::string& line) {
    const std::string key = R"("error":")";
    const auto start = line.find(key);
    if (start == std::string::npos) return "(no error in " + line + ")";
    std::string out;
    for (auto i = start + key.size(); i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        out += line[i];
    }
    return out;
}

std::string refusal(const std::function<void()>& call) {
    try {
        call();
    } catch (const cluster_error& e) {
        return e.what();
    }
    return "(not refused)";
}

} // namespace

TEST_CASE("faults: push_request_errors on Metadata answers those errors, in order, then normally") {
    auto cluster = three_brokers();
    cluster.create_topic("t", 1);
    broker_test_client client(cluster.port(0));
    const auto unknown = static_cast<std::int16_t>(kafka_errc::unknown_topic_or_partition);
    cluster.faults().push_request_errors(metadata_key, {not_leader, unknown}, -1);
    CHECK(topic_error(client, "t") == not_leader);
    CHECK(topic_error(client, "t") == unknown);
    CHECK(topic_error(client, "t") == 0);

    // Aimed at node 2: node 1's requests are not affected, and the error waits for node 2.
    cluster.faults().push_request_errors(metadata_key, {not_leader}, 2);
    CHECK(topic_error(client, "t") == 0);
    broker_test_client node2(cluster.port(1));
    CHECK(topic_error(node2, "t") == not_leader);
    CHECK(topic_error(node2, "t") == 0);

    // clear() forgets errors not yet taken.
    cluster.faults().push_request_errors(metadata_key, {not_leader}, -1);
    cluster.faults().clear();
    CHECK(topic_error(client, "t") == 0);
}

TEST_CASE("faults: a node set down drops its clients and refuses new ones until set up") {
    auto cluster = three_brokers();
    broker_test_client on_node2(cluster.port(1));
    CHECK(on_node2.call<api_versions_response>(api_versions_request{}, 0).error_code == 0);
    cluster.faults().set_node_state(2, node_state::down);
    CHECK(on_node2.wait_closed());
    {
        // The port still accepts at the TCP level, then closes at once (as librdkafka's
        // mock does for a down broker).
        broker_test_client refused(cluster.port(1));
        CHECK(refused.wait_closed());
    }
    broker_test_client on_node1(cluster.port(0));
    auto metadata = on_node1.call<metadata_response>(metadata_for({}), 12);
    CHECK(metadata.brokers.size() == 2);
    CHECK_FALSE(cluster.faults().describe().find_node(2)->up);

    cluster.faults().set_node_state(2, node_state::up);
    broker_test_client back(cluster.port(1));
    CHECK(back.call<metadata_response>(metadata_for({}), 12).brokers.size() == 3);
    CHECK(cluster.faults().describe().find_node(2)->up);
}

TEST_CASE("faults: set_partition_leader moves the leader and bumps the leader epoch") {
    auto cluster = three_brokers();
    cluster.create_topic("moves", 3);
    auto before = cluster.faults().describe().find_topic("moves")->partitions.at(0);
    CHECK(before.leader_epoch == 0);
    const std::int32_t target = before.leader == 3 ? 1 : before.leader + 1;
    cluster.faults().set_partition_leader("moves", 0, target);

    auto after = cluster.faults().describe().find_topic("moves")->partitions.at(0);
    CHECK(after.leader == target);
    CHECK(after.leader_epoch == before.leader_epoch + 1);
    broker_test_client client(cluster.port(0));
    auto response = client.call<metadata_response>(metadata_for({"moves"}), 12);
    REQUIRE(response.topics.size() == 1);
    const auto& p0 = response.topics[0].partitions.at(0);
    CHECK(p0.leader_id == target);
    CHECK(p0.leader_epoch == after.leader_epoch);

    CHECK(refusal([&] { cluster.faults().set_partition_leader("nope", 0, 1); }).find("unknown topic \"nope\"") !=
          std::string::npos);
    CHECK(refusal([&] { cluster.faults().set_partition_leader("moves", 7, 1); }).find("has no partition 7") !=
          std::string::npos);
    CHECK(refusal([&] { cluster.faults().set_partition_leader("moves", 0, 9); }).find("no node 9") != std::string::npos);
}

TEST_CASE("faults: drop_connections closes the connections of one client.id") {
    auto cluster = three_brokers();
    broker_test_client a(cluster.port(0));
    a.set_client_id("client-a");
    broker_test_client b(cluster.port(0));
    b.set_client_id("client-b");
    // The broker learns a client.id from the first request header.
    CHECK(a.call<api_versions_response>(api_versions_request{}, 0).error_code == 0);
    CHECK(b.call<api_versions_response>(api_versions_request{}, 0).error_code == 0);

    CHECK(cluster.faults().drop_connections(-1, "client-a") == 1);
    CHECK(a.wait_closed());
    CHECK(b.call<api_versions_response>(api_versions_request{}, 0).error_code == 0);
    CHECK(cluster.faults().drop_connections(2, "") == 0); // nobody is connected to node 2
    CHECK(cluster.faults().drop_connections(-1, "") == 1);
    CHECK(b.wait_closed());
}

TEST_CASE("faults: a response delay holds answers back until cleared") {
    auto cluster = three_brokers();
    broker_test_client client(cluster.port(0));
    cluster.faults().set_response_delay(-1, 18, std::chrono::milliseconds(300));
    auto began = std::chrono::steady_clock::now();
    CHECK(client.call<api_versions_response>(api_versions_request{}, 0).error_code == 0);
    CHECK(std::chrono::steady_clock::now() - began >= std::chrono::milliseconds(300));

    // A delay pushed with an error applies to that one request.
    cluster.faults().clear();
    cluster.faults().push_request_errors(18, {{0, std::chrono::milliseconds(200)}}, 1);
    began = std::chrono::steady_clock::now();
    CHECK(client.call<api_versions_response>(api_versions_request{}, 0).error_code == 0);
    CHECK(std::chrono::steady_clock::now() - began >= std::chrono::milliseconds(200));
}

TEST_CASE("control socket: bad requests are answered with the reason and the connection stays usable") {
    reference_cluster cluster;
    auto& control = cluster.faults();
    auto answer = control.request_line("this is not json");
    CHECK(answer.find(R"("ok":false)") != std::string::npos);
    CHECK(error_of(answer).find("malformed JSON") == 0);
    CHECK(error_of(control.request_line(R"({"op":"explode"})")).find("unknown op \"explode\"") == 0);
    CHECK(error_of(control.request_line(R"({"op":"set_node_up","node":1})")) == "set_node_up: field \"up\" is required");
    CHECK(error_of(control.request_line(R"({"op":"push_request_errors","api_key":3,"errors":[{"code":"x"}]})")) ==
          "push_request_errors: errors[0]: field \"code\" must be an integer from -1 to 32767");
    CHECK(error_of(control.request_line(R"({"op":"push_request_errors","api_key":999,"errors":[{"code":6}]})")) ==
          "push_request_errors: unknown api_key 999");
    CHECK(error_of(control.request_line(R"({"op":"drop_connections","nod":1})")) == "drop_connections: unknown field \"nod\"");
    CHECK(error_of(control.request_line(R"({"op":"set_node_up","node":5,"up":false})")) == "no node 5 (nodes are 1 to 1)");
    CHECK(control.request_line(R"({"op":"clear","id":"abc"})") == R"({"id":"abc","ok":true})");
    CHECK(control.describe().nodes.size() == 1);
}
