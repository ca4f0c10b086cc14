// KIP-848 consumer groups against the embedded broker: ConsumerGroupHeartbeat joins, epochs
// and reconciliation (revoke before reassign), leaving, session and rebalance timeouts,
// fencing, static members, assignors, regex subscriptions, the classic/consumer boundary,
// OffsetCommit/OffsetFetch with member epochs, ListGroups and ConsumerGroupDescribe; and the
// server-side assignors and the reconciler on their own.

#include "embedded_broker.hpp"
#include "group/assignment_reconciler.hpp"
#include "group/server_assignor.hpp"
#include "group_test_support.hpp"
#include "kafkit/protocol/messages/consumer_group_describe.hpp"
#include "kafkit/protocol/messages/consumer_group_heartbeat.hpp"
#include "kafkit/protocol/messages/list_groups.hpp"
#include "kafkit/protocol/messages/offset_commit.hpp"
#include "kafkit/protocol/messages/offset_fetch.hpp"

#include <map>

using namespace group_test;
using kafkit::kafka_errc;
using kafkit::testing::embedded_broker;
using namespace kafkit::protocol;
using std::chrono::milliseconds;

namespace {

using hb_request = consumer_group_heartbeat_request;
using hb_response = consumer_group_heartbeat_response;
/// Partitions by topic id (text form), as compared in the tests.
using parts = std::map<std::string, std::vector<std::int32_t>>;

kafkit::broker::broker_config four_partitions() {
    kafkit::broker::broker_config config;
    config.num_partitions = 4;
    return config;
}

uuid topic_id(broker_test_client& client, const std::string& topic) {
    ensure_topic(client, topic);
    metadata_request request;
    metadata_request::metadata_request_topic t;
    t.name = topic;
    request.topics = std::vector{t};
    auto response = client.call<metadata_response>(request, 12);
    REQUIRE(response.topics.size() == 1);
    return response.topics[0].topic_id;
}

std::optional<parts> assignment_of(const hb_response& r) {
    if (!r.assignment) return std::nullopt;
    parts out;
    for (const auto& t : r.assignment->topic_partitions) out[t.topic_id.to_string()] = t.partitions;
    return out;
}

std::vector<hb_request::topic_partitions_struct> owned_list(const parts& owned) {
    std::vector<hb_request::topic_partitions_struct> out;
    for (const auto& [id, partitions] : owned) {
        hb_request::topic_partitions_struct t;
        t.topic_id = *uuid::from_string(id);
        t.partitions = partitions;
        out.push_back(t);
    }
    return out;
}

/// A well-behaved KIP-848 member: it sends its epoch and owns what it was last assigned.
struct member {
    member(broker_test_client& c, std::string g, std::string i, std::optional<std::string> inst = std::nullopt)
        : client(c), group(std::move(g)), id(std::move(i)), instance(std::move(inst)) {}

    broker_test_client& client;
    std::string group;
    std::string id;
    std::optional<std::string> instance;
    std::int32_t epoch = 0;
    parts owned;

