// DescribeConfigs, AlterConfigs and IncrementalAlterConfigs against the embedded broker:
// sources and synonyms as Kafka reports them, topic overrides replaced or changed one
// operation at a time, dynamic broker configs, and persistence across a restart.

#include "admin_support.hpp"
#include "kafkit/protocol/messages/alter_configs.hpp"

#include <filesystem>
#include <random>

using namespace kafkit;
using namespace kafkit::protocol;
using namespace kafkit::testing::admin;

namespace {

using synonym_list = std::vector<std::tuple<std::string, std::optional<std::string>, std::int8_t>>;

std::pair<std::int16_t, opt> legacy_alter(broker_test_client& client, std::int8_t type, const std::string& name,
                                          std::map<std::string, std::string> configs, bool validate_only = false) {
    alter_configs_request request;
    alter_configs_request::alter_configs_resource r;
    r.resource_type = type;
    r.resource_name = name;
    for (const auto& [k, v] : configs) {
        alter_configs_request::alterable_config c;
        c.name = k;
        c.value = v;
        r.configs.push_back(c);
    }
    request.resources.push_back(r);
    request.validate_only = validate_only;
    auto response = client.call<alter_configs_response>(request, 2);
    REQUIRE(response.responses.size() == 1);
    return {response.responses[0].error_code, response.responses[0].error_message};
}

} // namespace

TEST_CASE("describe configs: a created topic's overrides, static broker values and defaults with synonyms") {
    broker::broker_config config;
    config.log_segment_bytes = 2097152;
    config.log_retention_ms = 3600000;
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    create_topic(client, "described", 1, {{"cleanup.policy", "compact"}, {"max.message.bytes", "2000"}});

    auto result = describe(client, topic_resource, "described");
    CHECK(result.error_code == 0);
    CHECK(result.error_message == std::nullopt);
    CHECK(result.configs.size() == 36);

    const auto& policy = entry(result, "cleanup.policy");
    CHECK(policy.value == opt("compact"));
    CHECK(policy.config_source == from_topic);
    CHECK(policy.config_type == 7); // LIST
    CHECK_FALSE(policy.read_only);
    CHECK_FALSE(policy.is_sensitive);
    CHECK(synonyms(policy) == synonym_list{{"cleanup.policy", "compact", from_topic},
                                           {"log.cleanup.policy", "delete", from_default}});

    const auto& max_bytes = entry(result, "max.message.bytes");
    CHECK(synonyms(max_bytes) == synonym_list{{"max.message.bytes", "2000", from_topic},
                                              {"message.max.bytes", "1048588", from_default}});

    const auto& segment = entry(result, "segment.bytes");
    CHECK(segment.value == opt("2097152"));
    CHECK(segment.config_source == from_static);
    CHECK(synonyms(segment) == synonym_list{{"log.segment.bytes", "2097152", from_static},
                                            {"log.segment.bytes", "1073741824", from_default}});

    const auto& retention = entry(result, "retention.ms");
    CHECK(retention.value == opt("3600000"));
    CHECK(retention.config_source == from_static);
    CHECK(retention.config_type == 5); // LONG
    CHECK(synonyms(retention) == synonym_list{{"log.retention.ms", "3600000", from_static},
                                              {"log.retention.hours", "168", from_default}});

    const auto& throttled = entry(result, "leader.replication.throttled.replicas");
    CHECK(throttled.value == opt(""));
    CHECK(throttled.config_source == from_default);
    CHECK(throttled.synonyms.empty());
}

TEST_CASE("describe configs: keys filter, documentation (v3+), v0 is_default, unknown and invalid topics") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "filtered", 1, {{"retention.ms", "1000"}});

    auto two = describe(client, topic_resource, "filtered", std::vector<std::string>{"retention.ms", "segment.ms"}, 4, false, true);
    REQUIRE(two.configs.size() == 2);
    CHECK(two.configs[0].name == "retention.ms");
    CHECK(two.configs[0].synonyms.empty()); // not asked for
    CHECK(two.configs[1].name == "segment.ms");
    CHECK(two.configs[1].value == opt("604800000"));
    REQUIRE(two.configs[0].documentation);
    CHECK_FALSE(two.configs[0].documentation->empty());

    auto v0 = describe(client, topic_resource, "filtered", std::vector<std::string>{"retention.ms", "segment.ms"}, 0, false);
    REQUIRE(v0.configs.size() == 2);
    CHECK_FALSE(v0.configs[0].is_default);
    CHECK(v0.configs[1].is_default);

    for (std::int16_t version = 1; version <= 4; ++version) {
        auto r = describe(client, topic_resource, "filtered", std::vector<std::string>{"retention.ms"}, version);
        REQUIRE(r.configs.size() == 1);
        CHECK(r.configs[0].config_source == from_topic);
        CHECK(synonyms(r.configs[0]) == synonym_list{{"retention.ms", "1000", from_topic}});
        CHECK(r.configs[0].config_type == (version >= 3 ? 5 : 0));
    }

    auto missing = describe(client, topic_resource, "missing");
    CHECK(missing.error_code == code(kafka_errc::unknown_topic_or_partition));
    CHECK(missing.configs.empty());
    CHECK(missing.resource_name == "missing");
    auto invalid = describe(client, topic_resource, "bad/name");
    CHECK(invalid.error_code == code(kafka_errc::invalid_topic_exception));
}

