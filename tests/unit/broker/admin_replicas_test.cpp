// ElectLeaders, AlterPartitionReassignments, ListPartitionReassignments and
// AlterReplicaLogDirs against an embedded three-node cluster: answers per partition with
// Kafka's codes, and the leaders and replicas Metadata reports afterwards.

#include "admin_support.hpp"
#include "kafkit/protocol/messages/alter_partition_reassignments.hpp"
#include "kafkit/protocol/messages/alter_replica_log_dirs.hpp"
#include "kafkit/protocol/messages/elect_leaders.hpp"
#include "kafkit/protocol/messages/list_partition_reassignments.hpp"

using namespace kafkit;
using namespace kafkit::protocol;
using namespace kafkit::testing::admin;

namespace {

using ids = std::vector<std::int32_t>;

broker::broker_config three_nodes() {
    broker::broker_config config;
    config.brokers = 3;
    return config;
}

/// Creates `name` with partition i on replicas[i] (leader first).
void create_placed(broker_test_client& client, const std::string& name, std::vector<ids> replicas) {
    auto t = new_topic(name);
    for (std::size_t i = 0; i < replicas.size(); ++i) t.assignments.push_back({static_cast<std::int32_t>(i), replicas[i], {}});
    auto response = create_topics(client, {t});
    REQUIRE(response.topics.at(0).error_code == 0);
}

/// (partition, error, message) per partition of the answer, topics in order.
using election_list = std::vector<std::tuple<std::string, std::int32_t, std::int16_t, opt>>;

election_list elect(broker_test_client& client, std::int8_t type,
                    std::optional<std::vector<std::pair<std::string, ids>>> partitions, std::int16_t version = 2) {
    elect_leaders_request request;
    request.election_type = type;
    if (partitions) {
        request.topic_partitions.emplace();
        for (const auto& [topic, ps] : *partitions) request.topic_partitions->push_back({topic, ps, {}});
    } else {
        request.topic_partitions = std::nullopt;
    }
    auto response = client.call<elect_leaders_response>(request, version);
    CHECK(response.error_code == 0);
    election_list out;
    for (const auto& t : response.replica_election_results)
        for (const auto& p : t.partition_result) out.emplace_back(t.topic, p.partition_id, p.error_code, p.error_message);
    return out;
}

/// (leader, leader epoch, replicas) of one partition in Metadata.
std::tuple<std::int32_t, std::int32_t, ids> placement(broker_test_client& client, const std::string& topic, std::size_t index) {
    auto md = topic_metadata(client, topic);
    const auto& p = md.partitions.at(index);
    return {p.leader_id, p.leader_epoch, p.replica_nodes};
}

using reassign_list = std::vector<std::tuple<std::int32_t, std::int16_t, opt>>;

reassign_list reassign(broker_test_client& client, const std::string& topic,
                       std::vector<std::pair<std::int32_t, std::optional<ids>>> partitions) {
    alter_partition_reassignments_request request;
    request.topics.push_back({topic, {}, {}});
    for (const auto& [index, replicas] : partitions) request.topics[0].partitions.push_back({index, replicas, {}});
    auto response = client.call<alter_partition_reassignments_response>(request, 0);
    CHECK(response.error_code == 0);
    CHECK(response.error_message == std::nullopt);
    REQUIRE(response.responses.size() == 1);
    CHECK(response.responses[0].name == topic);
    reassign_list out;
    for (const auto& p : response.responses[0].partitions) out.emplace_back(p.partition_index, p.error_code, p.error_message);
    return out;
}

list_partition_reassignments_response list_ongoing(broker_test_client& client) {
    list_partition_reassignments_request request;
    request.topics = std::nullopt;
    return client.call<list_partition_reassignments_response>(request, 0);
}

} // namespace

