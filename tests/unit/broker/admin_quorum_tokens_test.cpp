// DescribeQuorum, ListClientMetricsResources, ListTransactions, DescribeTransactions and the
// delegation token APIs against an embedded three-node cluster: the exact answers a broker
// without a metadata log, client metrics, a transaction coordinator or SASL gives.

#include "admin_support.hpp"
#include "kafkit/protocol/messages/create_delegation_token.hpp"
#include "kafkit/protocol/messages/describe_delegation_token.hpp"
#include "kafkit/protocol/messages/describe_quorum.hpp"
#include "kafkit/protocol/messages/describe_transactions.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"
#include "kafkit/protocol/messages/list_client_metrics_resources.hpp"
#include "kafkit/protocol/messages/list_transactions.hpp"
#include "kafkit/protocol/messages/renew_delegation_token.hpp"

using namespace kafkit;
using namespace kafkit::protocol;
using namespace kafkit::testing::admin;

namespace {

broker::broker_config three_nodes() {
    broker::broker_config config;
    config.brokers = 3;
    return config;
}

} // namespace

TEST_CASE("describe quorum: one voter, the controller; the other brokers observe; another partition is unknown") {
    embedded_broker broker(three_nodes());
    broker_test_client client(broker.port());
    describe_quorum_request request;
    auto& t = request.topics.emplace_back();
    t.topic_name = "__cluster_metadata";
    t.partitions.emplace_back().partition_index = 0;
    t.partitions.emplace_back().partition_index = 1;
    for (std::int16_t version : {0, 2}) {
        CAPTURE(version);
        const auto response = client.call<describe_quorum_response>(request, version);
        CHECK(response.error_code == 0);
        REQUIRE(response.topics.size() == 1);
        REQUIRE(response.topics[0].partitions.size() == 2);
        const auto& p = response.topics[0].partitions[0];
        CHECK(p.error_code == 0);
        CHECK(p.leader_id == 1); // the controller: the first node up
        REQUIRE(p.current_voters.size() == 1);
        CHECK(p.current_voters[0].replica_id == 1);
        REQUIRE(p.observers.size() == 2);
        CHECK(p.observers[0].replica_id == 2);
        CHECK(p.observers[1].replica_id == 3);
        CHECK(response.topics[0].partitions[1].error_code == code(kafka_errc::unknown_topic_or_partition));
        if (version >= 2) {
            REQUIRE(response.nodes.size() == 1);
            CHECK(response.nodes[0].node_id == 1);
            REQUIRE(response.nodes[0].listeners.size() == 1);
            CHECK(response.nodes[0].listeners[0].port == broker.port());
        }
    }
}

TEST_CASE("client metrics and transactions: none listed; unknown state filters echoed; ids not found on their "
          "coordinator, NOT_COORDINATOR elsewhere") {
    embedded_broker broker(three_nodes());
    broker_test_client client(broker.port());
    const auto metrics = client.call<list_client_metrics_resources_response>(list_client_metrics_resources_request{}, 0);
    CHECK(metrics.error_code == 0);
    CHECK(metrics.client_metrics_resources.empty());

    list_transactions_request list;
    list.state_filters = {"Ongoing", "Sleeping"};
    const auto listed = client.call<list_transactions_response>(list, 1);
    CHECK(listed.error_code == 0);
    CHECK(listed.transaction_states.empty());
    CHECK(listed.unknown_state_filters == std::vector<std::string>{"Sleeping"});

    find_coordinator_request find;
    find.key_type = 1;
    find.coordinator_keys = {"payments"};
    const auto coordinator = client.call<find_coordinator_response>(find, 4).coordinators.at(0).node_id;
    describe_transactions_request describe;
    describe.transactional_ids = {"payments"};
    const auto here = client.call<describe_transactions_response>(describe, 0);
    REQUIRE(here.transaction_states.size() == 1);
    // The client is connected to node 1.
    CHECK(here.transaction_states[0].error_code ==
          code(coordinator == 1 ? kafka_errc::transactional_id_not_found : kafka_errc::not_coordinator));
}

TEST_CASE("delegation tokens: refused with DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, as without SASL") {
    embedded_broker broker(three_nodes());
    broker_test_client client(broker.port());
    const auto not_allowed = code(kafka_errc::delegation_token_request_not_allowed);
    const auto created = client.call<create_delegation_token_response>(create_delegation_token_request{}, 3);
    CHECK(created.error_code == not_allowed);
    CHECK(created.principal_name == "ANONYMOUS");
    CHECK(created.token_id.empty());
    const auto renewed = client.call<renew_delegation_token_response>(renew_delegation_token_request{}, 2);
    CHECK(renewed.error_code == not_allowed);
    CHECK(renewed.expiry_timestamp_ms == -1);
    const auto described = client.call<describe_delegation_token_response>(describe_delegation_token_request{}, 3);
    CHECK(described.error_code == not_allowed);
    CHECK(described.tokens.empty());
}
