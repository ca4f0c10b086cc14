// Committed offsets against the embedded broker: OffsetCommit (simple and group commits,
// per-partition errors, v0 defaults), OffsetFetch (v1, v7, v9 multi-group, all topics),
// OffsetDelete (GROUP_SUBSCRIBED_TO_TOPIC), and fault injection on the offset APIs.

#include "embedded_broker.hpp"
#include "group_test_support.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"
#include "kafkit/protocol/messages/leave_group.hpp"
#include "kafkit/protocol/messages/offset_commit.hpp"
#include "kafkit/protocol/messages/offset_delete.hpp"
#include "kafkit/protocol/messages/offset_fetch.hpp"

#include <map>

using namespace group_test;
using kafkit::kafka_errc;
using kafkit::testing::embedded_broker;
using namespace kafkit::protocol;

namespace {

/// One partition to commit.
struct commit_entry {
    std::string topic;
    std::int32_t partition;
    std::int64_t offset;
    std::optional<std::string> metadata = std::string();
    std::int32_t leader_epoch = -1;
};

offset_commit_request make_commit(const std::string& group, const std::vector<commit_entry>& entries,
                                  std::int32_t generation = -1, const std::string& member = "") {
    offset_commit_request request;
    request.group_id = group;
    request.generation_id_or_member_epoch = generation;
    request.member_id = member;
    for (const auto& e : entries) {
        if (request.topics.empty() || request.topics.back().name != e.topic) {
            offset_commit_request::offset_commit_request_topic t;
            t.name = e.topic;
            request.topics.push_back(t);
        }
        offset_commit_request::offset_commit_request_partition p;
        p.partition_index = e.partition;
        p.committed_offset = e.offset;
        p.committed_metadata = e.metadata;
        p.committed_leader_epoch = e.leader_epoch;
        request.topics.back().partitions.push_back(p);
    }
    return request;
}

/// The error of every partition of a commit response, as "topic/partition" -> error.
std::map<std::string, std::int16_t> errors(const offset_commit_response& response) {
    std::map<std::string, std::int16_t> out;
    for (const auto& t : response.topics)
        for (const auto& p : t.partitions) out[t.name + "/" + std::to_string(p.partition_index)] = p.error_code;
    return out;
}

/// OffsetFetch v7 of some partitions of one topic.
offset_fetch_response fetch_v7(broker_test_client& client, const std::string& group, const std::string& topic,
                               std::vector<std::int32_t> partitions, std::int16_t version = 7) {
    offset_fetch_request request;
    request.group_id = group;
    offset_fetch_request::offset_fetch_request_topic t;
    t.name = topic;
    t.partition_indexes = std::move(partitions);
    request.topics = std::vector{t};
    return client.call<offset_fetch_response>(request, version);
}

std::int64_t committed(broker_test_client& client, const std::string& group, const std::string& topic, std::int32_t p) {
    auto response = fetch_v7(client, group, topic, {p});
    REQUIRE(response.topics.size() == 1);
    REQUIRE(response.topics[0].partitions.size() == 1);
    return response.topics[0].partitions[0].committed_offset;
}

} // namespace

TEST_CASE("offset commit and fetch: simple commits, metadata, leader epoch, unknown topics, all topics") {
    kafkit::broker::broker_config config;
    config.num_partitions = 3;
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    ensure_topic(client, "orders");
    ensure_topic(client, "payments");

    auto response = client.call<offset_commit_response>(
        make_commit("simple", {{"orders", 0, 10, std::string("m0"), 3}, {"orders", 1, 20, std::nullopt},
                               {"nope", 0, 5}}),
        9);
    auto e = errors(response);
    CHECK(e["orders/0"] == 0);
    CHECK(e["orders/1"] == 0);
    CHECK(e["nope/0"] == code(kafka_errc::unknown_topic_or_partition));

    auto fetched = fetch_v7(client, "simple", "orders", {0, 1, 2});
    CHECK(fetched.error_code == 0);
    REQUIRE(fetched.topics.size() == 1);
    const auto& ps = fetched.topics[0].partitions;
    REQUIRE(ps.size() == 3);
    CHECK(ps[0].committed_offset == 10);
    CHECK(ps[0].metadata == std::optional<std::string>("m0"));
    CHECK(ps[0].committed_leader_epoch == 3);
    CHECK(ps[1].committed_offset == 20);
    CHECK(ps[1].metadata == std::optional<std::string>(""));
    CHECK(ps[1].committed_leader_epoch == -1);
    CHECK(ps[2].committed_offset == -1); // never committed
    CHECK(ps[2].error_code == 0);
    auto v1 = fetch_v7(client, "simple", "orders", {0}, 1);
    CHECK(v1.topics[0].partitions[0].committed_offset == 10);
    CHECK(committed(client, "no-such-group", "orders", 0) == -1);

    // v0 carries neither generation nor member: a commit outside group management.
    CHECK(errors(client.call<offset_commit_response>(make_commit("simple", {{"payments", 2, 7}}), 0))["payments/2"] == 0);
    offset_fetch_request all;
    all.group_id = "simple";
    all.topics = std::nullopt; // every committed offset
    auto everything = client.call<offset_fetch_response>(all, 7);
    std::map<std::string, std::int64_t> offsets;
    for (const auto& t : everything.topics)
        for (const auto& p : t.partitions) offsets[t.name + "/" + std::to_string(p.partition_index)] = p.committed_offset;
    CHECK(offsets == std::map<std::string, std::int64_t>{{"orders/0", 10}, {"orders/1", 20}, {"payments/2", 7}});
}

