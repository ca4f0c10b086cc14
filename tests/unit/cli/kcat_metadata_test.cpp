// render_metadata_text/json against `kcat -L [-J] [-t topic]` run on a three-broker
// reference broker with topics a-first (2 partitions, RF 2), multi (3, RF 3) and single
// (1, RF 1); errors came from stopping broker 3 and from injected Metadata errors.

#include "kcat_metadata.hpp"

#include <doctest/doctest.h>

#include <initializer_list>

namespace kafkit::cli {
namespace {

std::vector<node_id> nodes(std::initializer_list<std::int32_t> ids) {
    std::vector<node_id> out;
    for (auto id : ids) out.emplace_back(id);
    return out;
}

metadata_partition partition(std::int32_t id, std::int32_t leader, std::initializer_list<std::int32_t> replicas,
                             std::initializer_list<std::int32_t> isrs, std::int16_t error = 0) {
    return metadata_partition{partition_id(id), error, node_id(leader), nodes(replicas), nodes(isrs)};
}

metadata_snapshot cluster(bool broker3_up = true) {
    metadata_snapshot m;
    m.originating_broker_id = node_id(1);
    m.originating_broker_name = "127.0.0.1:39957/1";
    m.brokers = {{node_id(1), "127.0.0.1", 39957}, {node_id(2), "127.0.0.1", 42901}};
    if (broker3_up) m.brokers.push_back({node_id(3), "127.0.0.1", 45949});
    m.controller_id = node_id(1);
    return m;
}

metadata_topic single_topic(std::int16_t error = 0) {
    return metadata_topic{"single", error, {partition(0, 2, {2}, {2})}};
}

metadata_topic multi_topic() {
    return metadata_topic{"multi",
                          0,
                          {partition(0, 1, {1, 2, 3}, {1, 2, 3}), partition(1, 2, {2, 3, 1}, {2, 3, 1}),
                           partition(2, 3, {3, 1, 2}, {3, 1, 2})}};
}

metadata_snapshot all_topics() {
    auto m = cluster();
    m.topics = {metadata_topic{"a-first", 0, {partition(0, 3, {3, 1}, {3, 1}), partition(1, 1, {1, 2}, {1, 2})}},
                multi_topic(), single_topic()};
    return m;
}

/// What the broker said with broker 3 stopped: its partitions have no leader.
metadata_snapshot broker3_down() {
    auto m = cluster(false);
    constexpr std::int16_t leader_not_available = 5;
    m.topics = {metadata_topic{"a-first",
                               0,
                               {partition(0, -1, {3, 1}, {1}, leader_not_available), partition(1, 1, {1, 2}, {1, 2})}},
                metadata_topic{"multi",
                               0,
                               {partition(0, 1, {1, 2, 3}, {1, 2}), partition(1, 2, {2, 3, 1}, {2, 1}),
                                partition(2, -1, {3, 1, 2}, {1, 2}, leader_not_available)}},
                single_topic()};
    return m;
}

std::string text(const metadata_snapshot& m, std::optional<std::string_view> topic = std::nullopt) {
    std::string out;
    render_metadata_text(m, topic, out);
    return out;
}

std::string json(const metadata_snapshot& m, std::optional<std::string_view> topic = std::nullopt) {
    std::string out;
    render_metadata_json(m, topic, out);
    return out;
}

} // namespace

TEST_CASE("kcat_metadata: -L lists brokers, the controller and every partition") {
    CHECK(text(all_topics()) == "Metadata for all topics (from broker 1: 127.0.0.1:39957/1):\n"
                                " 3 brokers:\n"
                                "  broker 1 at 127.0.0.1:39957 (controller)\n"
                                "  broker 2 at 127.0.0.1:42901\n"
                                "  broker 3 at 127.0.0.1:45949\n"
                                " 3 topics:\n"
                                "  topic \"a-first\" with 2 partitions:\n"
                                "    partition 0, leader 3, replicas: 3,1, isrs: 3,1\n"
                                "    partition 1, leader 1, replicas: 1,2, isrs: 1,2\n"
                                "  topic \"multi\" with 3 partitions:\n"
                                "    partition 0, leader 1, replicas: 1,2,3, isrs: 1,2,3\n"
                                "    partition 1, leader 2, replicas: 2,3,1, isrs: 2,3,1\n"
                                "    partition 2, leader 3, replicas: 3,1,2, isrs: 3,1,2\n"
                                "  topic \"single\" with 1 partitions:\n"
                                "    partition 0, leader 2, replicas: 2, isrs: 2\n");
}

TEST_CASE("kcat_metadata: -L -J is one object without a newline") {
    CHECK(json(all_topics()) ==
          R"({"originating_broker":{"id":1,"name":"127.0.0.1:39957/1"},"query":{"topic":"*"},"controllerid":1,)"
          R"("brokers":[{"id":1,"name":"127.0.0.1:39957"},{"id":2,"name":"127.0.0.1:42901"},{"id":3,"name":"127.0.0.1:45949"}],)"
          R"("topics":[{"topic":"a-first","partitions":[{"partition":0,"leader":3,"replicas":[{"id":3},{"id":1}],"isrs":[{"id":3},{"id":1}]},)"
          R"({"partition":1,"leader":1,"replicas":[{"id":1},{"id":2}],"isrs":[{"id":1},{"id":2}]}]},)"
          R"({"topic":"multi","partitions":[{"partition":0,"leader":1,"replicas":[{"id":1},{"id":2},{"id":3}],"isrs":[{"id":1},{"id":2},{"id":3}]},)"
          R"({"partition":1,"leader":2,"replicas":[{"id":2},{"id":3},{"id":1}],"isrs":[{"id":2},{"id":3},{"id":1}]},)"
          R"({"partition":2,"leader":3,"replicas":[{"id":3},{"id":1},{"id":2}],"isrs":[{"id":3},{"id":1},{"id":2}]}]},)"
          R"({"topic":"single","partitions":[{"partition":0,"leader":2,"replicas":[{"id":2}],"isrs":[{"id":2}]}]}]})");
}

TEST_CASE("kcat_metadata: -L -t names the topic") {
    auto m = cluster();
    m.topics = {multi_topic()};
    CHECK(text(m, "multi") == "Metadata for multi (from broker 1: 127.0.0.1:39957/1):\n"
                              " 3 brokers:\n"
                              "  broker 1 at 127.0.0.1:39957 (controller)\n"
                              "  broker 2 at 127.0.0.1:42901\n"
                              "  broker 3 at 127.0.0.1:45949\n"
                              " 1 topics:\n"
                              "  topic \"multi\" with 3 partitions:\n"
                              "    partition 0, leader 1, replicas: 1,2,3, isrs: 1,2,3\n"
                              "    partition 1, leader 2, replicas: 2,3,1, isrs: 2,3,1\n"
                              "    partition 2, leader 3, replicas: 3,1,2, isrs: 3,1,2\n");
    CHECK(json(m, "multi") ==
          R"({"originating_broker":{"id":1,"name":"127.0.0.1:39957/1"},"query":{"topic":"multi"},"controllerid":1,)"
          R"("brokers":[{"id":1,"name":"127.0.0.1:39957"},{"id":2,"name":"127.0.0.1:42901"},{"id":3,"name":"127.0.0.1:45949"}],)"
          R"("topics":[{"topic":"multi","partitions":[{"partition":0,"leader":1,"replicas":[{"id":1},{"id":2},{"id":3}],"isrs":[{"id":1},{"id":2},{"id":3}]},)"
          R"({"partition":1,"leader":2,"replicas":[{"id":2},{"id":3},{"id":1}],"isrs":[{"id":2},{"id":3},{"id":1}]},)"
          R"({"partition":2,"leader":3,"replicas":[{"id":3},{"id":1},{"id":2}],"isrs":[{"id":3},{"id":1},{"id":2}]}]}]})");
}

TEST_CASE("kcat_metadata: partition errors in librdkafka's words") {
    CHECK(text(broker3_down()) ==
          "Metadata for all topics (from broker 1: 127.0.0.1:39957/1):\n"
          " 2 brokers:\n"
          "  broker 1 at 127.0.0.1:39957 (controller)\n"
          "  broker 2 at 127.0.0.1:42901\n"
          " 3 topics:\n"
          "  topic \"a-first\" with 2 partitions:\n"
          "    partition 0, leader -1, replicas: 3,1, isrs: 1, Broker: Leader not available\n"
          "    partition 1, leader 1, replicas: 1,2, isrs: 1,2\n"
          "  topic \"multi\" with 3 partitions:\n"
          "    partition 0, leader 1, replicas: 1,2,3, isrs: 1,2\n"
          "    partition 1, leader 2, replicas: 2,3,1, isrs: 2,1\n"
          "    partition 2, leader -1, replicas: 3,1,2, isrs: 1,2, Broker: Leader not available\n"
          "  topic \"single\" with 1 partitions:\n"
          "    partition 0, leader 2, replicas: 2, isrs: 2\n");
    CHECK(json(broker3_down()) ==
          R"({"originating_broker":{"id":1,"name":"127.0.0.1:39957/1"},"query":{"topic":"*"},"controllerid":1,)"
          R"("brokers":[{"id":1,"name":"127.0.0.1:39957"},{"id":2,"name":"127.0.0.1:42901"}],)"
          R"("topics":[{"topic":"a-first","partitions":[{"partition":0,"error":"Broker: Leader not available","leader":-1,"replicas":[{"id":3},{"id":1}],"isrs":[{"id":1}]},)"
          R"({"partition":1,"leader":1,"replicas":[{"id":1},{"id":2}],"isrs":[{"id":1},{"id":2}]}]},)"
          R"({"topic":"multi","partitions":[{"partition":0,"leader":1,"replicas":[{"id":1},{"id":2},{"id":3}],"isrs":[{"id":1},{"id":2}]},)"
          R"({"partition":1,"leader":2,"replicas":[{"id":2},{"id":3},{"id":1}],"isrs":[{"id":2},{"id":1}]},)"
          R"({"partition":2,"error":"Broker: Leader not available","leader":-1,"replicas":[{"id":3},{"id":1},{"id":2}],"isrs":[{"id":1},{"id":2}]}]},)"
          R"({"topic":"single","partitions":[{"partition":0,"leader":2,"replicas":[{"id":2}],"isrs":[{"id":2}]}]}]})");
}

TEST_CASE("kcat_metadata: topic errors, with (try again) after Leader not available") {
    auto unknown = cluster();
    unknown.topics = {metadata_topic{"nosuch", 3, {}}};
    CHECK(text(unknown, "nosuch") == "Metadata for nosuch (from broker 1: 127.0.0.1:39957/1):\n"
                                     " 3 brokers:\n"
                                     "  broker 1 at 127.0.0.1:39957 (controller)\n"
                                     "  broker 2 at 127.0.0.1:42901\n"
                                     "  broker 3 at 127.0.0.1:45949\n"
                                     " 1 topics:\n"
                                     "  topic \"nosuch\" with 0 partitions: Broker: Unknown topic or partition\n");
    CHECK(json(unknown, "nosuch") ==
          R"({"originating_broker":{"id":1,"name":"127.0.0.1:39957/1"},"query":{"topic":"nosuch"},"controllerid":1,)"
          R"("brokers":[{"id":1,"name":"127.0.0.1:39957"},{"id":2,"name":"127.0.0.1:42901"},{"id":3,"name":"127.0.0.1:45949"}],)"
          R"("topics":[{"topic":"nosuch","error":"Broker: Unknown topic or partition","partitions":[]}]})");

    auto lna = cluster();
    lna.topics = {single_topic(5)};
    const std::string head = "Metadata for single (from broker 1: 127.0.0.1:39957/1):\n"
                             " 3 brokers:\n"
                             "  broker 1 at 127.0.0.1:39957 (controller)\n"
                             "  broker 2 at 127.0.0.1:42901\n"
                             "  broker 3 at 127.0.0.1:45949\n"
                             " 1 topics:\n";
    CHECK(text(lna, "single") == head +
                                     "  topic \"single\" with 1 partitions: Broker: Leader not available (try again)\n"
                                     "    partition 0, leader 2, replicas: 2, isrs: 2\n");
    CHECK(json(lna, "single") ==
          R"({"originating_broker":{"id":1,"name":"127.0.0.1:39957/1"},"query":{"topic":"single"},"controllerid":1,)"
          R"("brokers":[{"id":1,"name":"127.0.0.1:39957"},{"id":2,"name":"127.0.0.1:42901"},{"id":3,"name":"127.0.0.1:45949"}],)"
          R"("topics":[{"topic":"single","error":"Broker: Leader not available","partitions":[{"partition":0,"leader":2,"replicas":[{"id":2}],"isrs":[{"id":2}]}]}]})");

    auto denied = cluster();
    denied.topics = {single_topic(29)};
    CHECK(text(denied, "single") == head +
                                        "  topic \"single\" with 1 partitions: Broker: Topic authorization failed\n"
                                        "    partition 0, leader 2, replicas: 2, isrs: 2\n");
}

TEST_CASE("kcat_metadata: a cluster without topics, and one without a known controller") {
    // kcat -L and -L -J against a fresh single-broker reference broker.
    metadata_snapshot m;
    m.originating_broker_id = node_id(1);
    m.originating_broker_name = "127.0.0.1:37227/1";
    m.brokers = {{node_id(1), "127.0.0.1", 37227}};
    m.controller_id = node_id(1);
    CHECK(text(m) == "Metadata for all topics (from broker 1: 127.0.0.1:37227/1):\n"
                     " 1 brokers:\n"
                     "  broker 1 at 127.0.0.1:37227 (controller)\n"
                     " 0 topics:\n");
    CHECK(json(m) == R"({"originating_broker":{"id":1,"name":"127.0.0.1:37227/1"},"query":{"topic":"*"},)"
                     R"("controllerid":1,"brokers":[{"id":1,"name":"127.0.0.1:37227"}],"topics":[]})");
    // kcat marks the broker whose id is the controller id: none for -1.
    m.controller_id = node_id(-1);
    CHECK(text(m) == "Metadata for all topics (from broker 1: 127.0.0.1:37227/1):\n"
                     " 1 brokers:\n"
                     "  broker 1 at 127.0.0.1:37227\n"
                     " 0 topics:\n");
    CHECK(json(m).find(R"("controllerid":-1,)") != std::string::npos);
}

} // namespace kafkit::cli
