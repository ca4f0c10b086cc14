// AlterClientQuotas and DescribeClientQuotas against the embedded broker: set and remove
// per entity, validate_only, Kafka's validation of entities and keys, and describe with
// each match type and strict.

#include "admin_support.hpp"
#include "kafkit/protocol/messages/alter_client_quotas.hpp"
#include "kafkit/protocol/messages/describe_client_quotas.hpp"

#include <set>

using namespace kafkit;
using namespace kafkit::protocol;
using namespace kafkit::testing::admin;

namespace {

constexpr std::int8_t exact = 0, default_match = 1, specified = 2;

using entity_names = std::vector<std::pair<std::string, opt>>;

struct op {
    std::string key;
    double value;
    bool remove = false;
};

alter_client_quotas_request::entry_data entry(const entity_names& entity, std::vector<op> ops) {
    alter_client_quotas_request::entry_data e;
    for (const auto& [type, name] : entity) e.entity.push_back({type, name, {}});
    for (const auto& o : ops) e.ops.push_back({o.key, o.value, o.remove, {}});
    return e;
}

/// (error code, message) per answered entity.
std::vector<std::pair<std::int16_t, opt>> alter(broker_test_client& client, std::vector<alter_client_quotas_request::entry_data> entries,
                                                bool validate_only = false) {
    alter_client_quotas_request request;
    request.entries = std::move(entries);
    request.validate_only = validate_only;
    std::vector<std::pair<std::int16_t, opt>> out;
    for (const auto& r : client.call<alter_client_quotas_response>(request, 1).entries) out.emplace_back(r.error_code, r.error_message);
    return out;
}

/// The described entries as entity -> key -> value.
using described_map = std::map<entity_names, std::map<std::string, double>>;

describe_client_quotas_response describe_raw(broker_test_client& client,
                                             std::vector<std::tuple<std::string, std::int8_t, opt>> components, bool strict = false) {
    describe_client_quotas_request request;
    for (const auto& [type, match_type, match] : components) request.components.push_back({type, match_type, match, {}});
    request.strict = strict;
    return client.call<describe_client_quotas_response>(request, 1);
}

described_map describe(broker_test_client& client, std::vector<std::tuple<std::string, std::int8_t, opt>> components,
                       bool strict = false) {
    auto response = describe_raw(client, std::move(components), strict);
    REQUIRE(response.error_code == 0);
    REQUIRE(response.entries);
    described_map out;
    for (const auto& e : *response.entries) {
        entity_names entity;
        for (const auto& n : e.entity) entity.emplace_back(n.entity_type, n.entity_name);
        for (const auto& v : e.values) out[entity][v.key] = v.value;
    }
    return out;
}

const entity_names alice = {{"user", "alice"}};
const entity_names default_user = {{"user", std::nullopt}};
const entity_names alice_app = {{"client-id", "app"}, {"user", "alice"}};
const entity_names app = {{"client-id", "app"}};
const entity_names local_ip = {{"ip", "127.0.0.1"}};

void create_fixture(broker_test_client& client) {
    REQUIRE(alter(client, {entry(alice, {{"producer_byte_rate", 1024}, {"request_percentage", 12.5}}),
                           entry(default_user, {{"consumer_byte_rate", 2048}}),
                           entry({{"user", "alice"}, {"client-id", "app"}}, {{"controller_mutation_rate", 3}}),
                           entry(app, {{"producer_byte_rate", 10}}), entry(local_ip, {{"connection_creation_rate", 50}})}) ==
            std::vector<std::pair<std::int16_t, opt>>(5, {0, std::nullopt}));
}

} // namespace

TEST_CASE("client quotas: set values are described per entity; remove drops keys and emptied entities") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_fixture(client);
    auto all = describe(client, {});
    CHECK(all == described_map{{alice, {{"producer_byte_rate", 1024}, {"request_percentage", 12.5}}},
                               {default_user, {{"consumer_byte_rate", 2048}}},
                               {alice_app, {{"controller_mutation_rate", 3}}},
                               {app, {{"producer_byte_rate", 10}}},
                               {local_ip, {{"connection_creation_rate", 50}}}});
    auto raw = describe_raw(client, {{"user", default_match, std::nullopt}});
    REQUIRE(raw.entries->size() == 1);
    CHECK(raw.entries->at(0).entity.at(0).entity_name == std::nullopt); // the default entity has a null name

    CHECK(alter(client, {entry(alice, {{"request_percentage", 0, true}, {"producer_byte_rate", 2000}}),
                         entry(app, {{"producer_byte_rate", 0, true}})}) ==
          std::vector<std::pair<std::int16_t, opt>>(2, {0, std::nullopt}));
    auto after = describe(client, {});
    CHECK(after.at(alice) == std::map<std::string, double>{{"producer_byte_rate", 2000}});
    CHECK_FALSE(after.contains(app));
    CHECK(after.size() == 4);
}

TEST_CASE("client quotas: describe by EXACT, DEFAULT and SPECIFIED components, strict or not") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_fixture(client);
    auto entities = [](const described_map& m) {
        std::set<entity_names> out;
        for (const auto& [e, v] : m) out.insert(e);
        return out;
    };
    CHECK(entities(describe(client, {{"user", exact, "alice"}})) == std::set<entity_names>{alice, alice_app});
    CHECK(entities(describe(client, {{"user", exact, "alice"}}, true)) == std::set<entity_names>{alice});
    CHECK(entities(describe(client, {{"user", default_match, std::nullopt}})) == std::set<entity_names>{default_user});
    // SPECIFIED matches any name of the type, the default entity included (ClientQuotasImage).
    CHECK(entities(describe(client, {{"user", specified, std::nullopt}}, true)) == std::set<entity_names>{alice, default_user});
    CHECK(entities(describe(client, {{"user", specified, std::nullopt}, {"client-id", exact, "app"}})) ==
          std::set<entity_names>{alice_app});
    CHECK(entities(describe(client, {{"client-id", specified, std::nullopt}})) == std::set<entity_names>{alice_app, app});
    CHECK(entities(describe(client, {{"ip", specified, std::nullopt}})) == std::set<entity_names>{local_ip});
    CHECK(describe(client, {{"user", exact, "nobody"}}).empty());
}

