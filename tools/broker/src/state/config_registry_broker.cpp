// The broker configs the reference broker reports, with Kafka 3.9's names, types, defaults
// and checks, sorted by name. "dynamic" marks what (Incremental)AlterConfigs may change at
// runtime here: the cluster-wide log defaults behind topic configs (Kafka's
// DynamicLogConfig). Everything else is read-only here, even where Kafka could reconfigure
// it (listeners, thread pools), since this broker cannot. The documentation strings are our
// own short summaries.

#include "state/config_registry.hpp"

#include <array>

namespace kafkit::broker {
namespace {

using t = config_type;
constexpr std::string_view long_max = "9223372036854775807";

constexpr std::array<std::string_view, 2> cleanup_policies{"compact", "delete"};
constexpr std::array<std::string_view, 6> compression_types{"uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"};
constexpr std::array<std::string_view, 2> timestamp_types{"CreateTime", "LogAppendTime"};

const config_def broker_defs[] = {
    config_def("advertised.listeners", t::string, std::nullopt, "The listeners clients are told to connect to."),
    config_def("auto.create.topics.enable", t::boolean, "true",
               "Whether Metadata and Produce requests create topics that do not exist."),
    config_def("broker.id", t::int32, "-1", "This broker's id (the node id)."),
    config_def("broker.rack", t::string, std::nullopt, "The rack this broker is in."),
    config_def("compression.gzip.level", t::int32, "-1", "Default gzip level of topics.")
        .checked(config_check::gzip_level).dynamic_config(),
    config_def("compression.lz4.level", t::int32, "9", "Default lz4 level of topics.").between(1, 17).dynamic_config(),
    config_def("compression.type", t::string, "producer", "Default compression.type of topics.")
        .one_of(compression_types).dynamic_config(),
    config_def("compression.zstd.level", t::int32, "3", "Default zstd level of topics.")
        .between(-131072, 22).dynamic_config(),
    config_def("default.replication.factor", t::int32, "1", "Replication factor of topics created without one."),
    config_def("delete.topic.enable", t::boolean, "true", "Whether DeleteTopics may delete topics."),
    config_def("group.consumer.heartbeat.interval.ms", t::int32, "5000",
               "How often members of KIP-848 consumer groups are told to heartbeat.").at_least(1),
    config_def("group.consumer.max.size", t::int32, "2147483647", "The most members a consumer group may have.")
        .at_least(1),
    config_def("group.consumer.session.timeout.ms", t::int32, "45000",
               "How long a KIP-848 consumer group member may go without a heartbeat.").at_least(1),
    config_def("group.initial.rebalance.delay.ms", t::int32, "3000",
               "How long a new classic group waits for more members before its first rebalance."),
    config_def("group.max.session.timeout.ms", t::int32, "1800000", "The longest session timeout a member may ask for."),
    config_def("group.min.session.timeout.ms", t::int32, "6000", "The shortest session timeout a member may ask for."),
    config_def("inter.broker.protocol.version", t::string, "3.9-IV0", "The protocol version brokers speak to each other."),
    config_def("listener.security.protocol.map", t::string,
               "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT",
               "The security protocol of each listener name."),
    config_def("listeners", t::string, "PLAINTEXT://:9092", "The addresses this broker listens on."),
    config_def("log.cleaner.delete.retention.ms", t::int64, "86400000", "Default delete.retention.ms of topics.")
        .at_least(0).dynamic_config(),
    config_def("log.cleaner.max.compaction.lag.ms", t::int64, long_max, "Default max.compaction.lag.ms of topics.")
        .at_least(1).dynamic_config(),
    config_def("log.cleaner.min.cleanable.ratio", t::float64, "0.5", "Default min.cleanable.dirty.ratio of topics.")
        .between(0, 1).dynamic_config(),
    config_def("log.cleaner.min.compaction.lag.ms", t::int64, "0", "Default min.compaction.lag.ms of topics.")
        .at_least(0).dynamic_config(),
    config_def("log.cleanup.policy", t::list, "delete", "Default cleanup.policy of topics.")
        .one_of(cleanup_policies).dynamic_config(),
    config_def("log.dir", t::string, "/tmp/kafka-logs", "The log directory, when log.dirs is not set."),
    config_def("log.dirs", t::string, std::nullopt, "The directories partitions are stored in."),
    config_def("log.flush.interval.messages", t::int64, long_max, "Default flush.messages of topics.")
        .at_least(1).dynamic_config(),
    config_def("log.flush.interval.ms", t::int64, std::nullopt,
               "Default flush.ms of topics; log.flush.scheduler.interval.ms when unset.")
        .dynamic_config(),
    config_def("log.flush.scheduler.interval.ms", t::int64, long_max, "How often logs are checked for a flush."),
    config_def("log.index.interval.bytes", t::int32, "4096", "Default index.interval.bytes of topics.")
        .at_least(0).dynamic_config(),
    config_def("log.index.size.max.bytes", t::int32, "10485760", "Default segment.index.bytes of topics.")
        .at_least(4).dynamic_config(),
    config_def("log.local.retention.bytes", t::int64, "-2", "Default local.retention.bytes of topics.")
        .at_least(-2).dynamic_config(),
    config_def("log.local.retention.ms", t::int64, "-2", "Default local.retention.ms of topics.")
        .at_least(-2).dynamic_config(),
    config_def("log.message.downconversion.enable", t::boolean, "true",
               "Default message.downconversion.enable of topics.")
        .dynamic_config(),
    config_def("log.message.format.version", t::string, "3.0-IV1", "Default message.format.version of topics.")
        .checked(config_check::format_version).dynamic_config(),
    config_def("log.message.timestamp.after.max.ms", t::int64, long_max,
               "Default message.timestamp.after.max.ms of topics.")
        .at_least(0).dynamic_config(),
    config_def("log.message.timestamp.before.max.ms", t::int64, long_max,
               "Default message.timestamp.before.max.ms of topics.")
        .at_least(0).dynamic_config(),
    config_def("log.message.timestamp.difference.max.ms", t::int64, long_max,
               "Default message.timestamp.difference.max.ms of topics.")
        .at_least(0).dynamic_config(),
    config_def("log.message.timestamp.type", t::string, "CreateTime", "Default message.timestamp.type of topics.")
        .one_of(timestamp_types).dynamic_config(),
    config_def("log.preallocate", t::boolean, "false", "Default preallocate of topics.").dynamic_config(),
    config_def("log.retention.bytes", t::int64, "-1", "Default retention.bytes of topics.").dynamic_config(),
    config_def("log.retention.check.interval.ms", t::int64, "300000", "How often retention is applied.").at_least(1),
    config_def("log.retention.hours", t::int32, "168",
               "Default retention of topics in hours; log.retention.minutes and .ms take precedence.")
        .dynamic_config(),
    config_def("log.retention.minutes", t::int32, std::nullopt,
               "Default retention of topics in minutes; log.retention.ms takes precedence.")
        .dynamic_config(),
    config_def("log.retention.ms", t::int64, std::nullopt, "Default retention.ms of topics.").dynamic_config(),
    config_def("log.roll.hours", t::int32, "168", "Default segment.ms of topics, in hours.").at_least(1).dynamic_config(),
    config_def("log.roll.jitter.hours", t::int32, "0", "Default segment.jitter.ms of topics, in hours.")
        .at_least(0).dynamic_config(),
    config_def("log.roll.jitter.ms", t::int64, std::nullopt, "Default segment.jitter.ms of topics.").dynamic_config(),
    config_def("log.roll.ms", t::int64, std::nullopt, "Default segment.ms of topics.").dynamic_config(),
    config_def("log.segment.bytes", t::int32, "1073741824", "Default segment.bytes of topics.")
        .at_least(14).dynamic_config(),
    config_def("log.segment.delete.delay.ms", t::int64, "60000", "Default file.delete.delay.ms of topics.")
        .at_least(0).dynamic_config(),
    config_def("message.max.bytes", t::int32, "1048588", "Default max.message.bytes of topics.")
        .at_least(0).dynamic_config(),
    config_def("min.insync.replicas", t::int32, "1", "Default min.insync.replicas of topics.").at_least(1).dynamic_config(),
    config_def("node.id", t::int32, "-1", "This node's id."),
    config_def("num.partitions", t::int32, "1", "Partitions of topics created without a count.").at_least(1),
    config_def("offsets.retention.minutes", t::int32, "10080", "How long committed offsets of empty groups are kept.")
        .at_least(1),
    config_def("offsets.topic.num.partitions", t::int32, "50", "Partitions of the offsets topic.").at_least(1),
    config_def("offsets.topic.replication.factor", t::int16, "3", "Replication factor of the offsets topic.").at_least(1),
    config_def("process.roles", t::list, "", "The roles this node plays in KRaft mode."),
    config_def("socket.request.max.bytes", t::int32, "104857600", "The largest request the broker reads.").at_least(1),
    config_def("ssl.key.password", t::password, std::nullopt, "The password of the private key."),
    config_def("ssl.keystore.password", t::password, std::nullopt, "The password of the key store."),
    config_def("ssl.truststore.password", t::password, std::nullopt, "The password of the trust store."),
    config_def("transaction.state.log.min.isr", t::int32, "2", "min.insync.replicas of the transaction topic.")
        .at_least(1),
    config_def("transaction.state.log.num.partitions", t::int32, "50", "Partitions of the transaction topic.")
        .at_least(1),
    config_def("transaction.state.log.replication.factor", t::int16, "3",
               "Replication factor of the transaction topic.")
        .at_least(1),
    config_def("transactional.id.expiration.ms", t::int32, "604800000",
               "How long an idle transactional id is remembered.")
        .at_least(1),
    config_def("unclean.leader.election.enable", t::boolean, "false", "Default unclean.leader.election.enable of topics.")
        .dynamic_config(),
};

// DynamicBrokerConfig.brokerConfigSynonyms: the names that set one value, highest first.
constexpr std::array<std::string_view, 3> retention_group{"log.retention.ms", "log.retention.minutes", "log.retention.hours"};
constexpr std::array<std::string_view, 2> roll_group{"log.roll.ms", "log.roll.hours"};
constexpr std::array<std::string_view, 2> jitter_group{"log.roll.jitter.ms", "log.roll.jitter.hours"};
constexpr std::array<std::string_view, 2> flush_group{"log.flush.interval.ms", "log.flush.scheduler.interval.ms"};

} // namespace

std::span<const config_def> broker_config_defs() noexcept { return broker_defs; }

std::span<const std::string_view> broker_config_synonym_group(std::string_view name) noexcept {
    for (std::span<const std::string_view> group : {std::span<const std::string_view>(retention_group),
                                                     std::span<const std::string_view>(roll_group),
                                                     std::span<const std::string_view>(jitter_group)})
        for (const auto& member : group)
            if (member == name) return group;
    // log.flush.interval.ms defaults to the scheduler interval, not the other way round.
    if (name == flush_group.front()) return flush_group;
    for (const auto& def : broker_defs)
        if (def.name == name) return {&def.name, 1};
    return {};
}

} // namespace kafkit::broker