TEST_CASE("elect leaders: preferred election where the preferred replica leads is ELECTION_NOT_NEEDED") {
    embedded_broker broker(three_nodes());
    broker_test_client client(broker.port());
    create_placed(client, "t", {{1, 2}, {2, 3}});
    const auto not_needed = code(kafka_errc::election_not_needed);
    const auto unknown = code(kafka_errc::unknown_topic_or_partition);
    CHECK(elect(client, 0, std::vector<std::pair<std::string, ids>>{{"t", {0, 1, 5}}, {"nope", {0}}}) ==
          election_list{{"t", 0, not_needed, std::nullopt},
                        {"t", 1, not_needed, std::nullopt},
                        {"t", 5, unknown, opt("No such partition as t-5")},
                        {"nope", 0, unknown, opt("No such topic as nope")}});
    // Unclean with every leader up: no need either.
    CHECK(elect(client, 1, std::vector<std::pair<std::string, ids>>{{"t", {0}}}) == election_list{{"t", 0, not_needed, std::nullopt}});
    // All partitions, none needing an election: nothing listed.
    CHECK(elect(client, 0, std::nullopt).empty());
    CHECK(placement(client, "t", 0) == std::tuple<std::int32_t, std::int32_t, ids>{1, 0, {1, 2}});
}

TEST_CASE("elect leaders: a preferred election moves leadership back to the first replica") {
    embedded_broker broker(three_nodes());
    broker_test_client client(broker.port());
    create_placed(client, "t", {{1, 2}, {2, 3}});
    REQUIRE(broker.get().faults().set_partition_leader("t", 0, 2));
    CHECK(placement(client, "t", 0) == std::tuple<std::int32_t, std::int32_t, ids>{2, 1, {1, 2}});
    // With every partition asked for, only the one elected is listed.
    CHECK(elect(client, 0, std::nullopt) == election_list{{"t", 0, 0, std::nullopt}});
    CHECK(placement(client, "t", 0) == std::tuple<std::int32_t, std::int32_t, ids>{1, 2, {1, 2}});
    // v0 (no election type) is preferred.
    REQUIRE(broker.get().faults().set_partition_leader("t", 1, 3));
    elect_leaders_request v0;
    v0.topic_partitions = std::vector<elect_leaders_request::topic_partitions_struct>{{"t", {1}, {}}};
    auto response = client.call<elect_leaders_response>(v0, 0);
    REQUIRE(response.replica_election_results.size() == 1);
    CHECK(response.replica_election_results[0].partition_result.at(0).error_code == 0);
    CHECK(std::get<0>(placement(client, "t", 1)) == 2);
}

TEST_CASE("elect leaders: with a leader down, unclean elects an up replica; preferred needs the first one up") {
    embedded_broker broker(three_nodes());
    broker_test_client client(broker.port(2));
    create_placed(client, "t", {{1, 2}, {1, 3}});
    broker.get().faults().set_node_up(1, false);
    CHECK(std::get<0>(placement(client, "t", 0)) == -1);
    CHECK(elect(client, 0, std::vector<std::pair<std::string, ids>>{{"t", {0}}}) ==
          election_list{{"t", 0, code(kafka_errc::preferred_leader_not_available), std::nullopt}});
    CHECK(elect(client, 1, std::vector<std::pair<std::string, ids>>{{"t", {0, 1}}}) ==
          election_list{{"t", 0, 0, std::nullopt}, {"t", 1, 0, std::nullopt}});
    CHECK(placement(client, "t", 0) == std::tuple<std::int32_t, std::int32_t, ids>{2, 1, {1, 2}});
    CHECK(std::get<0>(placement(client, "t", 1)) == 3);
    broker.get().faults().set_node_up(1, true);
    CHECK(elect(client, 0, std::nullopt) == election_list{{"t", 0, 0, std::nullopt}, {"t", 1, 0, std::nullopt}});
    CHECK(std::get<0>(placement(client, "t", 1)) == 1);
}

TEST_CASE("reassignments: invalid targets are INVALID_REPLICA_ASSIGNMENT, unknown partitions and cancels refused") {
    embedded_broker broker(three_nodes());
    broker_test_client client(broker.port());
    create_placed(client, "t", {{1, 2}});
    const auto invalid = code(kafka_errc::invalid_replica_assignment);
    CHECK(reassign(client, "t", {{0, ids{1, 4}}, {0, ids{2, 2}}, {0, ids{}}, {3, ids{1}}, {0, std::nullopt}}) ==
          reassign_list{{0, invalid, opt("The manual partition assignment includes broker 4, but no such broker is registered.")},
                        {0, invalid, opt("The manual partition assignment includes the broker 2 more than once.")},
                        {0, invalid, opt("The manual partition assignment includes an empty replica list.")},
                        {3, code(kafka_errc::unknown_topic_or_partition), opt("Unable to find partition t:3.")},
                        {0, code(kafka_errc::no_reassignment_in_progress), opt("No partition reassignment is in progress.")}});
    CHECK(reassign(client, "ghost", {{0, ids{1}}}) ==
          reassign_list{{0, code(kafka_errc::unknown_topic_or_partition), opt("Unable to find a topic named ghost.")}});
    CHECK(placement(client, "t", 0) == std::tuple<std::int32_t, std::int32_t, ids>{1, 0, {1, 2}});
}

