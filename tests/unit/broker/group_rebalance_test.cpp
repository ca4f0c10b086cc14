// The classic group rebalance against the embedded broker: KIP-394 member ids, two and
// three members sharing a generation, the leader's view, SyncGroup distribution, heartbeats
// during a rebalance, protocol selection by votes, the initial rebalance delay, and the
// errors JoinGroup/SyncGroup/Heartbeat answer.

#include "embedded_broker.hpp"
#include "group_test_support.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"

#include <map>

using namespace group_test;
using kafkit::kafka_errc;
using kafkit::testing::embedded_broker;
using namespace kafkit::protocol;

TEST_CASE("join group: KIP-394 hands out a member id first, the rejoin completes generation 1 as leader") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    auto first = client.call<join_group_response>(make_join("g1", "", protocols), 9);
    CHECK(first.error_code == code(kafka_errc::member_id_required));
    CHECK(first.generation_id == -1);
    CHECK(first.member_id.rfind("kafkit-test-", 0) == 0); // client.id + "-" + uuid
    CHECK(first.members.empty());

    auto joined = exchange<join_group_response>(client, make_join("g1", first.member_id, protocols), 9);
    CHECK(joined->error_code == 0);
    CHECK(joined->generation_id == 1);
    CHECK(joined->member_id == first.member_id);
    CHECK(joined->leader == first.member_id);
    CHECK(joined->protocol_type == std::optional<std::string>("consumer"));
    CHECK(joined->protocol_name == std::optional<std::string>("range"));
    CHECK_FALSE(joined->skip_assignment);
    REQUIRE(joined->members.size() == 1);
    CHECK(joined->members[0].member_id == first.member_id);
    CHECK(text(joined->members[0].metadata) == text(protocols[0].metadata));

    // Before v4 there is no extra round trip: the first answer carries the new id.
    auto old = client.call<join_group_response>(make_join("g-old", "", protocols), 3);
    CHECK(old.error_code == 0);
    CHECK(old.generation_id == 1);
    CHECK_FALSE(old.member_id.empty());
    CHECK(old.leader == old.member_id);
    CHECK(old.protocol_name == std::optional<std::string>("range"));
}

TEST_CASE("join group: two members share a generation, the leader sees both, sync hands out assignments; "
          "a third member makes heartbeats answer REBALANCE_IN_PROGRESS") {
    embedded_broker broker;
    broker_test_client a(broker.port()), b(broker.port()), c(broker.port());
    a.set_client_id("consumer-a");
    b.set_client_id("consumer-b");
    const std::vector<protocol_spec> pa{{"range", subscription({"orders"})}};
    const std::vector<protocol_spec> pb{{"range", subscription({"orders", "payments"})}};
    const auto id_a = join_alone(a, "g2", pa, "A1");
    CHECK(beat(a, "g2", id_a, 1) == 0);

    // B arrives: the group rebalances, and A learns it from its heartbeat.
    const auto id_b = request_member_id(b, "g2", pb);
    CHECK(beat(a, "g2", id_a, 1) == 0); // a member id handed out does not rebalance by itself
    b.send(make_join("g2", id_b, pb), 9);
    CHECK(eventually([&] { return beat(a, "g2", id_a, 1) == code(kafka_errc::rebalance_in_progress); }));
    a.send(make_join("g2", id_a, pa), 9);
    auto ja = receive<join_group_response>(a, 9);
    auto jb = receive<join_group_response>(b, 9);
    CHECK(ja->error_code == 0);
    CHECK(jb->error_code == 0);
    CHECK(ja->generation_id == 2);
    CHECK(jb->generation_id == 2);
    CHECK(ja->leader == id_a);
    CHECK(jb->leader == id_a);
    CHECK(jb->members.empty());
    REQUIRE(ja->members.size() == 2);
    std::map<std::string, std::string> seen;
    for (const auto& m : ja->members) seen[m.member_id] = text(m.metadata);
    CHECK(seen[id_a] == text(pa[0].metadata));
    CHECK(seen[id_b] == text(pb[0].metadata));

    // B asks first and waits for the leader's assignment.
    b.send(make_sync("g2", 2, id_b, "range"), 5);
    const std::vector<std::pair<std::string, std::string>> plan{{id_a, "A2"}, {id_b, "B2"}};
    auto sa = exchange<sync_group_response>(a, make_sync("g2", 2, id_a, "range", plan), 5);
    auto sb = receive<sync_group_response>(b, 5);
    CHECK(sa->error_code == 0);
    CHECK(sb->error_code == 0);
    CHECK(text(sa->assignment) == "A2");
    CHECK(text(sb->assignment) == "B2");
    CHECK(sb->protocol_type == std::optional<std::string>("consumer"));
    CHECK(sb->protocol_name == std::optional<std::string>("range"));

    auto d = describe(a, "g2");
    const auto& group = d->groups[0];
    CHECK(group.group_state == "Stable");
    CHECK(group.protocol_type == "consumer");
    CHECK(group.protocol_data == "range");
    REQUIRE(group.members.size() == 2);
    std::map<std::string, std::string> clients, assignments;
    for (const auto& m : group.members) {
        clients[m.member_id] = m.client_id;
        assignments[m.member_id] = text(m.member_assignment);
        CHECK(m.client_host.rfind("/127.0.0.1", 0) == 0);
    }
    CHECK(clients[id_a] == "consumer-a");
    CHECK(clients[id_b] == "consumer-b");
    CHECK(assignments[id_a] == "A2");
    CHECK(assignments[id_b] == "B2");

    // Heartbeats are fine while Stable; a third member triggers a rebalance they report.
    CHECK(beat(a, "g2", id_a, 2) == 0);
    CHECK(beat(b, "g2", id_b, 2) == 0);
    const auto id_c = request_member_id(c, "g2", pa);
    c.send(make_join("g2", id_c, pa), 9);
    CHECK(eventually([&] { return beat(a, "g2", id_a, 2) == code(kafka_errc::rebalance_in_progress); }));
    CHECK(beat(b, "g2", id_b, 2) == code(kafka_errc::rebalance_in_progress));
    CHECK(beat(a, "g2", id_a, 1) == code(kafka_errc::illegal_generation));
    CHECK(beat(a, "g2", "nobody", 2) == code(kafka_errc::unknown_member_id));
    CHECK(a.call<sync_group_response>(make_sync("g2", 2, id_a, "range"), 5).error_code ==
          code(kafka_errc::rebalance_in_progress));

    a.send(make_join("g2", id_a, pa), 9);
    b.send(make_join("g2", id_b, pb), 9);
    auto ja3 = receive<join_group_response>(a, 9);
    auto jb3 = receive<join_group_response>(b, 9);
    auto jc3 = receive<join_group_response>(c, 9);
    CHECK(ja3->generation_id == 3);
    CHECK(jb3->generation_id == 3);
    CHECK(jc3->generation_id == 3);
    CHECK(ja3->members.size() == 3);
    CHECK(jc3->leader == id_a);
}