    hb_response send(hb_request request, std::int16_t version = 1) {
        auto response = client.call<hb_response>(request, version);
        if (response.error_code == 0) {
            epoch = response.member_epoch;
            if (auto a = assignment_of(response)) owned = *a;
        }
        return response;
    }
    hb_response join(const std::vector<std::string>& topics, std::optional<std::string> assignor = std::nullopt,
                     std::int32_t rebalance_ms = 30000) {
        hb_request r;
        r.group_id = group;
        r.member_id = id;
        r.member_epoch = 0;
        r.instance_id = instance;
        r.rebalance_timeout_ms = rebalance_ms;
        r.subscribed_topic_names = topics;
        r.server_assignor = std::move(assignor);
        r.topic_partitions = std::vector<hb_request::topic_partitions_struct>{};
        owned.clear();
        return send(r);
    }
    hb_response beat() { return beat_as(epoch, owned); }
    hb_response beat_as(std::int32_t sent_epoch, const std::optional<parts>& claimed) {
        hb_request r;
        r.group_id = group;
        r.member_id = id;
        r.member_epoch = sent_epoch;
        r.instance_id = instance;
        if (claimed) r.topic_partitions = owned_list(*claimed);
        return send(r);
    }
    hb_response leave(std::int32_t leave_epoch = -1) { return beat_as(leave_epoch, std::nullopt); }
};

consumer_group_describe_response::described_group describe_consumer(broker_test_client& client,
                                                                    const std::string& group) {
    consumer_group_describe_request request;
    request.group_ids = {group};
    request.include_authorized_operations = true;
    auto response = client.call<consumer_group_describe_response>(request, 0);
    REQUIRE(response.groups.size() == 1);
    return response.groups[0];
}

const consumer_group_describe_response::member*
described_member(const consumer_group_describe_response::described_group& g, const std::string& id) {
    for (const auto& m : g.members)
        if (m.member_id == id) return &m;
    return nullptr;
}

/// The partitions of an assignment in a ConsumerGroupDescribe answer, by topic name.
std::map<std::string, std::vector<std::int32_t>> by_name(const consumer_group_describe_response::assignment_struct& a) {
    std::map<std::string, std::vector<std::int32_t>> out;
    for (const auto& t : a.topic_partitions) out[t.topic_name] = t.partitions;
    return out;
}

std::int16_t commit(broker_test_client& client, const std::string& group, const std::string& member_id,
                    std::int32_t epoch, std::int16_t version = 9) {
    offset_commit_request request;
    request.group_id = group;
    request.member_id = member_id;
    request.generation_id_or_member_epoch = epoch;
    offset_commit_request::offset_commit_request_topic t;
    t.name = "orders";
    offset_commit_request::offset_commit_request_partition p;
    p.partition_index = 0;
    p.committed_offset = 42;
    t.partitions.push_back(p);
    request.topics.push_back(t);
    auto response = client.call<offset_commit_response>(request, version);
    REQUIRE(response.topics.size() == 1);
    return response.topics[0].partitions.at(0).error_code;
}

offset_fetch_response::offset_fetch_response_group fetch(broker_test_client& client, const std::string& group,
                                                         std::optional<std::string> member_id, std::int32_t epoch) {
    offset_fetch_request request;
    offset_fetch_request::offset_fetch_request_group g;
    g.group_id = group;
    g.member_id = std::move(member_id);
    g.member_epoch = epoch;
    g.topics = std::nullopt; // every committed offset
    request.groups.push_back(g);
    auto response = client.call<offset_fetch_response>(request, 9);
    REQUIRE(response.groups.size() == 1);
    return response.groups[0];
}

/// A broker with topic "orders" of four partitions and a client.
struct cluster {
    explicit cluster(kafkit::broker::broker_config config = four_partitions()) : broker(config), client(broker.port()) {
        orders = topic_id(client, "orders").to_string();
    }
    embedded_broker broker;
    broker_test_client client;
    std::string orders;
};

} // namespace

TEST_CASE("consumer group: the first member gets every partition at epoch 1, with the heartbeat "
          "interval") {
    cluster c;
    member a{c.client, "solo", "member-a"};
    auto joined = a.join({"orders"});
    CHECK(joined.error_code == 0);
    CHECK(joined.member_id == std::optional<std::string>("member-a"));
    CHECK(joined.member_epoch == 1);
    CHECK(joined.heartbeat_interval_ms == 5000);
    CHECK(assignment_of(joined) == parts{{c.orders, {0, 1, 2, 3}}});
    // Nothing changed: the heartbeat carries no assignment.
    auto steady = a.beat();
    CHECK(steady.error_code == 0);
    CHECK(steady.member_epoch == 1);
    CHECK_FALSE(steady.assignment);

    // v0 members do not name themselves (KIP-1082 came with v1): the coordinator does.
    hb_request v0;
    v0.group_id = "solo";
    v0.member_epoch = 0;
    v0.rebalance_timeout_ms = 30000;
    v0.subscribed_topic_names = std::vector<std::string>{"orders"};
    v0.topic_partitions = std::vector<hb_request::topic_partitions_struct>{};
    auto named = c.client.call<hb_response>(v0, 0);
    CHECK(named.error_code == 0);
    REQUIRE(named.member_id);
    CHECK(named.member_id->size() == 22);
    CHECK(named.member_epoch == 2);
}