TEST_CASE("describe configs: a broker's configs with read-only flags and sensitivity") {
    broker::broker_config config;
    config.brokers = 2;
    config.num_partitions = 3;
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    for (const std::string id : {"1", "2"}) {
        auto result = describe(client, broker_resource, id);
        REQUIRE(result.error_code == 0);
        CHECK(entry(result, "node.id").value == opt(id));
        CHECK(entry(result, "node.id").config_source == from_static);
        CHECK(entry(result, "node.id").read_only);
        CHECK(entry(result, "num.partitions").value == opt("3"));
        CHECK(entry(result, "num.partitions").config_source == from_static);
        CHECK(entry(result, "log.dirs").value == opt("/memory"));
        CHECK(entry(result, "auto.create.topics.enable").value == opt("true"));
        CHECK(entry(result, "auto.create.topics.enable").config_source == from_default);
        CHECK_FALSE(entry(result, "log.retention.ms").read_only);
        CHECK(entry(result, "log.retention.ms").value == std::nullopt); // Kafka: unset, hours stands for it
        CHECK(entry(result, "log.retention.hours").value == opt("168"));
        const auto& password = entry(result, "ssl.keystore.password");
        CHECK(password.is_sensitive);
        CHECK(password.config_type == 9);
        CHECK(password.value == std::nullopt);
    }
    auto other = describe(client, broker_resource, "7");
    CHECK(other.error_code == code(kafka_errc::invalid_request));
    CHECK(other.error_message == opt("Unexpected broker id, expected 1 or empty string, but received 7"));
    auto not_number = describe(client, broker_resource, "x");
    CHECK(not_number.error_message == opt("Broker id must be an integer, but it is: x"));
    auto loggers = describe(client, logger_resource, "1");
    CHECK(loggers.error_code == 0);
    CHECK(entry(loggers, "root").value == opt("ERROR")); // embedded_broker logs errors only
    CHECK(entry(loggers, "root").config_source == 6);
}

TEST_CASE("alter configs: the legacy request replaces every override of a topic") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "replaced", 1, {{"retention.ms", "1000"}, {"cleanup.policy", "compact"}});

    CHECK(legacy_alter(client, topic_resource, "replaced", {{"max.message.bytes", "5000"}}, true) ==
          std::pair<std::int16_t, opt>{0, std::nullopt});
    CHECK(entry(describe(client, topic_resource, "replaced"), "retention.ms").value == opt("1000"));

    CHECK(legacy_alter(client, topic_resource, "replaced", {{"max.message.bytes", "5000"}}).first == 0);
    auto after = describe(client, topic_resource, "replaced");
    CHECK(entry(after, "max.message.bytes").value == opt("5000"));
    CHECK(entry(after, "max.message.bytes").config_source == from_topic);
    CHECK(entry(after, "retention.ms").value == opt("604800000"));
    CHECK(entry(after, "retention.ms").config_source == from_default);
    CHECK(entry(after, "cleanup.policy").value == opt("delete"));

    CHECK(legacy_alter(client, topic_resource, "gone", {{"retention.ms", "1"}}) ==
          std::pair<std::int16_t, opt>{code(kafka_errc::unknown_topic_or_partition), "The topic 'gone' does not exist."});
    CHECK(legacy_alter(client, topic_resource, "replaced", {{"segment.bytes", "1"}}) ==
          std::pair<std::int16_t, opt>{code(kafka_errc::invalid_config),
                                       "Invalid value 1 for configuration segment.bytes: Value must be at least 14"});
    CHECK(legacy_alter(client, 1, "x", {}).first == code(kafka_errc::invalid_request));
}

