// metadata_cache: Metadata responses merged with leader epochs (KIP-320), leaders learned
// from Produce/Fetch errors (KIP-951), leaders forgotten after NOT_LEADER_OR_FOLLOWER.

#include "net/metadata_cache.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/metadata.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

using kafkit::detail::metadata_cache;
using kafkit::protocol::metadata_response;

namespace {

struct partition_spec {
    std::int32_t index;
    std::int32_t leader;
    std::int32_t epoch;
    std::int16_t error = 0;
};

/// Brokers 1, 2 and 3 on localhost:9091..9093, controller 2, and `topic` with `partitions`.
metadata_response response(const std::string& topic, const std::vector<partition_spec>& partitions,
                           std::int16_t topic_error = 0) {
    metadata_response r;
    for (std::int32_t id = 1; id <= 3; ++id) {
        auto& b = r.brokers.emplace_back();
        b.node_id = id;
        b.host = "localhost";
        b.port = 9090 + id;
    }
    r.brokers.back().rack = "rack-c";
    r.cluster_id = "cluster-x";
    r.controller_id = 2;
    auto& t = r.topics.emplace_back();
    t.name = topic;
    t.error_code = topic_error;
    for (const auto& spec : partitions) {
        auto& p = t.partitions.emplace_back();
        p.partition_index = spec.index;
        p.leader_id = spec.leader;
        p.leader_epoch = spec.epoch;
        p.error_code = spec.error;
    }
    return r;
}

std::int32_t leader_of(const metadata_cache& cache, const std::string& topic,
                       std::size_t partition) {
    return cache.topic(topic)->partitions.at(partition).leader;
}

std::int32_t epoch_of(const metadata_cache& cache, const std::string& topic,
                      std::size_t partition) {
    return cache.topic(topic)->partitions.at(partition).leader_epoch;
}

constexpr auto unknown_topic =
    static_cast<std::int16_t>(kafkit::kafka_errc::unknown_topic_or_partition);
constexpr auto leader_not_available =
    static_cast<std::int16_t>(kafkit::kafka_errc::leader_not_available);

} // namespace

TEST_CASE("metadata_cache: apply records brokers, controller, cluster id and partition leaders") {
    metadata_cache cache;
    CHECK_FALSE(cache.known());
    CHECK(cache.apply(response("orders", {{0, 1, 4}, {1, 3, 7}})));
    CHECK(cache.known());
    CHECK(cache.updates() == 1);
    CHECK(cache.controller() == 2);
    CHECK(cache.cluster_id() == "cluster-x");
    REQUIRE(cache.brokers().size() == 3);
    REQUIRE(cache.broker(3) != nullptr);
    CHECK(cache.broker(3)->host == "localhost");
    CHECK(cache.broker(3)->port == 9093);
    CHECK(cache.broker(3)->rack == std::optional<std::string>("rack-c"));
    CHECK(cache.broker(4) == nullptr);
    const auto* t = cache.topic("orders");
    REQUIRE(t != nullptr);
    CHECK(t->name == "orders");
    CHECK(t->error_code == 0);
    REQUIRE(t->partitions.size() == 2);
    CHECK(t->partitions[0].leader == 1);
    CHECK(t->partitions[0].leader_epoch == 4);
    CHECK(t->partitions[1].leader == 3);
    CHECK(t->partitions[1].leader_epoch == 7);
    CHECK(cache.topic("other") == nullptr);
}

TEST_CASE("metadata_cache: the same response again changes nothing and says so") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 4}})));
    CHECK_FALSE(cache.apply(response("orders", {{0, 1, 4}})));
    CHECK(cache.updates() == 2);
}

TEST_CASE(
    "metadata_cache: a response with an older leader epoch does not override a newer leader") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 5}, {1, 2, 5}})));
    // A broker with stale metadata: partition 0 at epoch 4 elsewhere, partition 1 current.
    CHECK(cache.apply(response("orders", {{0, 3, 4}, {1, 3, 6}})));
    CHECK(leader_of(cache, "orders", 0) == 1);
    CHECK(epoch_of(cache, "orders", 0) == 5);
    CHECK(leader_of(cache, "orders", 1) == 3);
    CHECK(epoch_of(cache, "orders", 1) == 6);
    // Only stale news: no change reported.
    CHECK_FALSE(cache.apply(response("orders", {{0, 2, 3}, {1, 1, 2}})));
    CHECK(leader_of(cache, "orders", 0) == 1);
    CHECK(leader_of(cache, "orders", 1) == 3);
}