TEST_CASE("consumer group: a second member gets partitions only after the first revoked them") {
    cluster c;
    member a{c.client, "pair", "member-a"}, b{c.client, "pair", "member-b"};
    REQUIRE(a.join({"orders"}).member_epoch == 1);

    // B joins at the new group epoch 2 with nothing yet: A still owns everything.
    auto b_joined = b.join({"orders"});
    CHECK(b_joined.member_epoch == 2);
    CHECK(assignment_of(b_joined) == parts{});
    auto g = describe_consumer(c.client, "pair");
    CHECK(g.group_state == "Reconciling");
    CHECK(g.group_epoch == 2);
    CHECK(g.assignment_epoch == 2);
    CHECK(by_name(described_member(g, "member-a")->target_assignment) ==
          std::map<std::string, std::vector<int>>{{"orders", {0, 1}}});
    CHECK(by_name(described_member(g, "member-b")->target_assignment) ==
          std::map<std::string, std::vector<int>>{{"orders", {2, 3}}});

    // A is told to revoke 2 and 3 and stays at epoch 1 until it acknowledges.
    auto revoke = a.beat_as(1, parts{{c.orders, {0, 1, 2, 3}}});
    CHECK(revoke.member_epoch == 1);
    CHECK(assignment_of(revoke) == parts{{c.orders, {0, 1}}});
    auto still = a.beat_as(1, parts{{c.orders, {0, 1, 2, 3}}});
    CHECK(still.member_epoch == 1);
    CHECK(b.beat().member_epoch == 2);
    CHECK(b.owned == parts{}); // 2 and 3 are not released yet

    // A acknowledges: it moves to epoch 2, and B then receives 2 and 3.
    auto acked = a.beat_as(1, parts{{c.orders, {0, 1}}});
    CHECK(acked.member_epoch == 2);
    CHECK_FALSE(acked.assignment); // unchanged
    auto b_gets = b.beat();
    CHECK(b_gets.member_epoch == 2);
    CHECK(assignment_of(b_gets) == parts{{c.orders, {2, 3}}});
    g = describe_consumer(c.client, "pair");
    CHECK(g.group_state == "Stable");
    CHECK(described_member(g, "member-a")->member_epoch == 2);
    CHECK(by_name(described_member(g, "member-b")->assignment) ==
          std::map<std::string, std::vector<int>>{{"orders", {2, 3}}});

    // B leaves (-1): the group epoch bumps and A takes everything back.
    auto left = b.leave();
    CHECK(left.error_code == 0);
    CHECK(left.member_epoch == -1);
    CHECK(describe_consumer(c.client, "pair").group_epoch == 3);
    auto back = a.beat();
    CHECK(back.member_epoch == 3);
    CHECK(assignment_of(back) == parts{{c.orders, {0, 1, 2, 3}}});
    CHECK(b.beat().error_code == code(kafka_errc::unknown_member_id));
}

TEST_CASE("consumer group: a member that stops heartbeating is removed after the session timeout") {
    auto config = four_partitions();
    config.group_consumer_session_timeout_ms = 400;
    config.group_consumer_heartbeat_interval_ms = 100;
    cluster c(config);
    member a{c.client, "sessions", "member-a"}, b{c.client, "sessions", "member-b"};
    CHECK(a.join({"orders"}).heartbeat_interval_ms == 100);
    b.join({"orders"});
    // A keeps heartbeating (and reconciling); B goes silent.
    CHECK(eventually(
        [&] {
            a.beat();
            return describe_consumer(c.client, "sessions").members.size() == 1;
        },
        std::chrono::seconds(5), milliseconds(50)));
    auto g = describe_consumer(c.client, "sessions");
    CHECK(g.group_epoch == 3);
    CHECK(g.members[0].member_id == "member-a");
    CHECK(eventually([&] { return a.beat().error_code == 0 && a.owned == parts{{c.orders, {0, 1, 2, 3}}}; }));
    CHECK(a.epoch == 3);
    CHECK(b.beat().error_code == code(kafka_errc::unknown_member_id));
}

