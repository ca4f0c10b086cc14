// Finding coordinators and administering groups against the embedded broker:
// FindCoordinator (v0-v3 single key, v4 batched, transactional ids, nodes going down),
// ListGroups (states and types filters), DescribeGroups (states, Dead for unknown groups,
// authorized operations), DeleteGroups (NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND).

#include "embedded_broker.hpp"
#include "group_test_support.hpp"
#include "kafkit/protocol/messages/delete_groups.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"
#include "kafkit/protocol/messages/list_groups.hpp"
#include "kafkit/protocol/messages/offset_commit.hpp"
#include "kafkit/protocol/messages/offset_fetch.hpp"

#include <map>
#include <set>

using namespace group_test;
using kafkit::kafka_errc;
using kafkit::testing::embedded_broker;
using namespace kafkit::protocol;

namespace {

std::map<std::string, std::string> listed(broker_test_client& client, std::vector<std::string> states = {},
                                          std::vector<std::string> types = {}, std::int16_t version = 5) {
    list_groups_request request;
    request.states_filter = std::move(states);
    request.types_filter = std::move(types);
    auto response = client.call<list_groups_response>(request, version);
    REQUIRE(response.error_code == 0);
    std::map<std::string, std::string> out;
    for (const auto& g : response.groups) {
        if (version >= 5) CHECK(g.group_type == "classic");
        out[g.group_id] = version >= 4 ? g.group_state : g.protocol_type;
    }
    return out;
}

void simple_commit(broker_test_client& client, const std::string& group, const std::string& topic) {
    offset_commit_request request;
    request.group_id = group;
    offset_commit_request::offset_commit_request_topic t;
    t.name = topic;
    offset_commit_request::offset_commit_request_partition p;
    p.partition_index = 0;
    p.committed_offset = 3;
    t.partitions.push_back(p);
    request.topics.push_back(t);
    auto response = client.call<offset_commit_response>(request, 9);
    REQUIRE(response.topics[0].partitions[0].error_code == 0);
}

} // namespace

TEST_CASE("find coordinator: one node per key by hash over the nodes that are up, v0 to v4") {
    kafkit::broker::broker_config config;
    config.brokers = 3;
    embedded_broker broker(config);
    broker_test_client client(broker.port(0));

    find_coordinator_request batch;
    for (int i = 0; i < 24; ++i) batch.coordinator_keys.push_back("group-" + std::to_string(i));
    auto response = client.call<find_coordinator_response>(batch, 4);
    REQUIRE(response.coordinators.size() == 24);
    std::set<std::int32_t> nodes;
    for (const auto& c : response.coordinators) {
        CHECK(c.error_code == 0);
        CHECK(c.error_message == std::optional<std::string>("NONE"));
        CHECK(c.host == "127.0.0.1");
        REQUIRE(c.node_id >= 1);
        REQUIRE(c.node_id <= 3);
        CHECK(c.port == broker.port(static_cast<std::size_t>(c.node_id - 1)));
        nodes.insert(c.node_id);
    }
    CHECK(nodes.size() == 3); // spread over every node

    // Older versions answer the same node for one key; v0 has no key type.
    find_coordinator_request single;
    single.key = "group-5";
    for (std::int16_t version : {0, 1, 3}) {
        auto one = client.call<find_coordinator_response>(single, version);
        CHECK(one.error_code == 0);
        CHECK(one.node_id == response.coordinators[5].node_id);
        CHECK(one.port == response.coordinators[5].port);
    }
    single.key_type = 1; // a transactional id
    CHECK(client.call<find_coordinator_response>(single, 3).error_code == 0);
    single.key_type = 7;
    auto bad = client.call<find_coordinator_response>(single, 3);
    CHECK(bad.error_code == code(kafka_errc::invalid_request));
    CHECK(bad.node_id == -1);

    // A node going down hands its groups to the nodes still up.
    const auto down = response.coordinators[5].node_id;
    const auto asker = down == 1 ? 2 : 1;
    broker_test_client survivor(broker.port(static_cast<std::size_t>(asker - 1)));
    broker.get().faults().set_node_up(down, false);
    auto moved = survivor.call<find_coordinator_response>(batch, 4);
    for (const auto& c : moved.coordinators) {
        CHECK(c.error_code == 0);
        CHECK(c.node_id != down);
    }
    broker.get().faults().set_node_up(down, true);
    auto back = survivor.call<find_coordinator_response>(batch, 4);
    CHECK(back.coordinators[5].node_id == down);
}