TEST_CASE("metadata_cache: a newer epoch moves the leader, the same epoch refreshes it") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 5}})));
    CHECK(cache.apply(response("orders", {{0, 2, 6}})));
    CHECK(leader_of(cache, "orders", 0) == 2);
    CHECK(epoch_of(cache, "orders", 0) == 6);
}

TEST_CASE("metadata_cache: -1 epochs (brokers before KIP-320) always apply") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 5}})));
    CHECK(cache.apply(response("orders", {{0, 2, -1}})));
    CHECK(leader_of(cache, "orders", 0) == 2);
    CHECK(epoch_of(cache, "orders", 0) == -1);
    CHECK(cache.apply(response("orders", {{0, 3, -1}})));
    CHECK(leader_of(cache, "orders", 0) == 3);
}

TEST_CASE("metadata_cache: partition counts grow and the new partitions get their leaders") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 1}, {1, 2, 1}})));
    REQUIRE(cache.topic("orders")->partitions.size() == 2);
    CHECK(cache.apply(response("orders", {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 1, 1}})));
    const auto* t = cache.topic("orders");
    REQUIRE(t->partitions.size() == 4);
    CHECK(t->partitions[0].leader == 1);
    CHECK(t->partitions[1].leader == 2);
    CHECK(t->partitions[2].leader == 3);
    CHECK(t->partitions[3].leader == 1);
}

TEST_CASE("metadata_cache: partitions listed out of order land at their index") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{2, 3, 1}, {0, 1, 1}, {1, 2, 1}})));
    const auto* t = cache.topic("orders");
    REQUIRE(t->partitions.size() == 3);
    CHECK(t->partitions[0].leader == 1);
    CHECK(t->partitions[1].leader == 2);
    CHECK(t->partitions[2].leader == 3);
}

TEST_CASE("metadata_cache: a topic error is recorded, and cleared by a good response") {
    metadata_cache cache;
    cache.apply(response("missing", {}, unknown_topic));
    const auto* t = cache.topic("missing");
    REQUIRE(t != nullptr);
    CHECK(t->error_code == unknown_topic);
    CHECK(t->partitions.empty());

    CHECK(cache.apply(response("missing", {{0, 2, 0}})));
    t = cache.topic("missing");
    CHECK(t->error_code == 0);
    REQUIRE(t->partitions.size() == 1);
    CHECK(t->partitions[0].leader == 2);
}

TEST_CASE("metadata_cache: a topic error without partitions keeps the partitions known before") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 3}, {1, 2, 3}})));
    cache.apply(response("orders", {}, leader_not_available));
    const auto* t = cache.topic("orders");
    CHECK(t->error_code == leader_not_available);
    REQUIRE(t->partitions.size() == 2);
    CHECK(t->partitions[1].leader == 2);
}

TEST_CASE("metadata_cache: a partition's own error and missing leader are recorded") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, -1, 2, leader_not_available}, {1, 2, 2}})));
    const auto* t = cache.topic("orders");
    CHECK(t->partitions[0].leader == -1);
    CHECK(t->partitions[0].error_code == leader_not_available);
    CHECK(t->partitions[1].error_code == 0);
}

TEST_CASE("metadata_cache: brokers are replaced by each response, topics not listed are kept") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 1}})));
    auto next = response("payments", {{0, 3, 1}});
    next.brokers.erase(next.brokers.begin()); // broker 1 left
    next.cluster_id.reset();                  // not sent by this version
    cache.apply(next);
    CHECK(cache.broker(1) == nullptr);
    CHECK(cache.brokers().size() == 2);
    CHECK(cache.cluster_id() == "cluster-x");
    REQUIRE(cache.topic("orders") != nullptr);
    CHECK(leader_of(cache, "orders", 0) == 1);
    CHECK(leader_of(cache, "payments", 0) == 3);
}

TEST_CASE("metadata_cache: update_leader takes a KIP-951 hint with a newer epoch") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 5}, {1, 1, 5}})));
    CHECK(cache.update_leader("orders", 0, 2, 6));
    CHECK(leader_of(cache, "orders", 0) == 2);
    CHECK(epoch_of(cache, "orders", 0) == 6);
    CHECK(leader_of(cache, "orders", 1) == 1); // the other partition untouched
    // A later response at the old epoch does not undo it.
    cache.apply(response("orders", {{0, 1, 5}, {1, 1, 5}}));
    CHECK(leader_of(cache, "orders", 0) == 2);
}

