// Members coming and going against the embedded broker: session timeout, rebalance timeout,
// members that never sync, LeaveGroup (v0 and batched v5), static membership (KIP-345,
// KIP-814), a waiting member whose connection closes, and fault injection.

#include "embedded_broker.hpp"
#include "group_test_support.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"
#include "kafkit/protocol/messages/leave_group.hpp"

#include <algorithm>
#include <memory>

using namespace group_test;
using kafkit::kafka_errc;
using kafkit::testing::embedded_broker;
using namespace kafkit::protocol;
using std::chrono::milliseconds;

namespace {

/// A and B in generation 2 (A leader, assignments "A2"/"B2"); returns B's id.
std::string add_second_member(broker_test_client& a, const std::string& id_a, broker_test_client& b,
                              const std::string& group, const std::vector<protocol_spec>& pa,
                              const std::vector<protocol_spec>& pb, std::int32_t b_session_ms,
                              std::int32_t rebalance_ms = 10000) {
    const auto id_b = request_member_id(b, group, pb, b_session_ms, rebalance_ms);
    b.send(make_join(group, id_b, pb, b_session_ms, rebalance_ms), 9);
    REQUIRE(eventually([&] { return beat(a, group, id_a, 1) == code(kafka_errc::rebalance_in_progress); }));
    a.send(make_join(group, id_a, pa, 10000, rebalance_ms), 9);
    REQUIRE(receive<join_group_response>(a, 9)->generation_id == 2);
    REQUIRE(receive<join_group_response>(b, 9)->generation_id == 2);
    b.send(make_sync(group, 2, id_b, "range"), 5);
    const std::vector<std::pair<std::string, std::string>> plan{{id_a, "A2"}, {id_b, "B2"}};
    REQUIRE(exchange<sync_group_response>(a, make_sync(group, 2, id_a, "range", plan), 5)->error_code == 0);
    REQUIRE(text(receive<sync_group_response>(b, 5)->assignment) == "B2");
    return id_b;
}

leave_group_request::member_identity identity(std::string member_id, std::optional<std::string> instance = {}) {
    leave_group_request::member_identity m;
    m.member_id = std::move(member_id);
    m.group_instance_id = std::move(instance);
    return m;
}

kafkit::broker::injected_error fail_with(kafka_errc error) {
    return {static_cast<std::int16_t>(error), milliseconds(0)};
}

} // namespace

TEST_CASE("session timeout: a member that stops heartbeating is removed and the others rebalance without it") {
    kafkit::broker::broker_config config;
    config.group_min_session_timeout_ms = 50;
    embedded_broker broker(config);
    broker_test_client a(broker.port()), b(broker.port());
    const std::vector<protocol_spec> pa{{"range", subscription({"orders"})}};
    const auto id_a = join_alone(a, "silent", pa, "A1");
    const auto id_b = add_second_member(a, id_a, b, "silent", pa, pa, 800);

    // B goes silent; A keeps heartbeating and hears of the rebalance B's expiry starts.
    CHECK(eventually([&] { return beat(a, "silent", id_a, 2) == code(kafka_errc::rebalance_in_progress); },
                     std::chrono::seconds(5), milliseconds(50)));
    CHECK(beat(b, "silent", id_b, 2) == code(kafka_errc::unknown_member_id));
    auto rejoined = exchange<join_group_response>(a, make_join("silent", id_a, pa), 9);
    CHECK(rejoined->generation_id == 3);
    CHECK(rejoined->leader == id_a);
    REQUIRE(rejoined->members.size() == 1);
    CHECK(rejoined->members[0].member_id == id_a);
}

TEST_CASE("rebalance timeout: a member that does not rejoin in time is dropped from the new generation") {
    embedded_broker broker;
    broker_test_client a(broker.port()), b(broker.port());
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    const auto id_a = join_alone(a, "slow", protocols, "A1", 10000, 400);
    const auto id_b = request_member_id(b, "slow", protocols, 10000, 400);
    // A never rejoins: after the group's rebalance timeout (400 ms) B is alone.
    auto joined = exchange<join_group_response>(b, make_join("slow", id_b, protocols, 10000, 400), 9);
    CHECK(joined->error_code == 0);
    CHECK(joined->generation_id == 2);
    CHECK(joined->leader == id_b);
    REQUIRE(joined->members.size() == 1);
    CHECK(joined->members[0].member_id == id_b);
    CHECK(beat(a, "slow", id_a, 1) == code(kafka_errc::unknown_member_id));
}

