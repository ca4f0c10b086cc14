// Kafka 3.9's topic configs (LogConfig): type, default, check and the broker configs each
// one falls back to (ServerTopicConfigSynonyms), sorted by name. The documentation strings
// are our own short summaries.

#include "state/config_registry.hpp"

#include <array>

namespace kafkit::broker {
namespace {

using t = config_type;
constexpr std::string_view long_max = "9223372036854775807";

constexpr std::array<std::string_view, 2> cleanup_policies{"compact", "delete"};
constexpr std::array<std::string_view, 6> compression_types{"uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"};
constexpr std::array<std::string_view, 2> timestamp_types{"CreateTime", "LogAppendTime"};

// Broker synonyms, highest precedence first; hours and minutes scaled to milliseconds.
constexpr std::array<config_synonym, 1> s_cleanup{{{"log.cleanup.policy"}}};
constexpr std::array<config_synonym, 1> s_gzip{{{"compression.gzip.level"}}};
constexpr std::array<config_synonym, 1> s_lz4{{{"compression.lz4.level"}}};
constexpr std::array<config_synonym, 1> s_compression{{{"compression.type"}}};
constexpr std::array<config_synonym, 1> s_zstd{{{"compression.zstd.level"}}};
constexpr std::array<config_synonym, 1> s_delete_retention{{{"log.cleaner.delete.retention.ms"}}};
constexpr std::array<config_synonym, 1> s_delete_delay{{{"log.segment.delete.delay.ms"}}};
constexpr std::array<config_synonym, 1> s_flush_messages{{{"log.flush.interval.messages"}}};
constexpr std::array<config_synonym, 2> s_flush_ms{{{"log.flush.interval.ms"}, {"log.flush.scheduler.interval.ms"}}};
constexpr std::array<config_synonym, 1> s_index_interval{{{"log.index.interval.bytes"}}};
constexpr std::array<config_synonym, 1> s_local_bytes{{{"log.local.retention.bytes"}}};
constexpr std::array<config_synonym, 1> s_local_ms{{{"log.local.retention.ms"}}};
constexpr std::array<config_synonym, 1> s_max_lag{{{"log.cleaner.max.compaction.lag.ms"}}};
constexpr std::array<config_synonym, 1> s_max_message{{{"message.max.bytes"}}};
constexpr std::array<config_synonym, 1> s_downconversion{{{"log.message.downconversion.enable"}}};
constexpr std::array<config_synonym, 1> s_format{{{"log.message.format.version"}}};
constexpr std::array<config_synonym, 1> s_ts_after{{{"log.message.timestamp.after.max.ms"}}};
constexpr std::array<config_synonym, 1> s_ts_before{{{"log.message.timestamp.before.max.ms"}}};
constexpr std::array<config_synonym, 1> s_ts_difference{{{"log.message.timestamp.difference.max.ms"}}};
constexpr std::array<config_synonym, 1> s_ts_type{{{"log.message.timestamp.type"}}};
constexpr std::array<config_synonym, 1> s_dirty_ratio{{{"log.cleaner.min.cleanable.ratio"}}};
constexpr std::array<config_synonym, 1> s_min_lag{{{"log.cleaner.min.compaction.lag.ms"}}};
constexpr std::array<config_synonym, 1> s_min_isr{{{"min.insync.replicas"}}};
constexpr std::array<config_synonym, 1> s_preallocate{{{"log.preallocate"}}};
constexpr std::array<config_synonym, 1> s_retention_bytes{{{"log.retention.bytes"}}};
constexpr std::array<config_synonym, 3> s_retention_ms{
    {{"log.retention.ms"}, {"log.retention.minutes", 60'000}, {"log.retention.hours", 3'600'000}}};
constexpr std::array<config_synonym, 1> s_segment_bytes{{{"log.segment.bytes"}}};
constexpr std::array<config_synonym, 1> s_segment_index{{{"log.index.size.max.bytes"}}};
constexpr std::array<config_synonym, 2> s_jitter{{{"log.roll.jitter.ms"}, {"log.roll.jitter.hours", 3'600'000}}};
constexpr std::array<config_synonym, 2> s_segment_ms{{{"log.roll.ms"}, {"log.roll.hours", 3'600'000}}};
constexpr std::array<config_synonym, 1> s_unclean{{{"unclean.leader.election.enable"}}};

const config_def topic_defs[] = {
    config_def("cleanup.policy", t::list, "delete",
               "How old segments are removed: \"delete\" drops them by time or size, \"compact\" keeps the "
               "latest record of each key; both may be given.")
        .one_of(cleanup_policies).falls_back_to(s_cleanup),
    config_def("compression.gzip.level", t::int32, "-1", "The gzip level used when compression.type is gzip.")
        .checked(config_check::gzip_level).falls_back_to(s_gzip),
    config_def("compression.lz4.level", t::int32, "9", "The lz4 level used when compression.type is lz4.")
        .between(1, 17).falls_back_to(s_lz4),
    config_def("compression.type", t::string, "producer",
               "The codec the topic's data is stored with; \"producer\" keeps whatever the producer sent.")
        .one_of(compression_types).falls_back_to(s_compression),
    config_def("compression.zstd.level", t::int32, "3", "The zstd level used when compression.type is zstd.")
        .between(-131072, 22).falls_back_to(s_zstd),
    config_def("delete.retention.ms", t::int64, "86400000",
               "How long tombstones are kept in a compacted topic before they may be removed.")
        .at_least(0).falls_back_to(s_delete_retention),
    config_def("file.delete.delay.ms", t::int64, "60000", "How long a deleted segment's files linger on disk.")
        .at_least(0).falls_back_to(s_delete_delay),
    config_def("flush.messages", t::int64, long_max, "Records appended between forced flushes of the log.")
        .at_least(1).falls_back_to(s_flush_messages),
    config_def("flush.ms", t::int64, long_max, "The longest time data waits in the log before a forced flush.")
        .at_least(0).falls_back_to(s_flush_ms),
    config_def("follower.replication.throttled.replicas", t::list, "",
               "Replicas (partition:broker pairs, or *) throttled on the follower side.")
        .checked(config_check::throttled_replicas),
    config_def("index.interval.bytes", t::int32, "4096", "Bytes of log between two offset index entries.")
        .at_least(0).falls_back_to(s_index_interval),
    config_def("leader.replication.throttled.replicas", t::list, "",
               "Replicas (partition:broker pairs, or *) throttled on the leader side.")
        .checked(config_check::throttled_replicas),
    config_def("local.retention.bytes", t::int64, "-2",
               "Bytes kept locally when tiered storage is on; -2 means retention.bytes.")
        .at_least(-2).falls_back_to(s_local_bytes),
    config_def("local.retention.ms", t::int64, "-2",
               "Time data is kept locally when tiered storage is on; -2 means retention.ms.")
        .at_least(-2).falls_back_to(s_local_ms),
    config_def("max.compaction.lag.ms", t::int64, long_max,
               "The longest a record may stay uncompacted in a compacted topic.")
        .at_least(1).falls_back_to(s_max_lag),
    config_def("max.message.bytes", t::int32, "1048588",
               "The largest record batch the topic accepts, after compression.")
        .at_least(0).falls_back_to(s_max_message),
    config_def("message.downconversion.enable", t::boolean, "true",
               "Whether fetches by old consumers may be served by converting the message format.")
        .falls_back_to(s_downconversion),
    config_def("message.format.version", t::string, "3.0-IV1",
               "Deprecated: the message format version; ignored from inter-broker protocol 3.0 on.")
        .checked(config_check::format_version).falls_back_to(s_format),
    config_def("message.timestamp.after.max.ms", t::int64, long_max,
               "How far in the future a CreateTime timestamp may be.")
        .at_least(0).falls_back_to(s_ts_after),
    config_def("message.timestamp.before.max.ms", t::int64, long_max,
               "How far in the past a CreateTime timestamp may be.")
        .at_least(0).falls_back_to(s_ts_before),
    config_def("message.timestamp.difference.max.ms", t::int64, long_max,
               "Deprecated: the largest allowed gap between a record's timestamp and the broker's clock.")
        .at_least(0).falls_back_to(s_ts_difference),
    config_def("message.timestamp.type", t::string, "CreateTime",
               "Whether record timestamps are the producer's (CreateTime) or the broker's (LogAppendTime).")
        .one_of(timestamp_types).falls_back_to(s_ts_type),
    config_def("min.cleanable.dirty.ratio", t::float64, "0.5",
               "The share of uncompacted log that makes a compacted partition eligible for cleaning.")
        .between(0, 1).falls_back_to(s_dirty_ratio),
    config_def("min.compaction.lag.ms", t::int64, "0", "The least time a record stays uncompacted.")
        .at_least(0).falls_back_to(s_min_lag),
    config_def("min.insync.replicas", t::int32, "1",
               "In-sync replicas needed for an acks=all write to succeed.")
        .at_least(1).falls_back_to(s_min_isr),
    config_def("preallocate", t::boolean, "false", "Whether segment files are allocated in full when created.")
        .falls_back_to(s_preallocate),
    config_def("remote.log.copy.disable", t::boolean, "false",
               "Stops copying segments to remote storage while keeping what is there (KIP-950)."),
    config_def("remote.log.delete.on.disable", t::boolean, "false",
               "Allows turning remote storage off by deleting the remote data (KIP-950)."),
    config_def("remote.storage.enable", t::boolean, "false", "Whether the topic uses tiered storage (KIP-405)."),
    config_def("retention.bytes", t::int64, "-1",
               "The size a partition may grow to before old segments are deleted; -1 means no limit.")
        .falls_back_to(s_retention_bytes),
    config_def("retention.ms", t::int64, "604800000",
               "How long segments are kept before they are deleted; -1 means forever.")
        .at_least(-1).falls_back_to(s_retention_ms),
    config_def("segment.bytes", t::int32, "1073741824", "The size of one log segment file.")
        .at_least(14).falls_back_to(s_segment_bytes),
    config_def("segment.index.bytes", t::int32, "10485760", "The size of one segment's offset index.")
        .at_least(4).falls_back_to(s_segment_index),
    config_def("segment.jitter.ms", t::int64, "0", "A random amount taken off segment.ms per segment.")
        .at_least(0).falls_back_to(s_jitter),
    config_def("segment.ms", t::int64, "604800000",
               "The time after which a segment is rolled even if it is not full.")
        .at_least(1).falls_back_to(s_segment_ms),
    config_def("unclean.leader.election.enable", t::boolean, "false",
               "Whether a replica outside the ISR may become leader, at the cost of losing data.")
        .falls_back_to(s_unclean),
};

} // namespace

std::span<const config_def> topic_config_defs() noexcept { return topic_defs; }

} // namespace kafkit::broker