TEST_CASE("join group: the protocol every member supports with most votes wins, not the leader's favourite") {
    embedded_broker broker;
    broker_test_client a(broker.port()), b(broker.port()), c(broker.port());
    const auto meta = subscription({"orders"});
    const std::vector<protocol_spec> leader_prefers_roundrobin{{"roundrobin", meta}, {"range", meta}};
    const std::vector<protocol_spec> prefers_range{{"range", meta}, {"roundrobin", meta}, {"sticky", meta}};
    const auto id_a = join_alone(a, "votes", leader_prefers_roundrobin, "x");
    const auto id_b = request_member_id(b, "votes", prefers_range);
    const auto id_c = request_member_id(c, "votes", prefers_range);
    b.send(make_join("votes", id_b, prefers_range), 9);
    c.send(make_join("votes", id_c, prefers_range), 9);
    CHECK(eventually([&] { return beat(a, "votes", id_a, 1) == code(kafka_errc::rebalance_in_progress); }));
    a.send(make_join("votes", id_a, leader_prefers_roundrobin), 9);
    auto ja = receive<join_group_response>(a, 9);
    auto jb = receive<join_group_response>(b, 9);
    auto jc = receive<join_group_response>(c, 9);
    CHECK(ja->generation_id == 2);
    CHECK(ja->leader == id_a);
    CHECK(ja->protocol_name == std::optional<std::string>("range")); // 2 votes to 1; sticky is not common
    CHECK(jb->protocol_name == std::optional<std::string>("range"));
    REQUIRE(ja->members.size() == 3);
    for (const auto& m : ja->members) CHECK(text(m.metadata) == text(meta));

    // A newcomer that supports none of the group's protocols, or another protocol type, is refused.
    broker_test_client d(broker.port());
    const std::vector<protocol_spec> only_sticky{{"sticky", meta}};
    CHECK(d.call<join_group_response>(make_join("votes", "", only_sticky), 9).error_code ==
          code(kafka_errc::inconsistent_group_protocol));
    auto connect = make_join("votes", "", prefers_range);
    connect.protocol_type = "connect";
    CHECK(d.call<join_group_response>(connect, 9).error_code == code(kafka_errc::inconsistent_group_protocol));
}

