// Feature flags: ApiVersions v3+ lists the supported features and finalized levels;
// UpdateFeatures changes the levels all together or not at all, as the KRaft controller
// does; UnregisterBroker knows the cluster's nodes.

#include "admin_support.hpp"
#include "kafkit/protocol/messages/api_versions.hpp"
#include "kafkit/protocol/messages/unregister_broker.hpp"
#include "kafkit/protocol/messages/update_features.hpp"

using namespace kafkit;
using namespace kafkit::protocol;
using namespace kafkit::testing::admin;

namespace {

api_versions_response api_versions(broker_test_client& client, std::int16_t version) {
    api_versions_request request;
    request.client_software_name = "kafkit-test";
    request.client_software_version = "1.0";
    return client.call<api_versions_response>(request, version);
}

/// name -> (min, max) of the supported features; name -> level of the finalized ones.
std::map<std::string, std::pair<std::int16_t, std::int16_t>> supported(const api_versions_response& r) {
    std::map<std::string, std::pair<std::int16_t, std::int16_t>> out;
    for (const auto& f : r.supported_features) out[f.name] = {f.min_version, f.max_version};
    return out;
}
std::map<std::string, std::int16_t> finalized(const api_versions_response& r) {
    std::map<std::string, std::int16_t> out;
    for (const auto& f : r.finalized_features) {
        CHECK(f.min_version_level == f.max_version_level);
        out[f.name] = f.max_version_level;
    }
    return out;
}

struct feature_change {
    std::string name;
    std::int16_t level;
    std::int8_t upgrade_type = 1;
};

update_features_response update(broker_test_client& client, std::vector<feature_change> changes, std::int16_t version,
                                bool validate_only = false) {
    update_features_request request;
    request.validate_only = validate_only;
    for (const auto& c : changes) {
        auto& f = request.feature_updates.emplace_back();
        f.feature = c.name;
        f.max_version_level = c.level;
        // v0 has only AllowDowngrade, v1+ only UpgradeType.
        if (version == 0) f.allow_downgrade = c.upgrade_type != 1;
        else f.upgrade_type = c.upgrade_type;
    }
    return client.call<update_features_response>(request, version);
}

} // namespace

TEST_CASE("api versions: features from v3; those with a minimum level of 0 only from v4") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    CHECK(api_versions(client, 2).supported_features.empty());

    const auto v3 = api_versions(client, 3);
    CHECK(supported(v3) == std::map<std::string, std::pair<std::int16_t, std::int16_t>>{{"metadata.version", {1, 21}}});
    CHECK(finalized(v3) == std::map<std::string, std::int16_t>{{"metadata.version", 21}});

    const auto v4 = api_versions(client, 4);
    CHECK(supported(v4) == std::map<std::string, std::pair<std::int16_t, std::int16_t>>{
                               {"group.version", {0, 1}}, {"kraft.version", {0, 1}}, {"metadata.version", {1, 21}}});
    CHECK(finalized(v4) == std::map<std::string, std::int16_t>{{"group.version", 1}, {"metadata.version", 21}});
    CHECK(v4.finalized_features_epoch > 0);
}

TEST_CASE("update features: upgrades and downgrades by type, all or nothing, validate only, across a restart") {
    across_restart(
        [](broker_test_client& client) {
            const auto epoch = api_versions(client, 4).finalized_features_epoch;
            // Validate only changes nothing.
            auto r = update(client, {{"kraft.version", 1}}, 1, true);
            CHECK(r.error_code == 0);
            REQUIRE(r.results.size() == 1);
            CHECK(r.results[0].feature == "kraft.version");
            CHECK(r.results[0].error_code == 0);
            CHECK(finalized(api_versions(client, 4)).count("kraft.version") == 0);

            // One bad feature fails the request: the good one is not applied either.
            r = update(client, {{"kraft.version", 1}, {"no.such.feature", 1}}, 1);
            CHECK(r.error_code == code(kafka_errc::invalid_update_version));
            REQUIRE(r.results.size() == 2);
            for (const auto& result : r.results) CHECK(result.error_code == code(kafka_errc::invalid_update_version));
            CHECK(finalized(api_versions(client, 4)).count("kraft.version") == 0);

            CHECK(update(client, {{"kraft.version", 2}}, 2).error_code == code(kafka_errc::invalid_update_version));
            CHECK(update(client, {{"metadata.version", 20, 2}}, 2).error_code ==
                  code(kafka_errc::invalid_update_version));
            CHECK(update(client, {{"metadata.version", 0, 3}}, 2).error_code ==
                  code(kafka_errc::invalid_update_version));
            CHECK(update(client, {{"kraft.version", 1}, {"kraft.version", 1}}, 2).error_code ==
                  code(kafka_errc::invalid_request));

            // v2: no per-feature results.
            r = update(client, {{"kraft.version", 1}}, 2);
            CHECK(r.error_code == 0);
            CHECK(r.results.empty());
            // A downgrade needs a downgrade type (v0: AllowDowngrade).
            r = update(client, {{"group.version", 0}}, 0);
            CHECK(r.error_code == code(kafka_errc::invalid_update_version));
            REQUIRE(r.results.size() == 1);
            CHECK(r.results[0].error_message.value_or("").find("downgrade") != std::string::npos);
            CHECK(update(client, {{"group.version", 0, 2}}, 0).error_code == 0);

            const auto after = api_versions(client, 4);
            CHECK(finalized(after) == std::map<std::string, std::int16_t>{{"kraft.version", 1}, {"metadata.version", 21}});
            CHECK(after.finalized_features_epoch > epoch);
        },
        [](broker_test_client& client) {
            CHECK(finalized(api_versions(client, 4)) ==
                  std::map<std::string, std::int16_t>{{"kraft.version", 1}, {"metadata.version", 21}});
        });
}

TEST_CASE("unregister broker: a node of the cluster is accepted, another id is BROKER_ID_NOT_REGISTERED") {
    broker::broker_config config;
    config.brokers = 3;
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    unregister_broker_request request;
    request.broker_id = 2;
    auto response = client.call<unregister_broker_response>(request, 0);
    CHECK(response.error_code == 0);
    CHECK_FALSE(response.error_message.has_value());
    request.broker_id = 4;
    response = client.call<unregister_broker_response>(request, 0);
    CHECK(response.error_code == code(kafka_errc::broker_id_not_registered));
    CHECK(response.error_message == opt("Broker ID 4 is not currently registered"));
}