TEST_CASE("consumer group: a member that does not revoke within its rebalance timeout is fenced") {
    cluster c;
    member a{c.client, "slow-revoke", "member-a"}, b{c.client, "slow-revoke", "member-b"};
    a.join({"orders"}, std::nullopt, 300);
    b.join({"orders"});
    const parts everything{{c.orders, {0, 1, 2, 3}}};
    REQUIRE(assignment_of(a.beat_as(1, everything)) == parts{{c.orders, {0, 1}}});
    // A keeps claiming all four partitions: after 300 ms it is out.
    CHECK(eventually([&] { return a.beat_as(1, everything).error_code == code(kafka_errc::unknown_member_id); }));
    auto b_all = b.beat();
    CHECK(b_all.member_epoch == 3);
    CHECK(assignment_of(b_all) == everything);
}

TEST_CASE("consumer group: epochs ahead or behind are fenced, except the previous epoch with a subset") {
    cluster c;
    member a{c.client, "fencing", "member-a"}, b{c.client, "fencing", "member-b"};
    a.join({"orders"});
    CHECK(a.beat_as(7, a.owned).error_code == code(kafka_errc::fenced_member_epoch));
    member stranger{c.client, "fencing", "stranger"};
    CHECK(stranger.beat_as(1, parts{}).error_code == code(kafka_errc::unknown_member_id));

    b.join({"orders"});
    a.beat(); // revokes 2, 3 at epoch 1
    a.beat(); // acknowledges: epoch 2
    REQUIRE(a.epoch == 2);
    // The answer that moved A to epoch 2 may have been lost: epoch 1 with owned partitions
    // within its assignment is taken and told epoch 2; without them it is fenced.
    auto lost = a.beat_as(1, parts{{c.orders, {0}}});
    CHECK(lost.error_code == 0);
    CHECK(lost.member_epoch == 2);
    CHECK(a.beat_as(1, std::nullopt).error_code == code(kafka_errc::fenced_member_epoch));
    CHECK(a.beat_as(1, parts{{c.orders, {3}}}).error_code == code(kafka_errc::fenced_member_epoch));
    CHECK(a.beat_as(3, a.owned).error_code == code(kafka_errc::fenced_member_epoch));
}

TEST_CASE("consumer group: a static member leaves with -2 and its successor takes over its assignment") {
    cluster c;
    member first{c.client, "static", "static-1", "instance-1"};
    REQUIRE(first.join({"orders"}).member_epoch == 1);
    member rival{c.client, "static", "static-2", "instance-1"};
    auto unreleased = rival.join({"orders"});
    CHECK(unreleased.error_code == code(kafka_errc::unreleased_instance_id));

    auto parked = first.leave(-2);
    CHECK(parked.error_code == 0);
    CHECK(parked.member_epoch == -2);
    auto g = describe_consumer(c.client, "static");
    CHECK(g.group_epoch == 1); // still a member: no rebalance
    REQUIRE(g.members.size() == 1);
    CHECK(g.members[0].member_epoch == -2);

    auto rejoined = rival.join({"orders"});
    CHECK(rejoined.error_code == 0);
    CHECK(rejoined.member_epoch == 1);
    CHECK(assignment_of(rejoined) == parts{{c.orders, {0, 1, 2, 3}}});
    g = describe_consumer(c.client, "static");
    CHECK(g.group_epoch == 1);
    REQUIRE(g.members.size() == 1);
    CHECK(g.members[0].member_id == "static-2");
    CHECK(g.members[0].instance_id == std::optional<std::string>("instance-1"));
    CHECK(first.beat_as(1, first.owned).error_code == code(kafka_errc::fenced_instance_id));
    member unknown{c.client, "static", "static-3", "instance-9"};
    CHECK(unknown.beat_as(1, parts{}).error_code == code(kafka_errc::unknown_member_id));
}

