// CreateAcls, DescribeAcls and DeleteAcls against the embedded broker: validation with
// Kafka's codes and messages, the filter semantics of each pattern type, deletion by
// filter, and bindings surviving a restart on the same data dir.

#include "admin_support.hpp"
#include "kafkit/protocol/messages/create_acls.hpp"
#include "kafkit/protocol/messages/delete_acls.hpp"
#include "kafkit/protocol/messages/describe_acls.hpp"

#include <tuple>

using namespace kafkit;
using namespace kafkit::protocol;
using namespace kafkit::testing::admin;

namespace {

constexpr std::int8_t any = 1, match = 2, literal = 3, prefixed = 4;
constexpr std::int8_t topic_type = 2, group_type = 3, cluster_type = 4;
constexpr std::int8_t op_all = 2, op_read = 3, op_write = 4;
constexpr std::int8_t deny = 2, allow = 3;

create_acls_request::acl_creation acl(std::int8_t type, std::string name, std::int8_t pattern, std::string principal,
                                      std::int8_t op = op_read, std::int8_t permission = allow, std::string host = "*") {
    return {type, std::move(name), pattern, std::move(principal), std::move(host), op, permission, {}};
}

create_acls_response create(broker_test_client& client, std::vector<create_acls_request::acl_creation> creations,
                            std::int16_t version = 3) {
    create_acls_request request;
    request.creations = std::move(creations);
    return client.call<create_acls_response>(request, version);
}

/// A filter with everything ANY / null except what the test sets.
describe_acls_request filter(std::int8_t type = any, std::optional<std::string> name = std::nullopt,
                             std::int8_t pattern = any, std::optional<std::string> principal = std::nullopt) {
    describe_acls_request f;
    f.resource_type_filter = type;
    f.resource_name_filter = std::move(name);
    f.pattern_type_filter = pattern;
    f.principal_filter = std::move(principal);
    f.host_filter = std::nullopt;
    f.operation = any;
    f.permission_type = any;
    return f;
}

using flat_acl = std::tuple<std::int8_t, std::string, std::int8_t, std::string, std::int8_t, std::int8_t>;

/// DescribeAcls' answer flattened to (type, name, pattern, principal, operation, permission).
std::vector<flat_acl> described(broker_test_client& client, const describe_acls_request& f, std::int16_t version = 3) {
    auto response = client.call<describe_acls_response>(f, version);
    REQUIRE(response.error_code == 0);
    std::vector<flat_acl> out;
    for (const auto& r : response.resources)
        for (const auto& a : r.acls)
            out.emplace_back(r.resource_type, r.resource_name, r.pattern_type, a.principal, a.operation, a.permission_type);
    return out;
}

delete_acls_request::delete_acls_filter as_delete(const describe_acls_request& f) {
    return {f.resource_type_filter, f.resource_name_filter, f.pattern_type_filter, f.principal_filter, f.host_filter,
            f.operation, f.permission_type, {}};
}

/// Creates the bindings the filter tests match against.
void create_fixture(broker_test_client& client) {
    auto response = create(client, {acl(topic_type, "orders", literal, "User:alice"),
                                    acl(topic_type, "*", literal, "User:bob", op_write),
                                    acl(topic_type, "ord", prefixed, "User:carol", op_all, deny),
                                    acl(topic_type, "payments", literal, "User:alice"),
                                    acl(group_type, "orders", literal, "User:alice")});
    REQUIRE(response.results.size() == 5);
    for (const auto& r : response.results) {
        CHECK(r.error_code == 0);
        CHECK(r.error_message == std::optional<std::string>(""));
    }
}

} // namespace

