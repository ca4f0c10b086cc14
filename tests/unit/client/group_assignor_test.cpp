// The classic group protocol's assignors. Expected layouts come from Java's documentation of
// the algorithms (apache/kafka clients/src/main/java/org/apache/kafka/clients/consumer/):
// RangeAssignor's and RoundRobinAssignor's javadoc examples, RangeAssignor's rack matching
// (KIP-881) traced by hand, and StickyAssignor's javadoc examples. The sticky family is also
// checked against its invariants on many random groups: every partition assigned once to a
// subscriber, balance as Java's AbstractStickyAssignor.isBalanced defines it, stickiness, and
// for cooperative-sticky that no member is given a partition another member still owns.

#include "group/builtin_assignors.hpp"
#include "group/partition_assignor.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

using kafkit::partition_id;
using kafkit::topic_partition;
using kafkit::detail::assignor_cluster;
using kafkit::detail::group_assignment;
using kafkit::detail::member_subscription;
using partitions = std::vector<topic_partition>;

namespace {

const auto range = kafkit::detail::make_assignor("range");
const auto roundrobin = kafkit::detail::make_assignor("roundrobin");
const auto sticky = kafkit::detail::make_assignor("sticky");
const auto coop = kafkit::detail::make_assignor("cooperative-sticky");

topic_partition tp(const std::string& topic, std::int32_t p) {
    return {topic, partition_id{p}};
}

member_subscription member(std::string id, std::vector<std::string> topics,
                           std::optional<std::string> instance = std::nullopt,
                           std::optional<std::string> rack = std::nullopt) {
    member_subscription m;
    m.member_id = std::move(id);
    m.topics = std::move(topics);
    m.group_instance_id = std::move(instance);
    m.rack_id = std::move(rack);
    return m;
}

assignor_cluster cluster(std::map<std::string, std::int32_t> counts) {
    return {std::move(counts), {}};
}

// A sticky member that last held `held` in `generation` (in its user data, as Java's sticky).
member_subscription sticky_member(std::string id, std::vector<std::string> topics,
                                  const partitions& held, std::int32_t generation) {
    auto m = member(std::move(id), std::move(topics));
    m.user_data = sticky->subscription_user_data(held, generation);
    return m;
}

// A cooperative member owning `owned` in `generation` (in its v2+ subscription, as Java's).
member_subscription cooperative_member(std::string id, std::vector<std::string> topics,
                                       const partitions& owned, std::int32_t generation) {
    auto m = member(std::move(id), std::move(topics));
    m.owned_partitions = owned;
    m.generation_id = generation;
    m.user_data = coop->subscription_user_data(owned, generation);
    return m;
}

std::size_t total(const group_assignment& a) {
    return std::accumulate(
        a.begin(), a.end(), std::size_t{0},
        [](std::size_t n, const auto& entry) { return n + entry.second.size(); });
}

std::size_t kept(const partitions& before, const partitions& after) {
    return static_cast<std::size_t>(
        std::count_if(before.begin(), before.end(), [&](const topic_partition& t) {
            return std::find(after.begin(), after.end(), t) != after.end();
        }));
}

} // namespace

TEST_CASE("assignor: make_assignor knows the four built-in names") {
    using kafkit::detail::rebalance_protocol;
    for (const char* name : {"range", "roundrobin", "sticky", "cooperative-sticky"}) {
        const auto a = kafkit::detail::make_assignor(name);
        REQUIRE(a);
        CHECK(a->name() == name);
        CHECK(a->protocol() == (std::string_view(name) == "cooperative-sticky"
                                    ? rebalance_protocol::cooperative
                                    : rebalance_protocol::eager));
    }
    CHECK_FALSE(kafkit::detail::make_assignor("Range"));
    CHECK_FALSE(kafkit::detail::make_assignor(""));
    CHECK(kafkit::detail::make_assignor("range")->subscription_user_data({tp("t", 0)}, 3).empty());
}