TEST_CASE("consumer group: bad field combinations and unknown assignors are refused") {
    cluster c;
    member a{c.client, "checks", "member-a"};
    auto unknown = a.join({"orders"}, std::string("sticky"));
    CHECK(unknown.error_code == code(kafka_errc::unsupported_assignor));
    CHECK(unknown.error_message ==
          std::optional<std::string>("ServerAssignor sticky is not supported. Supported assignors: uniform, range."));
    CHECK(describe_consumer(c.client, "checks").error_code == code(kafka_errc::group_id_not_found)); // nothing created

    hb_request no_partitions;
    no_partitions.group_id = "checks";
    no_partitions.member_id = "member-a";
    no_partitions.rebalance_timeout_ms = 30000;
    no_partitions.subscribed_topic_names = std::vector<std::string>{"orders"};
    auto r = c.client.call<hb_response>(no_partitions, 1);
    CHECK(r.error_code == code(kafka_errc::invalid_request));
    CHECK(r.error_message == std::optional<std::string>("TopicPartitions must be empty when (re-)joining."));

    hb_request anonymous = no_partitions;
    anonymous.member_id = "";
    anonymous.topic_partitions = std::vector<hb_request::topic_partitions_struct>{};
    CHECK(c.client.call<hb_response>(anonymous, 1).error_code == code(kafka_errc::invalid_request)); // v1 needs an id
    hb_request bad_epoch = anonymous;
    bad_epoch.member_id = "member-a";
    bad_epoch.member_epoch = -3;
    CHECK(c.client.call<hb_response>(bad_epoch, 1).error_code == code(kafka_errc::invalid_request));
    bad_epoch.member_epoch = -2; // a static leave without instance id
    CHECK(c.client.call<hb_response>(bad_epoch, 1).error_message ==
          std::optional<std::string>("InstanceId can't be null."));

    hb_request bad_regex = anonymous;
    bad_regex.member_id = "member-a";
    bad_regex.subscribed_topic_names = std::nullopt;
    bad_regex.subscribed_topic_regex = "(";
    CHECK(c.client.call<hb_response>(bad_regex, 1).error_code == code(kafka_errc::invalid_regular_expression));
}

TEST_CASE("consumer group: the range assignor gives co-partitioned topics the same partition numbers") {
    cluster c;
    const auto second = topic_id(c.client, "second").to_string();
    member a{c.client, "ranged", "a-member"}, b{c.client, "ranged", "b-member"};
    a.join({"orders", "second"}, std::string("range"));
    b.join({"orders", "second"}, std::string("range"));
    CHECK(eventually([&] {
        a.beat();
        b.beat();
        return describe_consumer(c.client, "ranged").group_state == "Stable";
    }));
    CHECK(a.owned == parts{{c.orders, {0, 1}}, {second, {0, 1}}});
    CHECK(b.owned == parts{{c.orders, {2, 3}}, {second, {2, 3}}});
    CHECK(describe_consumer(c.client, "ranged").assignor_name == "range");
}

TEST_CASE("consumer group: a subscribed topic created later, and a regex subscription, bump the "
          "group epoch") {
    cluster c;
    member a{c.client, "growing", "member-a"};
    CHECK(a.join({"orders", "later"}).member_epoch == 1);
    const auto later = topic_id(c.client, "later").to_string();
    auto grown = a.beat();
    CHECK(grown.member_epoch == 2);
    CHECK(assignment_of(grown) == parts{{c.orders, {0, 1, 2, 3}}, {later, {0, 1, 2, 3}}});

    const auto rx_a = topic_id(c.client, "rx-a").to_string();
    const auto rx_b = topic_id(c.client, "rx-b").to_string();
    hb_request by_regex;
    by_regex.group_id = "patterns";
    by_regex.member_id = "member-r";
    by_regex.rebalance_timeout_ms = 30000;
    by_regex.subscribed_topic_regex = "rx-.*";
    by_regex.topic_partitions = std::vector<hb_request::topic_partitions_struct>{};
    auto matched = c.client.call<hb_response>(by_regex, 1);
    CHECK(matched.error_code == 0);
    CHECK(assignment_of(matched) == parts{{rx_a, {0, 1, 2, 3}}, {rx_b, {0, 1, 2, 3}}});
    CHECK(describe_consumer(c.client, "patterns").members.at(0).subscribed_topic_regex ==
          std::optional<std::string>("rx-.*"));
}