TEST_CASE("list, describe and delete groups with the states Kafka reports") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    ensure_topic(client, "orders");
    const std::vector<protocol_spec> protocols{{"range", subscription({"orders"})}};
    const auto stable_id = join_alone(client, "stable-g", protocols, "A1");
    simple_commit(client, "empty-g", "orders");
    broker_test_client other(broker.port());
    const auto pending_id = request_member_id(other, "completing-g", protocols);
    REQUIRE(exchange<join_group_response>(other, make_join("completing-g", pending_id, protocols), 9)->error_code == 0);

    CHECK(listed(client) == std::map<std::string, std::string>{
                                {"completing-g", "CompletingRebalance"}, {"empty-g", "Empty"}, {"stable-g", "Stable"}});
    CHECK(listed(client, {"stable"}) == std::map<std::string, std::string>{{"stable-g", "Stable"}});
    CHECK(listed(client, {"Empty", "COMPLETINGREBALANCE"}).size() == 2);
    CHECK(listed(client, {}, {"consumer"}).empty());
    CHECK(listed(client, {}, {"Classic"}).size() == 3);
    CHECK(listed(client, {}, {}, 0) == std::map<std::string, std::string>{
                                          {"completing-g", "consumer"}, {"empty-g", ""}, {"stable-g", "consumer"}});

    describe_groups_request request;
    request.groups = {"stable-g", "empty-g", "completing-g", "missing"};
    request.include_authorized_operations = true;
    auto described = exchange<describe_groups_response>(client, request, 5);
    REQUIRE(described->groups.size() == 4);
    const auto& stable = described->groups[0];
    CHECK(stable.error_code == 0);
    CHECK(stable.group_state == "Stable");
    CHECK(stable.protocol_type == "consumer");
    CHECK(stable.protocol_data == "range");
    CHECK(stable.authorized_operations == ((1 << 3) | (1 << 6) | (1 << 8))); // READ, DELETE, DESCRIBE
    REQUIRE(stable.members.size() == 1);
    CHECK(stable.members[0].member_id == stable_id);
    CHECK(stable.members[0].client_id == "kafkit-test");
    CHECK(text(stable.members[0].member_metadata) == text(protocols[0].metadata));
    CHECK(text(stable.members[0].member_assignment) == "A1");
    const auto& empty = described->groups[1];
    CHECK(empty.group_state == "Empty");
    CHECK(empty.protocol_type.empty());
    CHECK(empty.members.empty());
    const auto& completing = described->groups[2];
    CHECK(completing.group_state == "CompletingRebalance");
    CHECK(completing.protocol_data.empty()); // metadata only once Stable
    REQUIRE(completing.members.size() == 1);
    CHECK(completing.members[0].member_metadata.empty());
    const auto& missing = described->groups[3];
    CHECK(missing.error_code == 0);
    CHECK(missing.group_state == "Dead");
    CHECK(missing.members.empty());
    request.include_authorized_operations = false; // v0 cannot ask
    auto v0 = exchange<describe_groups_response>(client, request, 0);
    CHECK(v0->groups[0].authorized_operations == INT32_MIN);

    delete_groups_request del;
    del.groups_names = {"empty-g", "stable-g", "missing"};
    auto deleted = client.call<delete_groups_response>(del, 2);
    REQUIRE(deleted.results.size() == 3);
    CHECK(deleted.results[0].group_id == "empty-g");
    CHECK(deleted.results[0].error_code == 0);
    CHECK(deleted.results[1].error_code == code(kafka_errc::non_empty_group));
    CHECK(deleted.results[2].error_code == code(kafka_errc::group_id_not_found));
    CHECK(listed(client).count("empty-g") == 0);
    offset_fetch_request fetch;
    fetch.group_id = "empty-g";
    fetch.topics = std::nullopt;
    CHECK(client.call<offset_fetch_response>(fetch, 7).topics.empty());
}

TEST_CASE("list groups: each node lists the groups it coordinates") {
    kafkit::broker::broker_config config;
    config.brokers = 2;
    embedded_broker broker(config);
    broker_test_client n1(broker.port(0)), n2(broker.port(1));
    ensure_topic(n1, "orders");
    find_coordinator_request find;
    std::map<std::int32_t, std::set<std::string>> expected;
    for (int i = 0; i < 8; ++i) find.coordinator_keys.push_back("lg-" + std::to_string(i));
    auto found = n1.call<find_coordinator_response>(find, 4);
    for (const auto& c : found.coordinators) {
        auto& client = c.node_id == 1 ? n1 : n2;
        simple_commit(client, c.key, "orders");
        expected[c.node_id].insert(c.key);
    }
    std::set<std::string> on1, on2;
    for (const auto& [id, state] : listed(n1)) on1.insert(id);
    for (const auto& [id, state] : listed(n2)) on2.insert(id);
    CHECK(on1 == expected[1]);
    CHECK(on2 == expected[2]);
}

TEST_CASE("fault injection: ListGroups, DescribeGroups and DeleteGroups answer the injected error") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    ensure_topic(client, "orders");
    simple_commit(client, "victim", "orders");
    auto& faults = broker.get().faults();
    const kafkit::broker::injected_error loading{code(kafka_errc::coordinator_load_in_progress),
                                                 std::chrono::milliseconds(0)};

    faults.push_request_errors(-1, 16, {loading});
    auto list = client.call<list_groups_response>(list_groups_request{}, 5);
    CHECK(list.error_code == code(kafka_errc::coordinator_load_in_progress));
    CHECK(list.groups.empty());

    faults.push_request_errors(-1, 15, {loading});
    describe_groups_request describe_request;
    describe_request.groups = {"victim", "other"};
    auto described = client.call<describe_groups_response>(describe_request, 5);
    REQUIRE(described.groups.size() == 2);
    for (const auto& g : described.groups) CHECK(g.error_code == code(kafka_errc::coordinator_load_in_progress));
    CHECK(described.groups[1].group_id == "other");

    faults.push_request_errors(-1, 42, {loading});
    delete_groups_request del;
    del.groups_names = {"victim"};
    CHECK(client.call<delete_groups_response>(del, 2).results[0].error_code ==
          code(kafka_errc::coordinator_load_in_progress));
    CHECK(listed(client).count("victim") == 1); // nothing was deleted
}