// ---- range ----

TEST_CASE("range assignor: Java's javadoc example, two consumers and two topics of three") {
    const auto a = range->assign(cluster({{"t0", 3}, {"t1", 3}}),
                                 {member("C1", {"t0", "t1"}), member("C0", {"t0", "t1"})});
    CHECK(a == group_assignment{{"C0", {tp("t0", 0), tp("t0", 1), tp("t1", 0), tp("t1", 1)}},
                                {"C1", {tp("t0", 2), tp("t1", 2)}}});
}

TEST_CASE(
    "range assignor: static members are ordered by group.instance.id, ahead of dynamic ones") {
    // The javadoc's rolling bounce: C0 and C1 came back as C3 (I0) and C2 (I1); I0 keeps the
    // first ranges although member id C2 sorts before C3.
    const auto bounced =
        range->assign(cluster({{"t0", 3}, {"t1", 3}}),
                      {member("C2", {"t0", "t1"}, "I1"), member("C3", {"t0", "t1"}, "I0")});
    CHECK(bounced.at("C3") == partitions{tp("t0", 0), tp("t0", 1), tp("t1", 0), tp("t1", 1)});
    CHECK(bounced.at("C2") == partitions{tp("t0", 2), tp("t1", 2)});

    // A static member comes before every dynamic one (AbstractPartitionAssignor.MemberInfo).
    const auto mixed =
        range->assign(cluster({{"t", 3}}), {member("a", {"t"}), member("z", {"t"}, "instance")});
    CHECK(mixed.at("z") == partitions{tp("t", 0), tp("t", 1)});
    CHECK(mixed.at("a") == partitions{tp("t", 2)});
}

TEST_CASE("range assignor: per-topic ranges over each topic's own subscribers") {
    const auto a = range->assign(
        cluster({{"t0", 3}, {"t1", 2}, {"empty", 0}, {"other", 5}}),
        {member("A", {"t0"}), member("B", {"t0", "t1", "t1"}), member("C", {"missing", "empty"})});
    CHECK(a == group_assignment{{"A", {tp("t0", 0), tp("t0", 1)}},
                                {"B", {tp("t0", 2), tp("t1", 0), tp("t1", 1)}},
                                {"C", {}}});
    CHECK(range->assign(cluster({{"t", 4}}), {}).empty());
}

TEST_CASE("range assignor: matches partitions to consumer racks within the same quotas (KIP-881)") {
    // c0 is on rack a, c1 on rack b; t's replicas: p0 on b, p1 and p2 on a. Plain ranges
    // would give c0 p0-p1; rack matching gives c0 its two partitions on rack a.
    auto c = cluster({{"t", 3}});
    c.partition_racks = {{tp("t", 0), {"b"}}, {tp("t", 1), {"a"}}, {tp("t", 2), {"a"}}};
    const std::vector members{member("c0", {"t"}, std::nullopt, "a"),
                              member("c1", {"t"}, std::nullopt, "b")};
    const auto a = range->assign(c, members);
    CHECK(a.at("c0") == partitions{tp("t", 1), tp("t", 2)});
    CHECK(a.at("c1") == partitions{tp("t", 0)});

    // Without consumer racks the same cluster gets plain ranges.
    const auto plain = range->assign(c, {member("c0", {"t"}), member("c1", {"t"})});
    CHECK(plain.at("c0") == partitions{tp("t", 0), tp("t", 1)});

    // When every partition has replicas on every rack, racks cannot help: plain ranges.
    c.partition_racks = {
        {tp("t", 0), {"a", "b"}}, {tp("t", 1), {"b", "a"}}, {tp("t", 2), {"a", "b"}}};
    CHECK(range->assign(c, members).at("c0") == partitions{tp("t", 0), tp("t", 1)});

    // Consumer racks that hold no replica at all: plain ranges too.
    c.partition_racks = {{tp("t", 0), {"x"}}, {tp("t", 1), {"y"}}};
    CHECK(range->assign(c, members).at("c0") == partitions{tp("t", 0), tp("t", 1)});
}