TEST_CASE("consumer group: classic and consumer groups do not share a group id in use") {
    cluster c;
    broker_test_client classic(c.broker.port());
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    join_alone(classic, "old-style", protocols, "A1");
    member m{c.client, "old-style", "member-m"};
    CHECK(m.join({"orders"}).error_code == code(kafka_errc::group_id_not_found));
    CHECK(describe_consumer(c.client, "old-style").error_code == code(kafka_errc::group_id_not_found));

    member n{c.client, "new-style", "member-n"};
    REQUIRE(n.join({"orders"}).error_code == 0);
    auto refused = classic.call<join_group_response>(make_join("new-style", "", protocols), 9);
    CHECK(refused.error_code == code(kafka_errc::inconsistent_group_protocol));
    CHECK(describe(classic, "new-style")->groups[0].group_state == "Dead"); // DescribeGroups is for classic groups

    // An Empty classic group (it only holds offsets) becomes a consumer group; its offsets stay.
    REQUIRE(commit(c.client, "offsets-only", "", -1) == 0);
    member o{c.client, "offsets-only", "member-o"};
    CHECK(o.join({"orders"}).error_code == 0);
    auto fetched = fetch(c.client, "offsets-only", std::string("member-o"), 1);
    CHECK(fetched.error_code == 0);
    REQUIRE(fetched.topics.size() == 1);
    CHECK(fetched.topics[0].partitions.at(0).committed_offset == 42);

    list_groups_request list;
    list.types_filter = {"Consumer"};
    auto listed = c.client.call<list_groups_response>(list, 5);
    std::map<std::string, std::string> states;
    for (const auto& g : listed.groups) {
        CHECK(g.group_type == "consumer");
        CHECK(g.protocol_type == "consumer");
        states[g.group_id] = g.group_state;
    }
    CHECK(states == std::map<std::string, std::string>{{"new-style", "Stable"}, {"offsets-only", "Stable"}});
}

TEST_CASE("consumer group: OffsetCommit and OffsetFetch v9 check the member epoch") {
    cluster c;
    member a{c.client, "committing", "member-a"};
    a.join({"orders"});
    CHECK(commit(c.client, "committing", "member-a", 1) == 0);
    CHECK(commit(c.client, "committing", "member-a", 0) == code(kafka_errc::stale_member_epoch));
    CHECK(commit(c.client, "committing", "member-a", 2) == code(kafka_errc::stale_member_epoch));
    CHECK(commit(c.client, "committing", "nobody", 1) == code(kafka_errc::unknown_member_id));
    CHECK(commit(c.client, "committing", "member-a", 1, 8) == code(kafka_errc::unsupported_version));
    CHECK(commit(c.client, "committing", "", -1) == code(kafka_errc::unknown_member_id)); // not while it has members

    CHECK(fetch(c.client, "committing", std::string("member-a"), 0).error_code == code(kafka_errc::stale_member_epoch));
    CHECK(fetch(c.client, "committing", std::string("nobody"), 1).error_code == code(kafka_errc::unknown_member_id));
    auto admin = fetch(c.client, "committing", std::nullopt, -1);
    CHECK(admin.error_code == 0);
    REQUIRE(admin.topics.size() == 1);
    CHECK(admin.topics[0].partitions.at(0).committed_offset == 42);

    a.leave();
    CHECK(commit(c.client, "committing", "", -1) == 0); // empty now: admin commits are taken
}

TEST_CASE("consumer group: ConsumerGroupDescribe reports members, subscriptions, assignments and "
          "epochs") {
    cluster c;
    c.client.set_client_id("describing-client");
    member a{c.client, "described", "member-a", "instance-a"};
    a.join({"orders"}, std::string("uniform"));
    auto g = describe_consumer(c.client, "described");
    CHECK(g.error_code == 0);
    CHECK(g.group_id == "described");
    CHECK(g.group_state == "Stable");
    CHECK(g.group_epoch == 1);
    CHECK(g.assignment_epoch == 1);
    CHECK(g.assignor_name == "uniform");
    CHECK(g.authorized_operations != INT32_MIN);
    REQUIRE(g.members.size() == 1);
    const auto& m = g.members[0];
    CHECK(m.member_id == "member-a");
    CHECK(m.instance_id == std::optional<std::string>("instance-a"));
    CHECK(m.member_epoch == 1);
    CHECK(m.client_id == "describing-client");
    CHECK_FALSE(m.client_host.empty());
    CHECK(m.subscribed_topic_names == std::vector<std::string>{"orders"});
    CHECK_FALSE(m.subscribed_topic_regex);
    REQUIRE(m.assignment.topic_partitions.size() == 1);
    CHECK(m.assignment.topic_partitions[0].topic_id.to_string() == c.orders);
    CHECK(by_name(m.assignment) == std::map<std::string, std::vector<int>>{{"orders", {0, 1, 2, 3}}});
    CHECK(by_name(m.target_assignment) == by_name(m.assignment));

    a.leave(-1);
    g = describe_consumer(c.client, "described");
    CHECK(g.group_state == "Empty");
    CHECK(g.members.empty());
    auto missing = describe_consumer(c.client, "never-created");
    CHECK(missing.error_code == code(kafka_errc::group_id_not_found));
}

