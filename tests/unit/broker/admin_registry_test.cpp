// The config registry on its own: Kafka 3.9's topic configs, value checks worded as Kafka's
// ConfigDef words them, canonical values, and the synonym layers DescribeConfigs reports.

#include "state/config_registry.hpp"
#include "state/config_registry_view.hpp"
#include "state/topic_config.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

using namespace kafkit::broker;

TEST_CASE("config registry: every Kafka 3.9 topic config, sorted, with its type and default") {
    const std::vector<std::string> expected{
        "cleanup.policy", "compression.gzip.level", "compression.lz4.level", "compression.type",
        "compression.zstd.level", "delete.retention.ms", "file.delete.delay.ms", "flush.messages", "flush.ms",
        "follower.replication.throttled.replicas", "index.interval.bytes", "leader.replication.throttled.replicas",
        "local.retention.bytes", "local.retention.ms", "max.compaction.lag.ms", "max.message.bytes",
        "message.downconversion.enable", "message.format.version", "message.timestamp.after.max.ms",
        "message.timestamp.before.max.ms", "message.timestamp.difference.max.ms", "message.timestamp.type",
        "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "min.insync.replicas", "preallocate",
        "remote.log.copy.disable", "remote.log.delete.on.disable", "remote.storage.enable", "retention.bytes",
        "retention.ms", "segment.bytes", "segment.index.bytes", "segment.jitter.ms", "segment.ms",
        "unclean.leader.election.enable"};
    std::vector<std::string> names;
    for (const auto& def : topic_config_defs()) names.emplace_back(def.name);
    CHECK(names == expected);
    CHECK(find_topic_config_def("retention.ms")->type == config_type::int64);
    CHECK(find_topic_config_def("cleanup.policy")->type == config_type::list);
    CHECK(find_topic_config_def("min.cleanable.dirty.ratio")->type == config_type::float64);
    CHECK(*find_topic_config_def("max.message.bytes")->default_value == "1048588");
    CHECK(find_topic_config_def("nope") == nullptr);
    // Broker configs are sorted too, and every topic synonym is a known broker config.
    std::vector<std::string> broker_names;
    for (const auto& def : broker_config_defs()) broker_names.emplace_back(def.name);
    CHECK(std::is_sorted(broker_names.begin(), broker_names.end()));
    for (const auto& def : topic_config_defs())
        for (const auto& s : def.synonyms) CHECK_MESSAGE(find_broker_config_def(s.name), s.name);
}

TEST_CASE("config registry: values are refused with Kafka's ConfigDef messages") {
    CHECK(topic_config_error("retention.ms", "abc") ==
          "Invalid value abc for configuration retention.ms: Not a number of type LONG");
    CHECK(topic_config_error("segment.bytes", "5") ==
          "Invalid value 5 for configuration segment.bytes: Value must be at least 14");
    CHECK(topic_config_error("segment.bytes", "99999999999") ==
          "Invalid value 99999999999 for configuration segment.bytes: Not a number of type INT");
    CHECK(topic_config_error("min.cleanable.dirty.ratio", "1.5") ==
          "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1");
    CHECK(topic_config_error("cleanup.policy", "compact,bogus") ==
          "Invalid value bogus for configuration cleanup.policy: String must be one of: compact, delete");
    CHECK(topic_config_error("compression.type", "brotli") ==
          "Invalid value brotli for configuration compression.type: String must be one of: uncompressed, zstd, lz4, "
          "snappy, gzip, producer");
    CHECK(topic_config_error("preallocate", "yes") ==
          "Invalid value yes for configuration preallocate: Expected value to be either true or false");
    CHECK(topic_config_error("compression.gzip.level", "12") ==
          "Invalid value 12 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1");
    CHECK(topic_config_error("leader.replication.throttled.replicas", "0:1,x") ==
          "Invalid value [0:1, x] for configuration leader.replication.throttled.replicas: "
          "leader.replication.throttled.replicas must be the literal '*' or a list of replicas in the following "
          "format: [partitionId]:[brokerId],[partitionId]:[brokerId],...");
    CHECK(topic_config_error("frobnicate", "1") == "Unknown topic config name: frobnicate");
    // Accepted: padded numbers, booleans in any case, lists with spaces, '*', negative -1.
    CHECK(topic_config_error("retention.ms", " -1 ") == "");
    CHECK(topic_config_error("preallocate", "TRUE") == "");
    CHECK(topic_config_error("cleanup.policy", "compact, delete") == "");
    CHECK(topic_config_error("follower.replication.throttled.replicas", "*") == "");
    CHECK(topic_config_error("message.format.version", "2.8") == "");
    CHECK(topic_config_error("message.format.version", "9.9-X") ==
          "Invalid value 9.9-X for configuration message.format.version: Version 9.9-X is not a valid version");
}