TEST_CASE("metadata_cache: update_leader refuses stale, repeated and unusable hints") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 5, leader_not_available}})));
    CHECK_FALSE(cache.update_leader("orders", 0, 2, 4));  // older epoch
    CHECK_FALSE(cache.update_leader("orders", 0, 1, 5));  // what is known already
    CHECK_FALSE(cache.update_leader("orders", 0, -1, 9)); // no leader
    CHECK_FALSE(cache.update_leader("orders", 0, 7, 9));  // a broker the cache does not know
    CHECK_FALSE(cache.update_leader("orders", 1, 2, 9));  // no such partition
    CHECK_FALSE(cache.update_leader("orders", -1, 2, 9));
    CHECK_FALSE(cache.update_leader("unknown", 0, 2, 9)); // no such topic
    CHECK(leader_of(cache, "orders", 0) == 1);
    CHECK(epoch_of(cache, "orders", 0) == 5);
    CHECK(cache.update_leader("orders", 0, 3, 5)); // same epoch, another leader
    CHECK(leader_of(cache, "orders", 0) == 3);
    CHECK(cache.topic("orders")->partitions[0].error_code == 0);
}

TEST_CASE("metadata_cache: invalidate_leader forgets the leader until the next response") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 5}, {1, 2, 5}})));
    cache.invalidate_leader("orders", 0);
    CHECK(leader_of(cache, "orders", 0) == -1);
    CHECK(leader_of(cache, "orders", 1) == 2);
    cache.invalidate_leader("orders", 9);  // out of range: ignored
    cache.invalidate_leader("unknown", 0); // unknown topic: ignored
    // The same epoch again brings it back, and counts as a change.
    CHECK(cache.apply(response("orders", {{0, 1, 5}, {1, 2, 5}})));
    CHECK(leader_of(cache, "orders", 0) == 1);
}

TEST_CASE("metadata_cache: a hint at the known epoch restores an invalidated leader") {
    metadata_cache cache;
    REQUIRE(cache.apply(response("orders", {{0, 1, 5}})));
    cache.invalidate_leader("orders", 0);
    CHECK(cache.update_leader("orders", 0, 1, 5));
    CHECK(leader_of(cache, "orders", 0) == 1);
}

TEST_CASE("metadata_cache: an answer for every topic forgets the topics it leaves out; a partial one does not") {
    metadata_cache cache;
    auto both = response("kept", {{0, 1, 0}});
    auto& gone = both.topics.emplace_back();
    gone.name = "gone";
    gone.is_internal = true;
    gone.partitions.emplace_back().leader_id = 2;
    cache.apply(both, true);
    REQUIRE(cache.topics().size() == 2);
    CHECK(cache.topic("gone")->internal);
    CHECK_FALSE(cache.topic("kept")->internal);

    CHECK_FALSE(cache.apply(response("kept", {{0, 1, 0}}))); // partial: "gone" stays
    CHECK(cache.topic("gone") != nullptr);
    CHECK(cache.apply(response("kept", {{0, 1, 0}}), true)); // every topic: "gone" went
    CHECK(cache.topic("gone") == nullptr);
    CHECK(cache.topics().size() == 1);
}

TEST_CASE("metadata_cache: topics are found by their id (Metadata v10+); a recreated topic's new id replaces the old") {
    metadata_cache cache;
    auto r = response("orders", {{0, 1, 0}});
    kafkit::protocol::uuid first;
    first.bytes[3] = 7;
    r.topics[0].topic_id = first;
    cache.apply(r);
    REQUIRE(cache.topic_by_id(first) != nullptr);
    CHECK(cache.topic_by_id(first)->name == "orders");
    CHECK(cache.topic_by_id(kafkit::protocol::uuid{}) == nullptr); // zero is "no id"

    r.topics[0].topic_id = {}; // a response without ids keeps the one known
    cache.apply(r);
    CHECK(cache.topic("orders")->id == first);

    kafkit::protocol::uuid second;
    second.bytes[3] = 8;
    r.topics[0].topic_id = second;
    cache.apply(r);
    CHECK(cache.topic_by_id(first) == nullptr);
    REQUIRE(cache.topic_by_id(second) != nullptr);
    CHECK(cache.topic_by_id(second)->name == "orders");
}