TEST_CASE("pending sync: a member whose connection closed while it waited is dropped when it never syncs") {
    embedded_broker broker;
    broker_test_client a(broker.port());
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    const auto id_a = join_alone(a, "gone", protocols, "A1", 10000, 500);
    {
        broker_test_client b(broker.port());
        const auto id_b = request_member_id(b, "gone", protocols, 10000, 500);
        b.send(make_join("gone", id_b, protocols, 10000, 500), 9);
        REQUIRE(eventually([&] { return beat(a, "gone", id_a, 1) == code(kafka_errc::rebalance_in_progress); }));
    } // B's connection closes while its JoinGroup waits
    auto joined = exchange<join_group_response>(a, make_join("gone", id_a, protocols, 10000, 500), 9);
    CHECK(joined->generation_id == 2);
    CHECK(joined->members.size() == 2); // B still counts until it fails to sync
    CHECK(exchange<sync_group_response>(a, make_sync("gone", 2, id_a, "range"), 5)->error_code == 0);
    CHECK(eventually([&] { return beat(a, "gone", id_a, 2) == code(kafka_errc::rebalance_in_progress); }));
    auto alone = exchange<join_group_response>(a, make_join("gone", id_a, protocols, 10000, 500), 9);
    CHECK(alone->generation_id == 3);
    CHECK(alone->members.size() == 1);
}

TEST_CASE("leave group: batched v5 with per-member errors, v0 for the last member, then the group is Empty") {
    embedded_broker broker;
    broker_test_client a(broker.port()), b(broker.port());
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    const auto id_a = join_alone(a, "leaving", protocols, "A1");
    const auto id_b = add_second_member(a, id_a, b, "leaving", protocols, protocols, 10000);

    leave_group_request batch;
    batch.group_id = "leaving";
    batch.members = {identity(id_b), identity("ghost")};
    auto left = b.call<leave_group_response>(batch, 5);
    CHECK(left.error_code == 0);
    REQUIRE(left.members.size() == 2);
    CHECK(left.members[0].member_id == id_b);
    CHECK(left.members[0].error_code == 0);
    CHECK(left.members[1].member_id == "ghost");
    CHECK(left.members[1].error_code == code(kafka_errc::unknown_member_id));
    CHECK(beat(a, "leaving", id_a, 2) == code(kafka_errc::rebalance_in_progress));
    auto alone = exchange<join_group_response>(a, make_join("leaving", id_a, protocols), 9);
    CHECK(alone->generation_id == 3);
    CHECK(alone->members.size() == 1);

    leave_group_request single;
    single.group_id = "leaving";
    single.member_id = "ghost";
    CHECK(a.call<leave_group_response>(single, 0).error_code == code(kafka_errc::unknown_member_id));
    single.member_id = id_a;
    CHECK(a.call<leave_group_response>(single, 0).error_code == 0);
    auto d = describe(a, "leaving");
    CHECK(d->groups[0].group_state == "Empty");
    CHECK(d->groups[0].members.empty());

    leave_group_request unknown;
    unknown.group_id = "never-existed";
    unknown.members = {identity("x")};
    auto answer = a.call<leave_group_response>(unknown, 5);
    CHECK(answer.error_code == 0);
    REQUIRE(answer.members.size() == 1);
    CHECK(answer.members[0].error_code == code(kafka_errc::unknown_member_id));
}