TEST_CASE("incremental alter configs: set, delete, append and subtract, read back") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "stepwise");
    CHECK(incremental_alter(client, topic_resource, "stepwise",
                            {{"retention.ms", 0, "86400000"}, {"cleanup.policy", 2, "compact"}}).first == 0);
    auto r1 = describe(client, topic_resource, "stepwise");
    CHECK(entry(r1, "retention.ms").value == opt("86400000"));
    CHECK(entry(r1, "cleanup.policy").value == opt("delete,compact")); // appended to the default

    CHECK(incremental_alter(client, topic_resource, "stepwise", {{"cleanup.policy", 3, "delete"}}).first == 0);
    CHECK(entry(describe(client, topic_resource, "stepwise"), "cleanup.policy").value == opt("compact"));

    CHECK(incremental_alter(client, topic_resource, "stepwise", {{"retention.ms", 1, std::nullopt}}).first == 0);
    auto r2 = describe(client, topic_resource, "stepwise");
    CHECK(entry(r2, "retention.ms").config_source == from_default);
    CHECK(entry(r2, "cleanup.policy").config_source == from_topic);

    // validate_only changes nothing; errors leave the resource as it was.
    CHECK(incremental_alter(client, topic_resource, "stepwise", {{"cleanup.policy", 0, "delete"}}, true).first == 0);
    CHECK(entry(describe(client, topic_resource, "stepwise"), "cleanup.policy").value == opt("compact"));
    CHECK(incremental_alter(client, topic_resource, "stepwise", {{"retention.ms", 2, "5"}}) ==
          std::pair<std::int16_t, opt>{code(kafka_errc::invalid_config),
                                       "Can't APPEND to key retention.ms because its type is not LIST."});
    CHECK(incremental_alter(client, topic_resource, "stepwise", {{"cleanup.policy", 0, "sometimes"}}).first ==
          code(kafka_errc::invalid_config));
    CHECK(incremental_alter(client, topic_resource, "stepwise", {{"retention.ms", 0, std::nullopt}}) ==
          std::pair<std::int16_t, opt>{code(kafka_errc::invalid_request), "Null value not supported for : retention.ms"});
    CHECK(entry(describe(client, topic_resource, "stepwise"), "cleanup.policy").value == opt("compact"));
}

TEST_CASE("incremental alter configs: dynamic broker configs, per broker and cluster-wide") {
    broker::broker_config config;
    config.brokers = 2;
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    create_topic(client, "follows-broker");

    CHECK(incremental_alter(client, broker_resource, "", {{"log.retention.ms", 0, "3600000"}}).first == 0);
    auto cluster = describe(client, broker_resource, "");
    REQUIRE(cluster.configs.size() == 1);
    CHECK(cluster.configs[0].name == "log.retention.ms");
    CHECK(cluster.configs[0].config_source == from_dynamic_default);
    CHECK(synonyms(cluster.configs[0]) == synonym_list{{"log.retention.ms", "3600000", from_dynamic_default}});

    CHECK(incremental_alter(client, broker_resource, "2", {{"message.max.bytes", 0, "2000000"}}).first == 0);
    auto node2 = describe(client, broker_resource, "2");
    CHECK(entry(node2, "message.max.bytes").value == opt("2000000"));
    CHECK(entry(node2, "message.max.bytes").config_source == from_dynamic_broker);
    CHECK(synonyms(entry(node2, "message.max.bytes")) ==
          synonym_list{{"message.max.bytes", "2000000", from_dynamic_broker}, {"message.max.bytes", "1048588", from_default}});
    CHECK(entry(node2, "log.retention.ms").value == opt("3600000"));
    CHECK(entry(describe(client, broker_resource, "1"), "message.max.bytes").config_source == from_default);

    // Topics without an override follow the cluster-wide default.
    const auto follows = describe(client, topic_resource, "follows-broker");
    const auto& retention = entry(follows, "retention.ms");
    CHECK(retention.value == opt("3600000"));
    CHECK(retention.config_source == from_dynamic_default);
    CHECK(synonyms(retention) == synonym_list{{"log.retention.ms", "3600000", from_dynamic_default},
                                              {"log.retention.hours", "168", from_default}});

    CHECK(incremental_alter(client, broker_resource, "1", {{"log.dirs", 0, "/elsewhere"}}) ==
          std::pair<std::int16_t, opt>{code(kafka_errc::invalid_request),
                                       "Cannot update these configs dynamically: Set(log.dirs)"});
    CHECK(incremental_alter(client, broker_resource, "1", {{"log.segment.bytes", 0, "1"}}) ==
          std::pair<std::int16_t, opt>{code(kafka_errc::invalid_request),
                                       "Invalid value 1 for configuration log.segment.bytes: Value must be at least 14"});
    CHECK(incremental_alter(client, broker_resource, "1", {{"message.max.bytes", 2, "1"}}) ==
          std::pair<std::int16_t, opt>{code(kafka_errc::invalid_request),
                                       "Config value append is not allowed for config key: message.max.bytes"});
    CHECK(incremental_alter(client, broker_resource, "9", {{"message.max.bytes", 0, "1"}}).first ==
          code(kafka_errc::invalid_request));

    CHECK(incremental_alter(client, broker_resource, "", {{"log.retention.ms", 1, std::nullopt}}).first == 0);
    CHECK(describe(client, broker_resource, "").configs.empty());
    CHECK(entry(describe(client, topic_resource, "follows-broker"), "retention.ms").value == opt("604800000"));
}

