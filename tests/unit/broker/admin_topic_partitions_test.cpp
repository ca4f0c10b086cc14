// DescribeTopicPartitions (KIP-966) against an embedded broker: topics by name, at most
// response_partition_limit partitions per answer, the cursor to go on from, unknown topics
// and a cursor outside the topics asked.

#include "admin_support.hpp"
#include "kafkit/protocol/messages/describe_topic_partitions.hpp"

using namespace kafkit;
using namespace kafkit::protocol;
using namespace kafkit::testing::admin;

namespace {

describe_topic_partitions_response describe(broker_test_client& client, std::vector<std::string> names, std::int32_t limit,
                                            std::optional<std::pair<std::string, std::int32_t>> cursor = std::nullopt) {
    describe_topic_partitions_request request;
    for (auto& n : names) request.topics.push_back({std::move(n), {}});
    request.response_partition_limit = limit;
    if (cursor) request.cursor = describe_topic_partitions_request::cursor_struct{cursor->first, cursor->second, {}};
    return client.call<describe_topic_partitions_response>(request, 0);
}

/// (topic, partition indexes) of an answer.
std::vector<std::pair<std::string, std::vector<std::int32_t>>> listed(const describe_topic_partitions_response& r) {
    std::vector<std::pair<std::string, std::vector<std::int32_t>>> out;
    for (const auto& t : r.topics) {
        auto& [name, indexes] = out.emplace_back(t.name.value_or(""), std::vector<std::int32_t>{});
        for (const auto& p : t.partitions) indexes.push_back(p.partition_index);
    }
    return out;
}

using listing = std::vector<std::pair<std::string, std::vector<std::int32_t>>>;

} // namespace

TEST_CASE("describe topic partitions: pages of at most the limit, each ending with the cursor to go on from") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "a", 3);
    create_topic(client, "b", 2);
    auto first = describe(client, {"b", "a"}, 2);
    CHECK(listed(first) == listing{{"a", {0, 1}}});
    REQUIRE(first.next_cursor.has_value());
    CHECK(first.next_cursor->topic_name == "a");
    CHECK(first.next_cursor->partition_index == 2);
    auto second = describe(client, {"a", "b"}, 2, std::pair<std::string, std::int32_t>{"a", 2});
    CHECK(listed(second) == listing{{"a", {2}}, {"b", {0}}});
    REQUIRE(second.next_cursor.has_value());
    CHECK(second.next_cursor->topic_name == "b");
    CHECK(second.next_cursor->partition_index == 1);
    auto last = describe(client, {"a", "b"}, 2, std::pair<std::string, std::int32_t>{"b", 1});
    CHECK(listed(last) == listing{{"b", {1}}});
    CHECK_FALSE(last.next_cursor.has_value());
    // A limit met exactly at a topic's end points at the next topic.
    auto exact = describe(client, {"a", "b"}, 3);
    CHECK(listed(exact) == listing{{"a", {0, 1, 2}}});
    REQUIRE(exact.next_cursor.has_value());
    CHECK(exact.next_cursor->topic_name == "b");
    CHECK(exact.next_cursor->partition_index == 0);
    const auto& p = exact.topics[0].partitions[0];
    CHECK(p.leader_id == 1);
    CHECK(p.replica_nodes == std::vector<std::int32_t>{1});
    REQUIRE(p.eligible_leader_replicas.has_value());
    CHECK(p.eligible_leader_replicas->empty());
}

TEST_CASE("describe topic partitions: every topic when none is named; unknown topics and a stray cursor are errors") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "x", 1);
    create_topic(client, "y", 1);
    CHECK(listed(describe(client, {}, 100)) == listing{{"x", {0}}, {"y", {0}}});
    const auto missing = describe(client, {"x", "nope"}, 100);
    REQUIRE(missing.topics.size() == 2);
    CHECK(missing.topics[0].name == "nope");
    CHECK(missing.topics[0].error_code == code(kafka_errc::unknown_topic_or_partition));
    CHECK(missing.topics[1].error_code == 0);
    const auto stray = describe(client, {"x"}, 100, std::pair<std::string, std::int32_t>{"y", 0});
    REQUIRE(stray.topics.size() == 1);
    CHECK(stray.topics[0].error_code == code(kafka_errc::invalid_request));
}