TEST_CASE("range assignor: co-partitioned topics stay co-partitioned under rack matching") {
    const std::vector members{member("c0", {"t1", "t2"}, std::nullopt, "b"),
                              member("c1", {"t1", "t2"}, std::nullopt, "a")};
    // Replicas of t1-0, t1-1, t2-0 and t2-1 on one rack each.
    auto assign = [&members](const char* r10, const char* r11, const char* r20, const char* r21) {
        auto c = cluster({{"t1", 2}, {"t2", 2}});
        c.partition_racks = {
            {tp("t1", 0), {r10}}, {tp("t1", 1), {r11}}, {tp("t2", 0), {r20}}, {tp("t2", 1), {r21}}};
        return range->assign(c, members);
    };
    // Aligned racks: partition p of both topics goes to the consumer on p's rack.
    const auto a = assign("a", "b", "a", "b");
    CHECK(a.at("c0") == partitions{tp("t1", 1), tp("t2", 1)});
    CHECK(a.at("c1") == partitions{tp("t1", 0), tp("t2", 0)});

    // Racks that disagree between the topics: co-partitioning wins over rack alignment.
    const auto b = assign("a", "b", "b", "a");
    CHECK(b.at("c0") == partitions{tp("t1", 0), tp("t2", 0)});
    CHECK(b.at("c1") == partitions{tp("t1", 1), tp("t2", 1)});
}

TEST_CASE("range assignor: a consumer without a rack matches any partition, as in Java") {
    // RangeAssignor.TopicAssignmentState.racksMatch is true for a consumer with no rack, so
    // rack-less c0 takes p0 first and c1 (rack a) is left p1, whose replica is on b.
    auto c = cluster({{"t", 2}});
    c.partition_racks = {{tp("t", 0), {"a"}}, {tp("t", 1), {"b"}}};
    const auto a = range->assign(c, {member("c0", {"t"}), member("c1", {"t"}, {}, "a")});
    CHECK(a.at("c0") == partitions{tp("t", 0)});
    CHECK(a.at("c1") == partitions{tp("t", 1)});
}

// ---- roundrobin ----

TEST_CASE("roundrobin assignor: Java's javadoc examples") {
    const auto same = roundrobin->assign(cluster({{"t0", 3}, {"t1", 3}}),
                                         {member("C0", {"t0", "t1"}), member("C1", {"t1", "t0"})});
    CHECK(same == group_assignment{{"C0", {tp("t0", 0), tp("t0", 2), tp("t1", 1)}},
                                   {"C1", {tp("t0", 1), tp("t1", 0), tp("t1", 2)}}});

    const auto differ = roundrobin->assign(
        cluster({{"t0", 1}, {"t1", 2}, {"t2", 3}}),
        {member("C0", {"t0"}), member("C1", {"t0", "t1"}), member("C2", {"t0", "t1", "t2"})});
    CHECK(differ == group_assignment{{"C0", {tp("t0", 0)}},
                                     {"C1", {tp("t1", 0)}},
                                     {"C2", {tp("t1", 1), tp("t2", 0), tp("t2", 1), tp("t2", 2)}}});
}

TEST_CASE("roundrobin assignor: deals in Java's member order and skips unknown topics") {
    const auto a = roundrobin->assign(
        cluster({{"t", 5}}),
        {member("a", {"t", "gone"}), member("b", {"t"}, "i2"), member("c", {"t"}, "i1")});
    CHECK(a == group_assignment{{"c", {tp("t", 0), tp("t", 3)}},
                                {"b", {tp("t", 1), tp("t", 4)}},
                                {"a", {tp("t", 2)}}});
}

// ---- sticky: user data ----