TEST_CASE("incremental alter configs: the root log level of BROKER_LOGGER") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    CHECK(incremental_alter(client, logger_resource, "1", {{"root", 0, "FATAL"}}).first == 0);
    CHECK(entry(describe(client, logger_resource, "1"), "root").value == opt("FATAL"));
    CHECK(incremental_alter(client, logger_resource, "1", {{"root", 0, "LOUD"}}).first == code(kafka_errc::invalid_config));
    CHECK(incremental_alter(client, logger_resource, "1", {{"root", 2, "INFO"}}) ==
          std::pair<std::int16_t, opt>{code(kafka_errc::invalid_request),
                                       "APPEND operation is not allowed for the BROKER_LOGGER resource"});
    CHECK(incremental_alter(client, logger_resource, "1", {{"root", 0, "ERROR"}}).first == 0);
}

TEST_CASE("alter configs: topic overrides and dynamic broker configs survive a restart") {
    temp_dir dir;
    broker::broker_config config;
    config.data_dir = dir.path;
    {
        embedded_broker broker(config);
        broker_test_client client(broker.port());
        create_topic(client, "durable", 1, {{"retention.ms", "1234"}});
        CHECK(incremental_alter(client, topic_resource, "durable", {{"cleanup.policy", 0, "compact"}}).first == 0);
        CHECK(incremental_alter(client, broker_resource, "", {{"log.retention.bytes", 0, "999999"}}).first == 0);
        CHECK(incremental_alter(client, broker_resource, "1", {{"compression.type", 0, "zstd"}}).first == 0);
    }
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    auto topic = describe(client, topic_resource, "durable");
    CHECK(entry(topic, "retention.ms").value == opt("1234"));
    CHECK(entry(topic, "cleanup.policy").value == opt("compact"));
    CHECK(entry(topic, "retention.bytes").value == opt("999999"));
    CHECK(entry(topic, "retention.bytes").config_source == from_dynamic_default);
    CHECK(entry(topic, "compression.type").value == opt("zstd"));
    CHECK(entry(topic, "compression.type").config_source == from_dynamic_broker);
    auto node = describe(client, broker_resource, "1");
    CHECK(entry(node, "log.dirs").value == opt(std::filesystem::absolute(dir.path).lexically_normal().string()));
}

TEST_CASE("config admin: injected errors answer every resource") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "faulty");
    broker.get().faults().push_request_errors(-1, 32, {broker::injected_error{static_cast<std::int16_t>(kafka_errc::broker_not_available)}});
    auto r = describe(client, topic_resource, "faulty");
    CHECK(r.error_code == code(kafka_errc::broker_not_available));
    CHECK(r.configs.empty());
    broker.get().faults().push_request_errors(-1, 44, {broker::injected_error{static_cast<std::int16_t>(kafka_errc::policy_violation)}});
    CHECK(incremental_alter(client, topic_resource, "faulty", {{"retention.ms", 0, "1"}}).first == code(kafka_errc::policy_violation));
    CHECK(entry(describe(client, topic_resource, "faulty"), "retention.ms").value == opt("604800000"));
    broker.get().faults().push_request_errors(-1, 33, {broker::injected_error{static_cast<std::int16_t>(kafka_errc::policy_violation)}});
    CHECK(legacy_alter(client, topic_resource, "faulty", {{"retention.ms", "1"}}).first == code(kafka_errc::policy_violation));
    CHECK(entry(describe(client, topic_resource, "faulty"), "retention.ms").value == opt("604800000"));
}
