#pragma once
// The typed form of a consumer's configuration, for the consumer and its group membership.
// As with producer_settings, the property table (property_table.cpp) holds the names,
// defaults, ranges and docs; the defaults here repeat the table's for readers.

#include "config/client_settings.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::detail {

/// `group.protocol`.
enum class group_protocol_kind {
    classic,  ///< JoinGroup/SyncGroup; the group's leader member assigns partitions
    consumer, ///< ConsumerGroupHeartbeat (KIP-848); the broker assigns partitions
};

/// One entry of `partition.assignment.strategy` (librdkafka's names).
enum class assignor_name { range, roundrobin, sticky, cooperative_sticky };

/// `auto.offset.reset`: where a partition without a valid committed offset starts.
enum class offset_reset_mode {
    earliest, ///< the log start (librdkafka: smallest, beginning)
    latest,   ///< the high watermark (librdkafka: largest, end)
    none,     ///< fail the fetch of that partition (librdkafka: error)
};

/// `isolation.level`; the values are those the Fetch and ListOffsets requests carry.
enum class isolation_mode : std::int8_t { read_uncommitted = 0, read_committed = 1 };

/// Settings of a consumer, on top of the shared ones.
struct consumer_settings {
    client_settings client;
    std::string group_id;                         ///< group.id; empty: no group (assign only)
    std::optional<std::string> group_instance_id; ///< group.instance.id (KIP-345); unset: dynamic
    group_protocol_kind group_protocol = group_protocol_kind::classic; ///< group.protocol
    std::string group_remote_assignor; ///< group.remote.assignor; empty: the broker's choice
    /// partition.assignment.strategy, most preferred first, each named once (classic only).
    std::vector<assignor_name> partition_assignment_strategy = {assignor_name::range,
                                                                assignor_name::cooperative_sticky};
    milliseconds session_timeout{45000};      ///< session.timeout.ms (classic only)
    milliseconds heartbeat_interval{3000};    ///< heartbeat.interval.ms (classic only)
    milliseconds max_poll_interval{300000};   ///< max.poll.interval.ms
    bool enable_auto_commit = true;           ///< enable.auto.commit (false without group.id)
    milliseconds auto_commit_interval{5000};  ///< auto.commit.interval.ms
    offset_reset_mode auto_offset_reset = offset_reset_mode::latest; ///< auto.offset.reset
    isolation_mode isolation_level = isolation_mode::read_uncommitted; ///< isolation.level
    std::int32_t fetch_min_bytes = 1;                   ///< fetch.min.bytes
    std::int32_t fetch_max_bytes = 52428800;            ///< fetch.max.bytes
    std::int32_t max_partition_fetch_bytes = 1048576;   ///< max.partition.fetch.bytes
    milliseconds fetch_max_wait{500};                   ///< fetch.max.wait.ms
    std::int32_t max_poll_records = 500;                ///< max.poll.records
    std::int64_t prefetch_max_bytes = 65536LL * 1024;   ///< queued.max.messages.kbytes * 1024
    bool check_crcs = true;                             ///< check.crcs
    bool allow_auto_create_topics = true;               ///< allow.auto.create.topics
    bool exclude_internal_topics = true;                ///< exclude.internal.topics
    bool enable_partition_eof = false;                  ///< enable.partition.eof
};

/// Parses and validates `cfg` as a consumer's configuration. Throws kafkit::exception with
/// errc::invalid_config naming the property as the user spelled it when a property is
/// unknown, a value does not parse or is out of range, or settings conflict
/// ("session.timeout.ms: cannot be set when group.protocol=consumer ...",
/// "enable.auto.commit: cannot be true without a group.id ..."). Producer properties are
/// validated, then ignored with a warning to the config's log sink, as librdkafka does.
/// Runs on the caller's thread; logs there.
consumer_settings parse_consumer_settings(const config& cfg);

} // namespace kafkit::detail