TEST_CASE("config registry: a topic's set of overrides is checked across values") {
    CHECK(topic_configs_error({{"min.compaction.lag.ms", "100"}, {"max.compaction.lag.ms", "50"}}) ==
          "conflict topic config setting min.compaction.lag.ms (100) > max.compaction.lag.ms (50)");
    CHECK(topic_configs_error({{"remote.storage.enable", "true"}}) ==
          "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.");
    CHECK(topic_configs_error({{"retention.ms", "1000"}, {"zzz", "1"}}) == "Unknown topic config name: zzz");
    CHECK(topic_configs_error({{"retention.ms", "1000"}, {"cleanup.policy", "compact"}}) == "");
}

TEST_CASE("config registry: values read back as Kafka prints them") {
    const auto& policy = *find_topic_config_def("cleanup.policy");
    CHECK(canonical_config_value(policy, " compact ,  delete") == "compact,delete");
    CHECK(canonical_config_value(*find_topic_config_def("retention.ms"), " +42") == "42");
    CHECK(canonical_config_value(*find_topic_config_def("preallocate"), "True") == "true");
    CHECK(canonical_config_value(*find_topic_config_def("min.cleanable.dirty.ratio"), "1") == "1.0");
    CHECK(canonical_config_value(*find_topic_config_def("min.cleanable.dirty.ratio"), "0.25") == "0.25");
}

TEST_CASE("config registry view: topic values and synonyms follow Kafka's layers and order") {
    broker_config_layers layers;
    // Nothing set: retention.ms comes from log.retention.hours=168, which Kafka does not
    // list under retention.ms (ConfigHelper keeps synonyms from log.retention.ms on).
    auto find = [](const std::vector<described_config>& all, const char* name) {
        return *std::find_if(all.begin(), all.end(), [&](const described_config& c) { return c.name == name; });
    };
    auto plain = describe_topic_configs(layers, {});
    CHECK(plain.size() == topic_config_defs().size());
    auto retention = find(plain, "retention.ms");
    CHECK(retention.value == std::optional<std::string>("604800000"));
    CHECK(retention.source == config_source::default_config);
    CHECK(retention.synonyms.empty());
    auto segment = find(plain, "segment.bytes");
    REQUIRE(segment.synonyms.size() == 1);
    CHECK(segment.synonyms[0].name == "log.segment.bytes");
    CHECK(segment.synonyms[0].source == config_source::default_config);

    // Every layer set: the order is override, per-broker, cluster default, static, default.
    layers.per_broker.emplace("log.retention.minutes", "30");
    layers.cluster_default.emplace("log.retention.ms", "5000");
    layers.static_props.emplace("log.retention.hours", "2");
    auto overridden = find(describe_topic_configs(layers, {{"retention.ms", "777"}}), "retention.ms");
    CHECK(overridden.value == std::optional<std::string>("777"));
    CHECK(overridden.source == config_source::topic);
    std::vector<std::pair<std::string, config_source>> order;
    for (const auto& s : overridden.synonyms) order.emplace_back(s.name, s.source);
    CHECK(order == std::vector<std::pair<std::string, config_source>>{
                       {"retention.ms", config_source::topic},
                       {"log.retention.ms", config_source::dynamic_default_broker},
                       {"log.retention.hours", config_source::static_broker},
                       {"log.retention.hours", config_source::default_config}});
    // Without the override, log.retention.ms (any layer) beats minutes beats hours.
    CHECK(find(describe_topic_configs(layers, {}), "retention.ms").value == std::optional<std::string>("5000"));
    layers.cluster_default.clear();
    CHECK(find(describe_topic_configs(layers, {}), "retention.ms").value == std::optional<std::string>("1800000"));
}
