// reference_cluster runs the real kafkit-broker binary: it starts N nodes and waits for
// the ready line, stops gracefully on SIGTERM (answering the request in flight), restarts
// on the same ports and data directory, and reports a broker that cannot start.

#include "integration_support.hpp"
#include "kafkit/testcontainers/reference_cluster.hpp"

#include <doctest/doctest.h>

#include <future>

using namespace kafkit;
using namespace kafkit::protocol;
using kafkit::integration::metadata_for;
using kafkit::testcontainers::cluster_error;
using kafkit::testcontainers::reference_cluster;
using kafkit::testcontainers::reference_cluster_options;
using kafkit::testcontainers::storage;
using kafkit::testing::broker_test_client;

TEST_CASE("reference_cluster: three brokers start and each answers Metadata") {
    reference_cluster_options options;
    options.brokers = 3;
    reference_cluster cluster(options);
    REQUIRE(cluster.running());
    const auto nodes = cluster.nodes();
    REQUIRE(nodes.size() == 3);
    CHECK(nodes[0].id == 1);
    CHECK(nodes[2].id == 3);
    CHECK(cluster.bootstrap_servers() == "127.0.0.1:" + std::to_string(nodes[0].port) + ",127.0.0.1:" +
                                             std::to_string(nodes[1].port) + ",127.0.0.1:" + std::to_string(nodes[2].port));
    cluster.create_topic("orders", 3);
    for (const auto& node : nodes) {
        broker_test_client client(node.port);
        auto response = client.call<metadata_response>(metadata_for({"orders"}), 12);
        REQUIRE(response.brokers.size() == 3);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(response.brokers[i].node_id == nodes[i].id);
            CHECK(response.brokers[i].port == nodes[i].port);
        }
        REQUIRE(response.topics.size() == 1);
        CHECK(response.topics[0].error_code == 0);
        CHECK(response.topics[0].partitions.size() == 3);
    }
}

TEST_CASE("reference_cluster: SIGTERM answers the request in flight, then exits 0") {
    reference_cluster_options options;
    options.extra_args = {"--log-level", "0"}; // the broker logs each request it dispatches
    reference_cluster cluster(options);
    broker_test_client client(cluster.port(0));
    cluster.faults().set_response_delay(-1, 18, std::chrono::milliseconds(700));
    api_versions_request request;
    request.client_software_name = "kafkit-test";
    request.client_software_version = "1";
    const auto correlation_id = client.send(request, 3);
    // In flight once the broker has dispatched it (its debug log says so).
    REQUIRE(integration::eventually([&] { return cluster.stderr_text().find("request ApiVersions v3") != std::string::npos; }));
    const auto began = std::chrono::steady_clock::now();
    auto status = std::async(std::launch::async, [&] { return cluster.stop(); });
    auto frame = client.read_frame();
    REQUIRE(frame);
    auto decoded = decode_response_frame<api_versions_response>(bytes_view(frame->data(), frame->size()), 3);
    REQUIRE(decoded);
    CHECK(decoded->correlation_id == correlation_id);
    CHECK(decoded->body.error_code == 0);
    CHECK(client.wait_closed());
    CHECK(status.get() == 0);
    CHECK(std::chrono::steady_clock::now() - began < std::chrono::seconds(5));
    CHECK_FALSE(cluster.running());
}

TEST_CASE("reference_cluster: restart keeps the ports and the data directory") {
    reference_cluster_options options;
    options.brokers = 2;
    options.store = storage::temp_dir;
    reference_cluster cluster(options);
    const auto dir = cluster.data_dir();
    REQUIRE(std::filesystem::is_directory(dir));
    const auto before = cluster.nodes();
    const auto control = cluster.control_port();
    cluster.create_topic("kept", 2);
    const auto id = cluster.faults().describe().find_topic("kept")->id;
    const auto leader = cluster.faults().describe().find_topic("kept")->partitions.at(0).leader;
    const auto leader_port = before.at(static_cast<std::size_t>(leader - 1)).port;
    const auto produce_version = integration::served_version(leader_port, 0, 9);
    if (produce_version >= 0) {
        broker_test_client producer(leader_port);
        CHECK(integration::produce(producer, "kept", 0, {"a", "b", "c"}, produce_version) == 0);
    }

    // The graceful stop flushes: everything acknowledged is there after the restart.
    CHECK(cluster.stop() == 0);
    cluster.restart();
    CHECK(cluster.control_port() == control);
    REQUIRE(cluster.nodes().size() == 2);
    CHECK(cluster.nodes()[1].port == before[1].port);
    auto described = cluster.faults().describe();
    const auto* kept = described.find_topic("kept");
    REQUIRE(kept);
    CHECK(kept->id == id);
    CHECK(kept->partitions.size() == 2);
    if (produce_version >= 0) CHECK(kept->partitions.at(0).log_end_offset == 3);
    broker_test_client client(before[1].port);
    auto response = client.call<metadata_response>(metadata_for({"kept"}), 12);
    REQUIRE(response.topics.size() == 1);
    CHECK(response.topics[0].error_code == 0);

    // After a crash too.
    cluster.kill();
    CHECK_FALSE(cluster.running());
    cluster.restart();
    CHECK(cluster.faults().describe().find_topic("kept"));
}

TEST_CASE("reference_cluster: the temporary data directory is removed with the cluster") {
    std::filesystem::path dir;
    {
        reference_cluster_options options;
        options.store = storage::temp_dir;
        reference_cluster cluster(options);
        dir = cluster.data_dir();
        CHECK(std::filesystem::exists(dir));
    }
    CHECK_FALSE(std::filesystem::exists(dir));
}

TEST_CASE("reference_cluster: a broker that cannot start is reported with its stderr") {
    reference_cluster_options options;
    options.extra_args = {"-X", "no.such.property=1"};
    std::string message;
    try {
        reference_cluster cluster(options);
    } catch (const cluster_error& e) {
        message = e.what();
    }
    CHECK(message.find("unknown property no.such.property") != std::string::npos);
    CHECK(message.find("exited (status 2)") != std::string::npos);

    options.extra_args.clear();
    options.binary = "/nonexistent/kafkit-broker";
    CHECK_THROWS_AS(reference_cluster{options}, cluster_error);
}