TEST_CASE("sticky assignor: user data in Java's StickyAssignor layout, v1 and v0") {
    using kafkit::detail::decode_sticky_user_data;
    using kafkit::detail::encode_sticky_user_data;
    // [t0: [0, 2]] then generation 9.
    const std::vector<std::uint8_t> v1{0, 0, 0, 1, 0, 2, 't', '0', 0, 0, 0, 2,
                                       0, 0, 0, 0, 0, 0, 0,   2,   0, 0, 0, 9};
    CHECK(encode_sticky_user_data({tp("t0", 2), tp("t0", 0)}, 9) == v1);
    const auto d1 = decode_sticky_user_data({v1.data(), v1.size()});
    REQUIRE(d1);
    CHECK(d1->partitions == partitions{tp("t0", 0), tp("t0", 2)});
    CHECK(d1->generation == 9);

    // Version 0 ends after the partitions; fewer than 4 bytes after them are not a generation.
    for (std::size_t cut : {4u, 2u}) {
        const std::vector v0(v1.begin(), v1.end() - static_cast<std::ptrdiff_t>(cut));
        const auto d0 = decode_sticky_user_data({v0.data(), v0.size()});
        REQUIRE(d0);
        CHECK(d0->partitions.size() == 2);
        CHECK_FALSE(d0->generation);
    }
    const std::vector<std::uint8_t> bad{0, 0, 0, 1, 0, 9, 't'};
    CHECK_FALSE(decode_sticky_user_data({bad.data(), bad.size()}));

    CHECK(sticky->subscription_user_data({}, -1).empty());
    CHECK(sticky->subscription_user_data({}, 4) ==
          std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0, 0, 4});
}

TEST_CASE("cooperative-sticky assignor: user data is the generation as 4 big-endian bytes") {
    CHECK(coop->subscription_user_data({tp("t", 1)}, 5) == std::vector<std::uint8_t>{0, 0, 0, 5});
    CHECK(coop->subscription_user_data({}, -1) ==
          std::vector<std::uint8_t>{0xff, 0xff, 0xff, 0xff});
    const std::vector<std::uint8_t> six{0, 0, 1, 2, 9};
    CHECK(kafkit::detail::decode_cooperative_user_data({six.data(), six.size()}) == 258);
    CHECK_FALSE(kafkit::detail::decode_cooperative_user_data({six.data(), 3}));
}

// ---- sticky: worked examples ----

TEST_CASE("sticky assignor: Java's javadoc example, four topics of two, then C1 leaves") {
    const auto c = cluster({{"t0", 2}, {"t1", 2}, {"t2", 2}, {"t3", 2}});
    const std::vector<std::string> all{"t0", "t1", "t2", "t3"};
    const auto first =
        sticky->assign(c, {sticky_member("C0", all, {}, -1), sticky_member("C1", all, {}, -1),
                           sticky_member("C2", all, {}, -1)});
    CHECK(first == group_assignment{{"C0", {tp("t0", 0), tp("t1", 1), tp("t3", 0)}},
                                    {"C1", {tp("t0", 1), tp("t2", 0), tp("t3", 1)}},
                                    {"C2", {tp("t1", 0), tp("t2", 1)}}});

    const auto second = sticky->assign(c, {sticky_member("C0", all, first.at("C0"), 1),
                                           sticky_member("C2", all, first.at("C2"), 1)});
    CHECK(second == group_assignment{{"C0", {tp("t0", 0), tp("t1", 1), tp("t2", 0), tp("t3", 0)}},
                                     {"C2", {tp("t0", 1), tp("t1", 0), tp("t2", 1), tp("t3", 1)}}});
}

