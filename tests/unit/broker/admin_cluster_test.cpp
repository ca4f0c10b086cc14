// DescribeCluster and DescribeLogDirs against the embedded broker.

#include "admin_support.hpp"
#include "kafkit/protocol/messages/describe_cluster.hpp"
#include "kafkit/protocol/messages/describe_log_dirs.hpp"
#include "kafkit/protocol/messages/produce.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <algorithm>
#include <filesystem>
#include <string_view>

#include <unistd.h>

using namespace kafkit;
using namespace kafkit::protocol;
using namespace kafkit::testing::admin;

namespace {

/// Produces `count` records of `size` bytes to partition 0 of `topic` (acks=1).
void produce(broker_test_client& client, const std::string& topic, int count, std::size_t size) {
    record_batch_builder builder;
    const std::string payload(size, 'x');
    for (int i = 0; i < count; ++i)
        builder.append(1700000000000 + i, std::nullopt,
                       bytes_view(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()));
    std::vector<std::uint8_t> batch;
    REQUIRE(builder.finish(batch));
    produce_request request;
    request.acks = 1;
    request.timeout_ms = 5000;
    produce_request::topic_produce_data t;
    t.name = topic;
    produce_request::partition_produce_data p;
    p.index = 0;
    p.records = bytes_view(batch.data(), batch.size());
    t.partition_data.push_back(p);
    request.topic_data.push_back(t);
    auto response = client.call<produce_response>(request, 9);
    REQUIRE(response.responses.size() == 1);
    REQUIRE(response.responses[0].partition_responses.size() == 1);
    REQUIRE(response.responses[0].partition_responses[0].error_code == 0);
}

describe_log_dirs_response describe_dirs(broker_test_client& client,
                                         std::optional<std::vector<describe_log_dirs_request::describable_log_dir_topic>> topics,
                                         std::int16_t version = 4) {
    describe_log_dirs_request request;
    request.topics = std::move(topics);
    return client.call<describe_log_dirs_response>(request, version);
}

} // namespace

TEST_CASE("describe cluster: brokers up, cluster id, controller, authorized operations") {
    broker::broker_config config;
    config.brokers = 3;
    config.cluster_id = "admin-cluster";
    embedded_broker broker(config);
    broker_test_client client(broker.port(2));
    describe_cluster_request request;
    auto plain = client.call<describe_cluster_response>(request, 1);
    CHECK(plain.error_code == 0);
    CHECK(plain.cluster_id == "admin-cluster");
    CHECK(plain.controller_id == 1);
    CHECK(plain.endpoint_type == 1);
    CHECK(plain.cluster_authorized_operations == INT32_MIN);
    REQUIRE(plain.brokers.size() == 3);
    CHECK(plain.brokers[2].broker_id == 3);
    CHECK(plain.brokers[2].port == broker.port(2));
    CHECK(plain.brokers[0].rack == std::optional<std::string>("rack-1"));

    request.include_cluster_authorized_operations = true;
    auto with_ops = client.call<describe_cluster_response>(request, 0);
    CHECK(with_ops.cluster_authorized_operations != INT32_MIN);
    CHECK((with_ops.cluster_authorized_operations & (1 << 10)) != 0); // DESCRIBE_CONFIGS

    broker.get().faults().set_node_up(1, false);
    auto without_one = client.call<describe_cluster_response>(request, 1);
    CHECK(without_one.brokers.size() == 2);
    CHECK(without_one.controller_id == 2);

    broker.get().faults().push_request_errors(-1, 60, {broker::injected_error{static_cast<std::int16_t>(kafka_errc::cluster_authorization_failed)}});
    auto refused = client.call<describe_cluster_response>(request, 1);
    CHECK(refused.error_code == code(kafka_errc::cluster_authorization_failed));
    CHECK(refused.brokers.empty());

    request.endpoint_type = 2;
    auto controllers = client.call<describe_cluster_response>(request, 1);
    CHECK(controllers.error_code == code(kafka_errc::mismatched_endpoint_type));
    CHECK(controllers.error_message ==
          std::optional<std::string>("The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER"));
    CHECK(controllers.brokers.empty());
}

TEST_CASE("describe log dirs: the partitions a node holds, with their sizes") {
    broker::broker_config config;
    config.brokers = 2;
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    auto t = new_topic("sized");
    for (int i = 0; i < 2; ++i) {
        create_topics_request::creatable_replica_assignment a;
        a.partition_index = i;
        a.broker_ids = {1 + i};
        t.assignments.push_back(a);
    }
    REQUIRE(create_topics(client, {t}).topics[0].error_code == 0);
    produce(client, "sized", 10, 100);

    auto all = describe_dirs(client, std::nullopt);
    CHECK(all.error_code == 0);
    REQUIRE(all.results.size() == 1);
    const auto& dir = all.results[0];
    CHECK(dir.error_code == 0);
    CHECK(dir.log_dir == "/memory");
    CHECK(dir.total_bytes == -1);
    REQUIRE(dir.topics.size() == 1);
    CHECK(dir.topics[0].name == "sized");
    REQUIRE(dir.topics[0].partitions.size() == 1); // partition 1 lives on node 2
    const auto& p = dir.topics[0].partitions[0];
    CHECK(p.partition_index == 0);
    CHECK(p.partition_size > 1000);
    CHECK(p.partition_size < 2000);
    CHECK(p.offset_lag == 0);
    CHECK_FALSE(p.is_future_key);

    broker_test_client node2(broker.port(1));
    auto other = describe_dirs(node2, std::nullopt, 1);
    REQUIRE(other.results.size() == 1);
    REQUIRE(other.results[0].topics.size() == 1);
    REQUIRE(other.results[0].topics[0].partitions.size() == 1);
    CHECK(other.results[0].topics[0].partitions[0].partition_index == 1);
    CHECK(other.results[0].topics[0].partitions[0].partition_size == 0);

    describe_log_dirs_request::describable_log_dir_topic wanted;
    wanted.topic = "sized";
    wanted.partitions = {1, 7};
    auto none_here = describe_dirs(client, std::vector{wanted});
    REQUIRE(none_here.results.size() == 1);
    CHECK(none_here.results[0].topics.empty());
}

TEST_CASE("describe log dirs: a data dir reports its path and volume") {
    const auto dir = std::filesystem::temp_directory_path() / ("kafkit-logdirs-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    broker::broker_config config;
    config.data_dir = dir;
    {
        embedded_broker broker(config);
        broker_test_client client(broker.port());
        auto response = describe_dirs(client, std::nullopt);
        REQUIRE(response.results.size() == 1);
        CHECK(response.results[0].log_dir == std::filesystem::absolute(dir).lexically_normal().string());
        CHECK(response.results[0].total_bytes > 0);
        CHECK(response.results[0].usable_bytes >= 0);
        CHECK(response.results[0].usable_bytes <= response.results[0].total_bytes);
        broker.get().faults().push_request_errors(-1, 35, {broker::injected_error{static_cast<std::int16_t>(kafka_errc::cluster_authorization_failed)}});
        auto failed = describe_dirs(client, std::nullopt);
        CHECK(failed.error_code == code(kafka_errc::cluster_authorization_failed));
        CHECK(failed.results.empty());
    }
    std::filesystem::remove_all(dir);
}