TEST_CASE("offset fetch v8+: several groups in one request, each with its own answer") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    ensure_topic(client, "orders");
    REQUIRE(errors(client.call<offset_commit_response>(make_commit("g-one", {{"orders", 0, 11}}), 8))["orders/0"] == 0);
    REQUIRE(errors(client.call<offset_commit_response>(make_commit("g-two", {{"orders", 0, 22}}), 8))["orders/0"] == 0);

    offset_fetch_request request;
    for (const char* id : {"g-one", "g-two", "g-none"}) {
        offset_fetch_request::offset_fetch_request_group g;
        g.group_id = id;
        offset_fetch_request::offset_fetch_request_topics t;
        t.name = "orders";
        t.partition_indexes = {0};
        g.topics = std::vector{t};
        request.groups.push_back(g);
    }
    offset_fetch_request::offset_fetch_request_group all;
    all.group_id = "g-two";
    all.topics = std::nullopt;
    request.groups.push_back(all);
    request.require_stable = true;
    auto response = client.call<offset_fetch_response>(request, 9);
    REQUIRE(response.groups.size() == 4);
    std::vector<std::int64_t> seen;
    for (const auto& g : response.groups) {
        CHECK(g.error_code == 0);
        REQUIRE(g.topics.size() == 1);
        REQUIRE(g.topics[0].partitions.size() == 1);
        seen.push_back(g.topics[0].partitions[0].committed_offset);
    }
    CHECK(seen == std::vector<std::int64_t>{11, 22, -1, 22});
    CHECK(response.groups[0].group_id == "g-one");
}

TEST_CASE("offset commit: a group's member and generation are checked") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    ensure_topic(client, "orders");
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    const auto id = request_member_id(client, "cg", protocols);
    auto joined = exchange<join_group_response>(client, make_join("cg", id, protocols), 9);
    REQUIRE(joined->generation_id == 1);
    // Joined but not synced: the assignment is not final yet.
    CHECK(errors(client.call<offset_commit_response>(make_commit("cg", {{"orders", 0, 1}}, 1, id), 9))["orders/0"] ==
          code(kafka_errc::rebalance_in_progress));
    REQUIRE(client.call<sync_group_response>(make_sync("cg", 1, id, "range"), 5).error_code == 0);

    auto commit = [&](std::int32_t generation, const std::string& member, std::int16_t version = 9) {
        return errors(client.call<offset_commit_response>(make_commit("cg", {{"orders", 0, 42}}, generation, member),
                                                          version))["orders/0"];
    };
    CHECK(commit(1, id) == 0);
    CHECK(committed(client, "cg", "orders", 0) == 42);
    CHECK(commit(0, id) == code(kafka_errc::illegal_generation));
    CHECK(commit(1, "ghost") == code(kafka_errc::unknown_member_id));
    CHECK(commit(-1, "") == code(kafka_errc::unknown_member_id)); // the group has members
    CHECK(errors(client.call<offset_commit_response>(make_commit("missing", {{"orders", 0, 1}}, 5, "m"), 9))["orders/0"] ==
          code(kafka_errc::group_id_not_found));
    CHECK(errors(client.call<offset_commit_response>(make_commit("missing", {{"orders", 0, 1}}, 5, "m"), 8))["orders/0"] ==
          code(kafka_errc::illegal_generation));

    auto big = make_commit("cg", {{"orders", 0, 50, std::string(5000, 'x')}}, 1, id);
    CHECK(errors(client.call<offset_commit_response>(big, 9))["orders/0"] == code(kafka_errc::offset_metadata_too_large));
    CHECK(committed(client, "cg", "orders", 0) == 42);
}