TEST_CASE("reassignments: to the current replicas is a no-op; a change applies at once and none stays ongoing") {
    embedded_broker broker(three_nodes());
    broker_test_client client(broker.port());
    create_placed(client, "t", {{1, 2}, {2, 3}});
    CHECK(reassign(client, "t", {{0, ids{1, 2}}}) == reassign_list{{0, 0, std::nullopt}});
    CHECK(placement(client, "t", 0) == std::tuple<std::int32_t, std::int32_t, ids>{1, 0, {1, 2}});

    // The leader leaves: the first new replica leads, with a new epoch. Adding a replica
    // keeps the leader and its epoch.
    CHECK(reassign(client, "t", {{0, ids{3, 2}}, {1, ids{2, 3, 1}}}) == reassign_list{{0, 0, std::nullopt}, {1, 0, std::nullopt}});
    CHECK(placement(client, "t", 0) == std::tuple<std::int32_t, std::int32_t, ids>{3, 1, {3, 2}});
    CHECK(placement(client, "t", 1) == std::tuple<std::int32_t, std::int32_t, ids>{2, 0, {2, 3, 1}});
    auto md = topic_metadata(client, "t");
    CHECK(md.partitions[1].isr_nodes == ids{2, 3, 1});

    auto ongoing = list_ongoing(client);
    CHECK(ongoing.error_code == 0);
    CHECK(ongoing.error_message == std::nullopt);
    CHECK(ongoing.topics.empty());
    // A preferred election now agrees with the new placement.
    CHECK(elect(client, 0, std::nullopt).empty());
}

TEST_CASE("reassignments: an injected error answers at the top and in every partition, and changes nothing") {
    embedded_broker broker(three_nodes());
    broker_test_client client(broker.port());
    create_placed(client, "t", {{1, 2}});
    const auto denied = code(kafka_errc::cluster_authorization_failed);
    broker.get().faults().push_request_errors(-1, 45, {broker::injected_error{denied}});
    alter_partition_reassignments_request request;
    request.topics.push_back({"t", {{0, ids{3}, {}}}, {}});
    auto response = client.call<alter_partition_reassignments_response>(request, 0);
    CHECK(response.error_code == denied);
    CHECK(response.responses.at(0).partitions.at(0).error_code == denied);
    CHECK(std::get<2>(placement(client, "t", 0)) == ids{1, 2});
    broker.get().faults().push_request_errors(-1, 46, {broker::injected_error{denied}});
    CHECK(list_ongoing(client).error_code == denied);
}

TEST_CASE("alter replica log dirs: the broker's one dir is NONE, another LOG_DIR_NOT_FOUND, no replica here REPLICA_NOT_AVAILABLE") {
    embedded_broker broker(three_nodes());
    broker_test_client client(broker.port()); // node 1
    create_placed(client, "t", {{1, 2}, {2, 3}});
    alter_replica_log_dirs_request request;
    request.dirs.push_back({"/memory", {{"t", {0, 1}, {}}, {"ghost", {0}, {}}}, {}});
    request.dirs.push_back({"/elsewhere", {{"u", {0}, {}}}, {}});
    auto response = client.call<alter_replica_log_dirs_response>(request, 2);
    REQUIRE(response.results.size() == 3);
    CHECK(response.results[0].topic_name == "t");
    REQUIRE(response.results[0].partitions.size() == 2);
    CHECK(response.results[0].partitions[0].error_code == 0);
    CHECK(response.results[0].partitions[1].error_code == code(kafka_errc::replica_not_available));
    CHECK(response.results[1].topic_name == "ghost");
    CHECK(response.results[1].partitions.at(0).error_code == code(kafka_errc::replica_not_available));
    CHECK(response.results[2].topic_name == "u");
    CHECK(response.results[2].partitions.at(0).error_code == code(kafka_errc::log_dir_not_found));
}