TEST_CASE("sticky assignor: Java's javadoc example with different subscriptions") {
    const auto c = cluster({{"t0", 1}, {"t1", 2}, {"t2", 3}});
    const auto first = sticky->assign(c, {sticky_member("C0", {"t0"}, {}, -1),
                                          sticky_member("C1", {"t0", "t1"}, {}, -1),
                                          sticky_member("C2", {"t0", "t1", "t2"}, {}, -1)});
    CHECK(first == group_assignment{{"C0", {tp("t0", 0)}},
                                    {"C1", {tp("t1", 0), tp("t1", 1)}},
                                    {"C2", {tp("t2", 0), tp("t2", 1), tp("t2", 2)}}});
    // C0 leaves: only its partition moves (roundrobin would reshuffle).
    const auto second =
        sticky->assign(c, {sticky_member("C1", {"t0", "t1"}, first.at("C1"), 1),
                           sticky_member("C2", {"t0", "t1", "t2"}, first.at("C2"), 1)});
    CHECK(second.at("C1") == partitions{tp("t0", 0), tp("t1", 0), tp("t1", 1)});
    CHECK(second.at("C2") == first.at("C2"));
}

TEST_CASE("sticky assignor: a joining member takes one partition from each, the rest stay") {
    const auto c = cluster({{"a", 6}, {"b", 6}});
    const auto before = sticky->assign(c, {sticky_member("m1", {"a", "b"}, {}, -1),
                                           sticky_member("m2", {"a", "b"}, {}, -1),
                                           sticky_member("m3", {"a", "b"}, {}, -1)});
    for (const auto& [m, p] : before)
        CHECK(p.size() == 4);

    const auto after = sticky->assign(c, {sticky_member("m1", {"a", "b"}, before.at("m1"), 2),
                                          sticky_member("m2", {"a", "b"}, before.at("m2"), 2),
                                          sticky_member("m3", {"a", "b"}, before.at("m3"), 2),
                                          sticky_member("m4", {"a", "b"}, {}, -1)});
    CHECK(total(after) == 12);
    for (const char* m : {"m1", "m2", "m3"}) {
        CHECK(after.at(m).size() == 3);
        CHECK(kept(before.at(m), after.at(m)) == 3);
    }
    CHECK(after.at("m4").size() == 3);

    // m4 leaves again: the others keep everything and split its three.
    const auto back = sticky->assign(c, {sticky_member("m1", {"a", "b"}, after.at("m1"), 3),
                                         sticky_member("m2", {"a", "b"}, after.at("m2"), 3),
                                         sticky_member("m3", {"a", "b"}, after.at("m3"), 3)});
    for (const char* m : {"m1", "m2", "m3"}) {
        CHECK(back.at(m).size() == 4);
        CHECK(kept(after.at(m), back.at(m)) == 3);
    }
}

TEST_CASE("sticky assignor: a claim of a higher generation beats an older one") {
    const auto c = cluster({{"t", 4}});
    // A (generation 5) and B (stale, generation 4) both claim t-0.
    const auto a = sticky->assign(c, {sticky_member("A", {"t"}, {tp("t", 0), tp("t", 1)}, 5),
                                      sticky_member("B", {"t"}, {tp("t", 0), tp("t", 2)}, 4)});
    CHECK(a == group_assignment{{"A", {tp("t", 0), tp("t", 1)}}, {"B", {tp("t", 2), tp("t", 3)}}});
    // The same with the stale claim from the member that sorts first.
    const auto a2 = sticky->assign(c, {sticky_member("A", {"t"}, {tp("t", 0), tp("t", 2)}, 4),
                                       sticky_member("B", {"t"}, {tp("t", 0), tp("t", 1)}, 5)});
    CHECK(a2 == group_assignment{{"A", {tp("t", 2), tp("t", 3)}}, {"B", {tp("t", 0), tp("t", 1)}}});

    // Claimed in the same generation by both: neither claim counts, the partition is re-dealt.
    const auto b = sticky->assign(c, {sticky_member("A", {"t"}, {tp("t", 0), tp("t", 1)}, 5),
                                      sticky_member("B", {"t"}, {tp("t", 0), tp("t", 2)}, 5)});
    CHECK(total(b) == 4);
    CHECK(b.at("A").size() == 2);
    CHECK(std::find(b.at("A").begin(), b.at("A").end(), tp("t", 1)) != b.at("A").end());
    CHECK(std::find(b.at("B").begin(), b.at("B").end(), tp("t", 2)) != b.at("B").end());

    // Unreadable user data is no claim.
    auto garbled = sticky_member("B", {"t"}, {}, -1);
    garbled.user_data = {0x7f, 0xff, 0xff, 0xff};
    const auto g = sticky->assign(c, {sticky_member("A", {"t"}, {tp("t", 3)}, 1), garbled});
    CHECK(g.at("A").size() == 2);
    CHECK(std::find(g.at("A").begin(), g.at("A").end(), tp("t", 3)) != g.at("A").end());
}