TEST_CASE("join group: group.initial.rebalance.delay.ms lets two first members share generation 1") {
    kafkit::broker::broker_config config;
    config.group_initial_rebalance_delay_ms = 1000;
    embedded_broker broker(config);
    broker_test_client a(broker.port()), b(broker.port());
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    const auto id_a = request_member_id(a, "delayed", protocols);
    const auto id_b = request_member_id(b, "delayed", protocols);
    a.send(make_join("delayed", id_a, protocols), 9);
    b.send(make_join("delayed", id_b, protocols), 9);
    auto ja = receive<join_group_response>(a, 9);
    auto jb = receive<join_group_response>(b, 9);
    CHECK(ja->generation_id == 1);
    CHECK(jb->generation_id == 1);
    CHECK(ja->leader == jb->leader);
    const auto& leader = ja->leader == id_a ? ja : jb;
    CHECK(leader->members.size() == 2);
}

TEST_CASE("join group, sync group, heartbeat: the errors of bad requests") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    auto join_error = [&](join_group_request request, std::int16_t version = 9) {
        return client.call<join_group_response>(request, version);
    };
    auto bad_session = join_error(make_join("errors", "someone", protocols, 10));
    CHECK(bad_session.error_code == code(kafka_errc::invalid_session_timeout)); // below group.min.session.timeout.ms
    CHECK(bad_session.member_id == "someone");
    CHECK(join_error(make_join("errors", "", protocols, 3600000)).error_code ==
          code(kafka_errc::invalid_session_timeout));
    CHECK(join_error(make_join("", "", protocols)).error_code == code(kafka_errc::invalid_group_id));
    CHECK(join_error(make_join("no-such-group", "stale-id", protocols)).error_code ==
          code(kafka_errc::unknown_member_id));
    const std::vector<protocol_spec> none;
    CHECK(join_error(make_join("errors", "", none)).error_code == code(kafka_errc::inconsistent_group_protocol));
    // v6 and older encode "no protocol" as an empty string, not null.
    auto v6 = join_error(make_join("", "", protocols), 6);
    CHECK(v6.error_code == code(kafka_errc::invalid_group_id));
    CHECK(v6.protocol_name == std::optional<std::string>(""));

    const auto id = join_alone(client, "errors", protocols, "mine");
    CHECK(join_error(make_join("errors", "stranger", protocols)).error_code == code(kafka_errc::unknown_member_id));
    CHECK(client.call<sync_group_response>(make_sync("errors", 7, id, "range"), 5).error_code ==
          code(kafka_errc::illegal_generation));
    CHECK(client.call<sync_group_response>(make_sync("errors", 1, id, "roundrobin"), 5).error_code ==
          code(kafka_errc::inconsistent_group_protocol));
    auto no_name = make_sync("errors", 1, id, "range");
    no_name.protocol_name = std::nullopt; // mandatory from v5
    CHECK(client.call<sync_group_response>(no_name, 5).error_code == code(kafka_errc::inconsistent_group_protocol));
    CHECK(client.call<sync_group_response>(make_sync("errors", 1, "stranger", "range"), 5).error_code ==
          code(kafka_errc::unknown_member_id));
    // SyncGroup again while Stable (v3: no protocol fields) gives the assignment again.
    auto again = exchange<sync_group_response>(client, make_sync("errors", 1, id, "range"), 3);
    CHECK(again->error_code == 0);
    CHECK(text(again->assignment) == "mine");
    CHECK(beat(client, "no-such-group", id, 1) == code(kafka_errc::unknown_member_id));
    CHECK(beat(client, "", id, 1) == code(kafka_errc::invalid_group_id));
}

TEST_CASE("group requests to a node that does not coordinate the group answer NOT_COORDINATOR") {
    kafkit::broker::broker_config config;
    config.brokers = 3;
    embedded_broker broker(config);
    broker_test_client first(broker.port(0));
    find_coordinator_request find;
    find.key = "elsewhere";
    auto found = first.call<find_coordinator_response>(find, 3);
    REQUIRE(found.error_code == 0);
    const auto coordinator_index = static_cast<std::size_t>(found.node_id - 1);
    const auto other_index = (coordinator_index + 1) % 3;
    broker_test_client other(broker.port(other_index));
    broker_test_client right(broker.port(coordinator_index));
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    CHECK(other.call<join_group_response>(make_join("elsewhere", "", protocols), 9).error_code ==
          code(kafka_errc::not_coordinator));
    CHECK(beat(other, "elsewhere", "x", 1) == code(kafka_errc::not_coordinator));
    CHECK(other.call<sync_group_response>(make_sync("elsewhere", 1, "x", "range"), 5).error_code ==
          code(kafka_errc::not_coordinator));
    CHECK(right.call<join_group_response>(make_join("elsewhere", "", protocols), 9).error_code ==
          code(kafka_errc::member_id_required));
}