TEST_CASE("acls: created bindings are described grouped by resource, a duplicate is a no-op success") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_fixture(client);
    auto again = create(client, {acl(topic_type, "orders", literal, "User:alice")});
    CHECK(again.results.at(0).error_code == 0);

    auto response = client.call<describe_acls_response>(filter(), 3);
    CHECK(response.error_code == 0);
    CHECK(response.error_message == std::optional<std::string>(""));
    REQUIRE(response.resources.size() == 5);
    CHECK(response.resources[0].resource_type == topic_type);
    CHECK(response.resources[0].resource_name == "*");
    CHECK(response.resources[0].pattern_type == literal);
    REQUIRE(response.resources[0].acls.size() == 1);
    CHECK(response.resources[0].acls[0].principal == "User:bob");
    CHECK(response.resources[0].acls[0].host == "*");
    CHECK(response.resources[0].acls[0].operation == op_write);
    CHECK(response.resources[0].acls[0].permission_type == allow);
    CHECK(response.resources[4].resource_type == group_type);
    CHECK(described(client, filter()).size() == 5);
}

TEST_CASE("acls: creations Kafka refuses answer INVALID_REQUEST with its message, the others succeed") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    auto response = create(client, {acl(any, "x", literal, "User:a"), acl(0, "x", literal, "User:a"),
                                    acl(topic_type, "x", match, "User:a"), acl(topic_type, "x", any, "User:a"),
                                    acl(topic_type, "x", literal, "User:a", any), acl(topic_type, "x", literal, "User:a", op_read, any),
                                    acl(topic_type, "x", literal, "alice"), acl(cluster_type, "other", literal, "User:a"),
                                    acl(topic_type, "", literal, "User:a"), acl(cluster_type, "kafka-cluster", literal, "User:a")});
    REQUIRE(response.results.size() == 10);
    const std::vector<std::string> messages = {
        "Invalid resourceType ANY", "Invalid resourceType UNKNOWN", "Invalid patternType MATCH", "Invalid patternType ANY",
        "Invalid operation ANY", "Invalid permissionType ANY",
        "Could not parse principal from `alice` (no colon is present separating the principal type from the principal name)",
        "The only valid name for the CLUSTER resource is kafka-cluster", "Invalid empty resource name"};
    for (std::size_t i = 0; i < messages.size(); ++i) {
        INFO("creation " << i);
        CHECK(response.results[i].error_code == code(kafka_errc::invalid_request));
        CHECK(response.results[i].error_message == std::optional<std::string>(messages[i]));
    }
    CHECK(response.results[9].error_code == 0);
    CHECK(described(client, filter()) == std::vector<flat_acl>{{cluster_type, "kafka-cluster", literal, "User:a", op_read, allow}});
}

TEST_CASE("acls: MATCH finds literal, wildcard and prefixed bindings; LITERAL and ANY only the exact name") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_fixture(client);
    CHECK(described(client, filter(topic_type, "orders", match)) ==
          std::vector<flat_acl>{{topic_type, "*", literal, "User:bob", op_write, allow},
                                {topic_type, "ord", prefixed, "User:carol", op_all, deny},
                                {topic_type, "orders", literal, "User:alice", op_read, allow}});
    CHECK(described(client, filter(topic_type, "orders", literal)) ==
          std::vector<flat_acl>{{topic_type, "orders", literal, "User:alice", op_read, allow}});
    CHECK(described(client, filter(any, "orders", any)) ==
          std::vector<flat_acl>{{topic_type, "orders", literal, "User:alice", op_read, allow},
                                {group_type, "orders", literal, "User:alice", op_read, allow}});
    CHECK(described(client, filter(topic_type, std::nullopt, prefixed)) ==
          std::vector<flat_acl>{{topic_type, "ord", prefixed, "User:carol", op_all, deny}});
    CHECK(described(client, filter(topic_type, "*", literal)).size() == 1);
    CHECK(described(client, filter(any, std::nullopt, any, "User:alice")).size() == 3);
    auto by_op = filter();
    by_op.operation = op_write;
    CHECK(described(client, by_op) == std::vector<flat_acl>{{topic_type, "*", literal, "User:bob", op_write, allow}});
    auto by_permission = filter();
    by_permission.permission_type = deny;
    CHECK(described(client, by_permission).size() == 1);
    auto by_host = filter();
    by_host.host_filter = "10.0.0.1";
    CHECK(described(client, by_host).empty());
    // v0 has no pattern type: it matches literal bindings only.
    CHECK(described(client, filter(topic_type, "orders", literal), 0).size() == 1);
}