// ---- cooperative-sticky ----

TEST_CASE(
    "cooperative-sticky assignor: partitions moving to a new member wait for their revocation") {
    const auto c = cluster({{"t", 4}});
    const partitions all{tp("t", 0), tp("t", 1), tp("t", 2), tp("t", 3)};

    // B joins A, which owns all four: A is told to keep two; B gets nothing yet, because the
    // two it will get are still A's.
    const auto first = coop->assign(
        c, {cooperative_member("A", {"t"}, all, 3), cooperative_member("B", {"t"}, {}, -1)});
    REQUIRE(first.at("A").size() == 2);
    CHECK(first.at("B").empty());

    // A revoked the other two and both rejoin at generation 4: now B gets them.
    const auto second = coop->assign(c, {cooperative_member("A", {"t"}, first.at("A"), 4),
                                         cooperative_member("B", {"t"}, {}, 4)});
    CHECK(second.at("A") == first.at("A"));
    CHECK(second.at("B").size() == 2);
    CHECK(kept(first.at("A"), second.at("B")) == 0);
}

TEST_CASE("cooperative-sticky assignor: generation rules for contested partitions") {
    const auto c = cluster({{"t", 2}});
    // Same generation: t-0 is claimed by both, so it goes to neither this time.
    const auto tie = coop->assign(c, {cooperative_member("A", {"t"}, {tp("t", 0), tp("t", 1)}, 6),
                                      cooperative_member("B", {"t"}, {tp("t", 0)}, 6)});
    CHECK(tie.at("A") == partitions{tp("t", 1)});
    CHECK(tie.at("B").empty());

    // Different generations: the newer claim wins and keeps it without waiting.
    const auto newer =
        coop->assign(c, {cooperative_member("A", {"t"}, {tp("t", 0)}, 7),
                         cooperative_member("B", {"t"}, {tp("t", 0), tp("t", 1)}, 6)});
    CHECK(newer.at("A") == partitions{tp("t", 0)});
    CHECK(newer.at("B") == partitions{tp("t", 1)});
    const auto older_first =
        coop->assign(c, {cooperative_member("A", {"t"}, {tp("t", 0), tp("t", 1)}, 6),
                         cooperative_member("B", {"t"}, {tp("t", 0)}, 7)});
    CHECK(older_first.at("A") == partitions{tp("t", 1)});
    CHECK(older_first.at("B") == partitions{tp("t", 0)});

    // A subscription without a generation field (v0/v1) falls back to the user data's.
    auto old_a = cooperative_member("A", {"t"}, {tp("t", 0)}, 9);
    old_a.generation_id = -1;
    const auto fallback =
        coop->assign(c, {old_a, cooperative_member("B", {"t"}, {tp("t", 0), tp("t", 1)}, 8)});
    CHECK(fallback.at("A") == partitions{tp("t", 0)});
}