TEST_CASE("offset delete: subscribed topics are refused while members consume them, others are deleted") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    ensure_topic(client, "orders");
    ensure_topic(client, "payments");
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    const auto id = join_alone(client, "od", protocols, "A1");
    REQUIRE(errors(client.call<offset_commit_response>(
                make_commit("od", {{"orders", 0, 5}, {"payments", 0, 6}}, 1, id), 9)) ==
            std::map<std::string, std::int16_t>{{"orders/0", 0}, {"payments/0", 0}});

    auto make_delete = [](const std::string& group, const std::vector<std::string>& topics) {
        offset_delete_request request;
        request.group_id = group;
        for (const auto& name : topics) {
            offset_delete_request::offset_delete_request_topic t;
            t.name = name;
            offset_delete_request::offset_delete_request_partition p;
            p.partition_index = 0;
            t.partitions.push_back(p);
            request.topics.push_back(t);
        }
        return request;
    };
    auto response = client.call<offset_delete_response>(make_delete("od", {"orders", "payments", "nope"}), 0);
    CHECK(response.error_code == 0);
    REQUIRE(response.topics.size() == 3);
    CHECK(response.topics[0].partitions[0].error_code == code(kafka_errc::group_subscribed_to_topic));
    CHECK(response.topics[1].partitions[0].error_code == 0);
    CHECK(response.topics[2].partitions[0].error_code == code(kafka_errc::unknown_topic_or_partition));
    CHECK(committed(client, "od", "orders", 0) == 5);
    CHECK(committed(client, "od", "payments", 0) == -1);
    CHECK(client.call<offset_delete_response>(make_delete("missing", {"orders"}), 0).error_code ==
          code(kafka_errc::group_id_not_found));

    // Once the group is Empty every offset may go.
    leave_group_request leave;
    leave.group_id = "od";
    leave.member_id = id;
    REQUIRE(client.call<leave_group_response>(leave, 2).error_code == 0);
    CHECK(client.call<offset_delete_response>(make_delete("od", {"orders"}), 0).topics[0].partitions[0].error_code == 0);
    CHECK(committed(client, "od", "orders", 0) == -1);

    // A group of another protocol type with members cannot delete offsets at all.
    auto connect = make_join("workers", "", protocols);
    connect.protocol_type = "connect";
    auto w = client.call<join_group_response>(connect, 3);
    REQUIRE(w.error_code == 0);
    CHECK(client.call<offset_delete_response>(make_delete("workers", {"orders"}), 0).error_code ==
          code(kafka_errc::non_empty_group));
}

TEST_CASE("fault injection: offset APIs answer the injected error for each partition or group") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    ensure_topic(client, "orders");
    auto& faults = broker.get().faults();
    const kafkit::broker::injected_error not_coordinator{code(kafka_errc::not_coordinator), std::chrono::milliseconds(0)};

    faults.push_request_errors(-1, 8, {not_coordinator});
    auto e = errors(client.call<offset_commit_response>(make_commit("f", {{"orders", 0, 1}, {"other", 1, 2}}), 9));
    CHECK(e == std::map<std::string, std::int16_t>{{"orders/0", 16}, {"other/1", 16}});
    CHECK(committed(client, "f", "orders", 0) == -1);

    faults.push_request_errors(-1, 9, {not_coordinator});
    CHECK(fetch_v7(client, "f", "orders", {0}).error_code == code(kafka_errc::not_coordinator));
    faults.push_request_errors(-1, 9, {not_coordinator});
    CHECK(fetch_v7(client, "f", "orders", {0}, 1).topics[0].partitions[0].error_code == code(kafka_errc::not_coordinator));

    faults.push_request_errors(-1, 47, {not_coordinator});
    offset_delete_request del;
    del.group_id = "f";
    CHECK(client.call<offset_delete_response>(del, 0).error_code == code(kafka_errc::not_coordinator));
}

TEST_CASE("offset requests to a node that does not coordinate the group answer NOT_COORDINATOR") {
    kafkit::broker::broker_config config;
    config.brokers = 2;
    embedded_broker broker(config);
    broker_test_client first(broker.port(0));
    ensure_topic(first, "orders");
    find_coordinator_request find;
    find.key = "offsets-elsewhere";
    const auto coordinator = first.call<find_coordinator_response>(find, 3).node_id;
    broker_test_client wrong(broker.port(coordinator == 1 ? 1 : 0));
    broker_test_client right(broker.port(static_cast<std::size_t>(coordinator - 1)));

    auto e = errors(wrong.call<offset_commit_response>(
        make_commit("offsets-elsewhere", {{"orders", 0, 1}, {"nope", 0, 1}}), 9));
    CHECK(e["orders/0"] == code(kafka_errc::not_coordinator));
    CHECK(e["nope/0"] == code(kafka_errc::unknown_topic_or_partition));
    CHECK(fetch_v7(wrong, "offsets-elsewhere", "orders", {0}).error_code == code(kafka_errc::not_coordinator));
    CHECK(errors(right.call<offset_commit_response>(make_commit("offsets-elsewhere", {{"orders", 0, 1}}), 9))["orders/0"] == 0);
    CHECK(committed(right, "offsets-elsewhere", "orders", 0) == 1);
}