TEST_CASE("acls: a filter with an UNKNOWN element is INVALID_REQUEST") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    auto response = client.call<describe_acls_response>(filter(0), 3);
    CHECK(response.error_code == code(kafka_errc::invalid_request));
    CHECK(response.error_message == std::optional<std::string>("Unknown patternFilter."));
    auto bad_op = filter();
    bad_op.operation = 0;
    CHECK(client.call<describe_acls_response>(bad_op, 3).error_message == std::optional<std::string>("Unknown entryFilter."));
}

TEST_CASE("acls: delete returns the bindings each filter removed, a binding under the first filter only") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_fixture(client);
    delete_acls_request request;
    request.filters = {as_delete(filter(topic_type, "orders", match)), as_delete(filter(any, std::nullopt, any, "User:alice")),
                       as_delete(filter(0)), as_delete(filter(group_type, "none"))};
    auto response = client.call<delete_acls_response>(request, 3);
    REQUIRE(response.filter_results.size() == 4);
    const auto& first = response.filter_results[0];
    CHECK(first.error_code == 0);
    CHECK(first.error_message == std::nullopt);
    REQUIRE(first.matching_acls.size() == 3);
    CHECK(first.matching_acls[0].resource_name == "*");
    CHECK(first.matching_acls[0].principal == "User:bob");
    CHECK(first.matching_acls[1].resource_name == "ord");
    CHECK(first.matching_acls[1].pattern_type == prefixed);
    CHECK(first.matching_acls[1].permission_type == deny);
    CHECK(first.matching_acls[2].resource_name == "orders");
    CHECK(first.matching_acls[2].error_code == 0);
    // alice's topic "orders" binding went with the first filter.
    REQUIRE(response.filter_results[1].matching_acls.size() == 2);
    CHECK(response.filter_results[1].matching_acls[0].resource_name == "payments");
    CHECK(response.filter_results[1].matching_acls[1].resource_type == group_type);
    CHECK(response.filter_results[2].error_code == code(kafka_errc::invalid_request));
    CHECK(response.filter_results[2].error_message == std::optional<std::string>("Unknown patternFilter."));
    CHECK(response.filter_results[3].error_code == 0);
    CHECK(response.filter_results[3].matching_acls.empty());
    CHECK(described(client, filter()).empty());
}

TEST_CASE("acls: bindings survive a restart on the same data dir") {
    across_restart(
        [](broker_test_client& client) {
            create_fixture(client);
            delete_acls_request request;
            request.filters = {as_delete(filter(group_type))};
            REQUIRE(client.call<delete_acls_response>(request, 3).filter_results.at(0).matching_acls.size() == 1);
        },
        [](broker_test_client& client) {
            const auto acls = described(client, filter());
            REQUIRE(acls.size() == 4);
            CHECK(acls[0] == flat_acl{topic_type, "*", literal, "User:bob", op_write, allow});
            CHECK(acls[3] == flat_acl{topic_type, "payments", literal, "User:alice", op_read, allow});
        });
}

TEST_CASE("acls: an injected error answers every creation and the describe, and nothing is stored") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    const auto denied = code(kafka_errc::cluster_authorization_failed);
    broker.get().faults().push_request_errors(-1, 30, {broker::injected_error{denied}});
    broker.get().faults().push_request_errors(-1, 29, {broker::injected_error{denied}});
    auto created = create(client, {acl(topic_type, "a", literal, "User:a"), acl(topic_type, "b", literal, "User:a")});
    REQUIRE(created.results.size() == 2);
    CHECK(created.results[0].error_code == denied);
    CHECK(created.results[1].error_code == denied);
    CHECK(client.call<describe_acls_response>(filter(), 3).error_code == denied);
    CHECK(described(client, filter()).empty());
}