TEST_CASE("client quotas: invalid describe filters answer an error and no entries") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    const auto invalid = code(kafka_errc::invalid_request);
    const std::vector<std::tuple<std::vector<std::tuple<std::string, std::int8_t, opt>>, std::int16_t, std::string>> cases = {
        {{{"", exact, "x"}}, invalid, "Invalid empty entity type."},
        {{{"user", exact, "a"}, {"user", specified, std::nullopt}}, invalid, "Entity type user cannot appear more than once in the filter."},
        {{{"group", exact, "a"}}, code(kafka_errc::unsupported_version), "Unsupported entity type group"},
        {{{"user", exact, std::nullopt}}, invalid, "Request specified MATCH_TYPE_EXACT, but set match string to null."},
        {{{"user", default_match, "a"}}, invalid, "Request specified MATCH_TYPE_DEFAULT, but also specified a match string."},
        {{{"user", specified, "a"}}, invalid, "Request specified MATCH_TYPE_SPECIFIED, but also specified a match string."},
        {{{"user", 7, std::nullopt}}, invalid, "Unknown match type 7"},
        {{{"ip", specified, std::nullopt}, {"user", exact, "a"}}, invalid,
         "Invalid entity filter component combination. IP filter component should not be used with user or clientId filter component."}};
    for (const auto& [components, error, message] : cases) {
        INFO(message);
        auto response = describe_raw(client, components);
        CHECK(response.error_code == error);
        CHECK(response.error_message == opt(message));
        CHECK(response.entries == std::nullopt);
    }
}

TEST_CASE("client quotas: invalid alterations get Kafka's codes and messages, validate_only stores nothing") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    const auto invalid = code(kafka_errc::invalid_request);
    auto results = alter(client, {entry(alice, {{"connection_creation_rate", 5}}), entry({{"ip", "not-an-ip"}}, {{"connection_creation_rate", 5}}),
                                  entry({{"ip", "10.0.0.1"}, {"user", "bob"}}, {{"producer_byte_rate", 5}}), entry({}, {{"producer_byte_rate", 5}}),
                                  entry({{"group", "g"}}, {{"producer_byte_rate", 5}}), entry({{"user", ""}}, {{"producer_byte_rate", 5}}),
                                  entry({{"user", "carol"}}, {{"producer_byte_rate", 1.5}}), entry({{"user", "dave"}}, {{"request_percentage", -1}}),
                                  entry({{"ip", "::1"}}, {{"connection_creation_rate", 3e9}}),
                                  entry({{"user", "erin"}}, {{"producer_byte_rate", 1}, {"producer_byte_rate", 2}})});
    CHECK(results == std::vector<std::pair<std::int16_t, opt>>{
                         {invalid, opt("Invalid configuration key connection_creation_rate")},
                         {invalid, opt("not-an-ip is not a valid IP or resolvable host.")},
                         {invalid, opt("Invalid quota entity combination, IP entity should not be combined with User or ClientId")},
                         {invalid, opt("Invalid empty client quota entity")},
                         {code(kafka_errc::unsupported_version), opt("Unhandled client quota entity type: group")},
                         {invalid, opt("Empty user not supported")},
                         {invalid, opt("producer_byte_rate cannot be a fractional value.")},
                         {invalid, opt("Quota request_percentage must be greater than 0")},
                         {invalid, opt("Proposed value for connection_creation_rate is too large for an INT.")},
                         {invalid, opt("Ignoring duplicate entity ClientQuotaEntity(entries={user=erin})")}});
    CHECK(describe(client, {}).empty());

    CHECK(alter(client, {entry(alice, {{"producer_byte_rate", 100}})}, true) == std::vector<std::pair<std::int16_t, opt>>{{0, std::nullopt}});
    CHECK(describe(client, {}).empty());
}

TEST_CASE("client quotas: an entity given twice gets one answer, the repeated-entity error") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    CHECK(alter(client, {entry(alice, {{"producer_byte_rate", 100}}), entry(app, {{"producer_byte_rate", 7}}),
                         entry(alice, {{"producer_byte_rate", 200}})}) ==
          std::vector<std::pair<std::int16_t, opt>>{{code(kafka_errc::invalid_request),
                                                     opt("Ignoring duplicate entity ClientQuotaEntity(entries={user=alice})")},
                                                    {0, std::nullopt}});
    // The first alteration of the repeated entity was applied, as Kafka's controller does.
    CHECK(describe(client, {{"user", exact, "alice"}}).at(alice) == std::map<std::string, double>{{"producer_byte_rate", 100}});
}

TEST_CASE("client quotas: survive a restart on the same data dir") {
    across_restart(
        [](broker_test_client& client) {
            create_fixture(client);
        },
        [](broker_test_client& client) {
            auto all = describe(client, {});
            CHECK(all.size() == 5);
            CHECK(all.at(default_user) == std::map<std::string, double>{{"consumer_byte_rate", 2048}});
            CHECK(all.at(alice).at("request_percentage") == 12.5);
        });
}