TEST_CASE("uniform assignor: balanced and sticky when all members subscribe alike") {
    using namespace kafkit::broker;
    const uuid t = *uuid::from_string("AAAAAAAAAAAAAAAAAAAAAQ");
    assignment_spec spec;
    spec.partitions[t] = 6;
    for (const char* id : {"m1", "m2", "m3"}) spec.members.push_back({id, {t}, {}});
    spec.members[0].current[t] = {0, 1, 2, 3};
    spec.members[1].current[t] = {4, 5};
    auto out = uniform_assign(spec);
    CHECK(out["m1"] == topic_assignment{{t, {0, 1}}});
    CHECK(out["m2"] == topic_assignment{{t, {4, 5}}});
    CHECK(out["m3"] == topic_assignment{{t, {2, 3}}});
}

TEST_CASE("uniform assignor: heterogeneous subscriptions are balanced within what members may take") {
    using namespace kafkit::broker;
    const uuid t1 = *uuid::from_string("AAAAAAAAAAAAAAAAAAAAAQ");
    const uuid t2 = *uuid::from_string("AAAAAAAAAAAAAAAAAAAAAg");
    assignment_spec spec;
    spec.partitions[t1] = 4;
    spec.partitions[t2] = 2;
    spec.members.push_back({"m1", {t1}, {}});
    spec.members.push_back({"m2", {t1, t2}, {}});
    auto out = uniform_assign(spec);
    CHECK(partition_count(out["m1"]) == 3);
    CHECK(partition_count(out["m2"]) == 3);
    CHECK(out["m2"].at(t2) == partition_set{0, 1});
    CHECK(out["m1"].count(t2) == 0);
}

TEST_CASE("reconciler: revocations are acknowledged before the member moves to the target epoch") {
    using namespace kafkit::broker;
    const uuid t = *uuid::from_string("AAAAAAAAAAAAAAAAAAAAAQ");
    member_assignment_state a;
    a.member_epoch = 1;
    a.assigned = {{t, {0, 1, 2, 3}}};
    const topic_assignment target{{t, {0, 1}}};
    auto free = [](const uuid&, std::int32_t) { return -1; };
    auto revoking = reconcile(a, 2, target, free, topic_assignment{{t, {0, 1, 2, 3}}});
    CHECK(revoking.state == member_state::unrevoked_partitions);
    CHECK(revoking.member_epoch == 1);
    CHECK(revoking.assigned == target);
    CHECK(revoking.pending_revocation == topic_assignment{{t, {2, 3}}});
    CHECK(reconcile(revoking, 2, target, free, std::nullopt) == revoking); // not acknowledged
    auto done = reconcile(revoking, 2, target, free, topic_assignment{{t, {0, 1}}});
    CHECK(done.state == member_state::stable);
    CHECK(done.member_epoch == 2);
    CHECK(done.previous_member_epoch == 1);
    CHECK(done.pending_revocation.empty());

    // Partitions another member still owns wait: the member is at the epoch without them.
    member_assignment_state b;
    auto owned_elsewhere = [](const uuid&, std::int32_t p) { return p >= 2 ? 1 : -1; };
    auto waiting = reconcile(b, 2, topic_assignment{{t, {1, 2}}}, owned_elsewhere, topic_assignment{});
    CHECK(waiting.state == member_state::unreleased_partitions);
    CHECK(waiting.member_epoch == 2);
    CHECK(waiting.assigned == topic_assignment{{t, {1}}});
}