TEST_CASE("cooperative-sticky assignor: partitions change hands in two rebalances, both ways") {
    const auto c = cluster({{"x", 2}, {"y", 2}});
    // A dropped y but still owns y-0 and y-1, which only B can take; for balance A then gets
    // B's x-1. Each partition waits one rebalance for its owner to revoke it.
    const auto first =
        coop->assign(c, {cooperative_member("A", {"x"}, {tp("x", 0), tp("y", 0), tp("y", 1)}, 2),
                         cooperative_member("B", {"x", "y"}, {tp("x", 1)}, 2)});
    CHECK(first.at("A") == partitions{tp("x", 0)});
    CHECK(first.at("B").empty());
    const auto second = coop->assign(c, {cooperative_member("A", {"x"}, first.at("A"), 3),
                                         cooperative_member("B", {"x", "y"}, first.at("B"), 3)});
    CHECK(second.at("A") == partitions{tp("x", 0), tp("x", 1)});
    CHECK(second.at("B") == partitions{tp("y", 0), tp("y", 1)});
}

// ---- sticky family: invariants over random groups ----

namespace {

struct random_group {
    assignor_cluster cluster;
    std::vector<member_subscription> members;
    std::map<std::string, partitions> previous; // what each member held, possibly overlapping
    std::map<std::string, std::int32_t> generations;
    bool identical_subscriptions = true; // every member lists the same topics
};

random_group make_random_group(std::mt19937& rng) {
    random_group g;
    auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const int topics = pick(1, 5);
    std::vector<std::string> names;
    for (int t = 0; t < topics; ++t) {
        names.push_back("topic" + std::to_string(t));
        g.cluster.partition_counts[names.back()] = pick(0, 9);
    }
    const bool same = pick(0, 2) == 0;
    std::vector<std::string> shared;
    for (const auto& n : names)
        if (pick(0, 1) == 0 || shared.empty()) shared.push_back(n);
    const int count = pick(1, 8);
    for (int m = 0; m < count; ++m) {
        std::vector<std::string> subscribed = shared;
        if (!same) {
            subscribed.clear();
            for (const auto& n : names)
                if (pick(0, 1) == 0) subscribed.push_back(n);
            if (pick(0, 4) == 0) subscribed.emplace_back("unknown-topic");
        }
        const std::string id = "member-" + std::to_string(pick(0, 99)) + "-" + std::to_string(m);
        g.members.push_back(member(id, subscribed));
        // An earlier assignment: random partitions, sometimes of topics since dropped or
        // never existing, and a generation that is sometimes stale or missing.
        partitions held;
        for (const auto& n : names) {
            for (int p = 0; p < 10; ++p)
                if (pick(0, count + 1) == 0) held.push_back(tp(n, p));
        }
        g.previous[id] = held;
        g.generations[id] = pick(0, 5) == 0 ? -1 : 10 + pick(0, 2);
    }
    g.identical_subscriptions = same;
    return g;
}

std::vector<member_subscription> with_claims(const random_group& g, bool cooperative) {
    std::vector<member_subscription> out;
    for (const auto& m : g.members) {
        const auto& held = g.previous.at(m.member_id);
        const std::int32_t generation = g.generations.at(m.member_id);
        out.push_back(cooperative ? cooperative_member(m.member_id, m.topics, held, generation)
                                  : sticky_member(m.member_id, m.topics, held, generation));
    }
    return out;
}

bool subscribed(const random_group& g, const std::string& member_id, const std::string& topic) {
    for (const auto& m : g.members) {
        if (m.member_id == member_id)
            return std::find(m.topics.begin(), m.topics.end(), topic) != m.topics.end();
    }
    return false;
}

// Each partition at most once and only to a subscriber; with `complete`, every partition of
// a subscribed topic exactly once.
void check_valid(const random_group& g, const group_assignment& a, bool complete) {
    REQUIRE(a.size() == g.members.size());
    std::map<topic_partition, int> seen;
    for (const auto& [member_id, parts] : a) {
        CHECK(std::is_sorted(parts.begin(), parts.end()));
        for (const auto& p : parts) {
            ++seen[p];
            CHECK(subscribed(g, member_id, p.topic));
            CHECK(p.partition.value() < g.cluster.partition_counts.at(p.topic));
        }
    }
    for (const auto& [p, n] : seen)
        CHECK(n == 1);
    if (!complete) return;
    for (const auto& [topic, count] : g.cluster.partition_counts) {
        bool any = false;
        for (const auto& m : g.members)
            any = any || subscribed(g, m.member_id, topic);
        for (std::int32_t p = 0; p < count; ++p)
            CHECK(seen.contains(tp(topic, p)) == any);
    }
}

// Java's AbstractStickyAssignor.isBalanced: no member holds two or more partitions more than
// another member that could take one of them.
void check_balanced(const random_group& g, const group_assignment& a) {
    for (const auto& [big, big_parts] : a) {
        for (const auto& [small, small_parts] : a) {
            if (big_parts.size() < small_parts.size() + 2) continue;
            for (const auto& p : big_parts)
                CHECK_FALSE(subscribed(g, small, p.topic));
        }
    }
    if (g.identical_subscriptions) {
        std::size_t lo = SIZE_MAX, hi = 0;
        for (const auto& [m, parts] : a) {
            lo = std::min(lo, parts.size());
            hi = std::max(hi, parts.size());
        }
        CHECK(hi - lo <= 1);
    }
}

} // namespace