TEST_CASE("static membership: a restarted member takes over without a rebalance, the old id is fenced") {
    embedded_broker broker;
    broker_test_client a(broker.port()), b(broker.port());
    const std::vector<protocol_spec> pa{{"range", subscription({"orders"})}};
    const std::vector<protocol_spec> pb{{"range", subscription({"payments"})}};
    // Static members get their id at once (no KIP-394 round trip).
    auto first = exchange<join_group_response>(a, make_join("static", "", pa, 10000, 10000, "inst-a"), 9);
    REQUIRE(first->error_code == 0);
    const std::string id_a = first->member_id;
    CHECK(id_a.rfind("inst-a-", 0) == 0);
    const std::vector<std::pair<std::string, std::string>> solo{{id_a, "A1"}};
    REQUIRE(exchange<sync_group_response>(a, make_sync("static", 1, id_a, "range", solo), 5)->error_code == 0);

    b.send(make_join("static", "", pb, 10000, 10000, "inst-b"), 9);
    REQUIRE(eventually([&] { return beat(a, "static", id_a, 1, "inst-a") == code(kafka_errc::rebalance_in_progress); }));
    a.send(make_join("static", id_a, pa, 10000, 10000, "inst-a"), 9);
    REQUIRE(receive<join_group_response>(a, 9)->generation_id == 2);
    auto jb = receive<join_group_response>(b, 9);
    REQUIRE(jb->generation_id == 2);
    const std::string id_b = jb->member_id;
    b.send(make_sync("static", 2, id_b, "range"), 5);
    const std::vector<std::pair<std::string, std::string>> plan{{id_a, "A2"}, {id_b, "B2"}};
    REQUIRE(exchange<sync_group_response>(a, make_sync("static", 2, id_a, "range", plan), 5)->error_code == 0);
    REQUIRE(text(receive<sync_group_response>(b, 5)->assignment) == "B2");

    // B restarts: same instance, same metadata, no member id.
    broker_test_client b2(broker.port());
    auto rejoin = exchange<join_group_response>(b2, make_join("static", "", pb, 10000, 10000, "inst-b"), 9);
    CHECK(rejoin->error_code == 0);
    CHECK(rejoin->member_id != id_b);
    CHECK(rejoin->member_id.rfind("inst-b-", 0) == 0);
    CHECK(rejoin->generation_id == 2);
    CHECK(rejoin->leader == id_a);
    CHECK(rejoin->members.empty());
    CHECK_FALSE(rejoin->skip_assignment);
    CHECK(describe(a, "static")->groups[0].group_state == "Stable");
    CHECK(beat(a, "static", id_a, 2, "inst-a") == 0); // no rebalance
    auto kept = exchange<sync_group_response>(b2, make_sync("static", 2, rejoin->member_id, "range"), 5);
    CHECK(text(kept->assignment) == "B2");
    CHECK(beat(b, "static", id_b, 2, "inst-b") == code(kafka_errc::fenced_instance_id));

    // The leader restarts: v9 is told to skip the assignment (KIP-814) but sees the members;
    // before v9 the old leader id keeps the new one from assigning.
    broker_test_client a2(broker.port());
    auto lead = exchange<join_group_response>(a2, make_join("static", "", pa, 10000, 10000, "inst-a"), 9);
    CHECK(lead->generation_id == 2);
    CHECK(lead->skip_assignment);
    CHECK(lead->leader == lead->member_id);
    CHECK(lead->members.size() == 2);
    broker_test_client a3(broker.port());
    auto lead5 = exchange<join_group_response>(a3, make_join("static", "", pa, 10000, 10000, "inst-a"), 5);
    CHECK(lead5->generation_id == 2);
    CHECK(lead5->leader == lead->member_id);
    CHECK(lead5->member_id != lead->member_id);
    CHECK(lead5->members.empty());
    CHECK(beat(a2, "static", lead->member_id, 2, "inst-a") == code(kafka_errc::fenced_instance_id));
    CHECK(describe(a, "static")->groups[0].group_state == "Stable");

    // An admin removes a static member by instance id alone.
    leave_group_request remove;
    remove.group_id = "static";
    remove.members = {identity("", std::string("inst-b")), identity("wrong-id", std::string("inst-a")),
                      identity("", std::string("inst-z"))};
    auto removed = a3.call<leave_group_response>(remove, 5);
    REQUIRE(removed.members.size() == 3);
    CHECK(removed.members[0].error_code == 0);
    CHECK(removed.members[1].error_code == code(kafka_errc::fenced_instance_id));
    CHECK(removed.members[2].error_code == code(kafka_errc::unknown_member_id));
}

TEST_CASE("fault injection: group APIs answer the injected error in every group and member") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    auto& faults = broker.get().faults();
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};

    faults.push_request_errors(-1, 11, {fail_with(kafka_errc::not_coordinator)});
    auto join = client.call<join_group_response>(make_join("faulty", "m", protocols), 9);
    CHECK(join.error_code == code(kafka_errc::not_coordinator));
    CHECK(join.member_id == "m");
    faults.push_request_errors(-1, 12, {fail_with(kafka_errc::coordinator_load_in_progress)});
    CHECK(beat(client, "faulty", "m", 1) == code(kafka_errc::coordinator_load_in_progress));
    faults.push_request_errors(-1, 14, {fail_with(kafka_errc::coordinator_not_available)});
    CHECK(client.call<sync_group_response>(make_sync("faulty", 1, "m", "range"), 5).error_code ==
          code(kafka_errc::coordinator_not_available));
    faults.push_request_errors(-1, 13, {fail_with(kafka_errc::not_coordinator)});
    leave_group_request leave;
    leave.group_id = "faulty";
    leave.members = {identity("m1"), identity("m2")};
    auto left = client.call<leave_group_response>(leave, 5);
    CHECK(left.error_code == code(kafka_errc::not_coordinator));
    REQUIRE(left.members.size() == 2);
    CHECK(left.members[1].error_code == code(kafka_errc::not_coordinator));

    faults.push_request_errors(-1, 10, {fail_with(kafka_errc::coordinator_not_available)});
    find_coordinator_request find;
    find.coordinator_keys = {"g1", "g2"};
    auto found = client.call<find_coordinator_response>(find, 4);
    REQUIRE(found.coordinators.size() == 2);
    for (const auto& c : found.coordinators) {
        CHECK(c.error_code == code(kafka_errc::coordinator_not_available));
        CHECK(c.node_id == -1);
    }
    // The next request is served normally again.
    CHECK(client.call<join_group_response>(make_join("faulty", "", protocols), 9).error_code ==
          code(kafka_errc::member_id_required));
}