TEST_CASE("sticky assignor: random groups get valid, balanced and stable assignments") {
    std::mt19937 rng(20240611);
    for (int round = 0; round < 300; ++round) {
        CAPTURE(round);
        const random_group g = make_random_group(rng);
        const auto first = sticky->assign(g.cluster, with_claims(g, false));
        check_valid(g, first, true);
        check_balanced(g, first);

        // The same group again, each member claiming what it just got: nothing moves.
        random_group next = g;
        for (auto& [m, held] : next.previous)
            held = first.at(m);
        for (auto& [m, gen] : next.generations)
            gen = 20;
        CHECK(sticky->assign(g.cluster, with_claims(next, false)) == first);

        // With identical subscriptions and disjoint claims, a member keeps at least as many of
        // its partitions as the smaller share allows.
        if (g.identical_subscriptions) {
            const std::size_t share = total(first) / g.members.size();
            random_group shifted = next;
            shifted.members.pop_back(); // one member leaves
            if (shifted.members.empty()) continue;
            const auto after = sticky->assign(g.cluster, with_claims(shifted, false));
            check_valid(shifted, after, true);
            check_balanced(shifted, after);
            for (const auto& m : shifted.members)
                CHECK(kept(first.at(m.member_id), after.at(m.member_id)) >=
                      std::min(share, first.at(m.member_id).size()));
        }
    }
}

TEST_CASE("cooperative-sticky assignor: random groups never get partitions another member owns") {
    std::mt19937 rng(7);
    for (int round = 0; round < 300; ++round) {
        CAPTURE(round);
        random_group g = make_random_group(rng);
        const auto a = coop->assign(g.cluster, with_claims(g, true));
        check_valid(g, a, false);
        // KIP-429's rule, as Java's ConsumerCoordinator.validateCooperativeAssignment checks
        // it: a partition new to a member is owned by no other member.
        for (const auto& [member_id, parts] : a) {
            for (const auto& p : parts) {
                const auto& own = g.previous.at(member_id);
                if (std::find(own.begin(), own.end(), p) != own.end()) continue;
                for (const auto& [other, owned] : g.previous) {
                    if (other != member_id)
                        CHECK(std::find(owned.begin(), owned.end(), p) == owned.end());
                }
            }
        }
        // Rebalancing on, each member owning what it was given, converges to a complete,
        // balanced assignment in a few rounds and then stays put.
        group_assignment current = a;
        bool converged = false;
        for (std::int32_t generation = 30; generation < 34 && !converged; ++generation) {
            for (auto& [m, held] : g.previous)
                held = current.at(m);
            for (auto& [m, gen] : g.generations)
                gen = generation;
            auto next = coop->assign(g.cluster, with_claims(g, true));
            converged = next == current;
            current = std::move(next);
        }
        CHECK(converged);
        check_valid(g, current, true);
        check_balanced(g, current);
    }
}
