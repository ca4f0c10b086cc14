#pragma once
// Settings of the reference broker: what `kafkit-broker` reads from its flags and an
// optional properties file, and what an embedding test passes to kafkit::broker::broker.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::broker {

/// A host and port to listen on; port 0 asks the system for a free one.
struct listen_address {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
};

/// Everything the broker is configured with. Defaults follow Kafka's (`num.partitions`,
/// `log.segment.bytes`, ...) except where Kafka's own shipped `server.properties` picks a
/// development value (`group.initial.rebalance.delay.ms` = 0).
struct broker_config {
    /// One listener per broker node: node i listens on listeners[i]; nodes without an entry
    /// listen on the host of the first listener with port 0.
    std::vector<listen_address> listeners{listen_address{}};
    /// Number of broker nodes this process acts as (node ids first_node_id, +1, ...).
    int brokers = 1;
    /// Node id of the first broker.
    std::int32_t first_node_id = 1;
    /// Rack of node i is rack_prefix + its node id; an empty prefix gives no rack.
    std::string rack_prefix = "rack-";
    /// Persistent storage under this directory; in memory when empty.
    std::optional<std::filesystem::path> data_dir;
    /// fsync segment files before answering acks=all produce requests.
    bool sync = false;
    /// The cluster id reported in metadata; generated (and persisted with data_dir) if empty.
    std::string cluster_id;

    std::int32_t num_partitions = 1;              ///< num.partitions
    std::int16_t default_replication_factor = 1;  ///< default.replication.factor
    bool auto_create_topics = true;               ///< auto.create.topics.enable
    std::int64_t log_segment_bytes = 1073741824;  ///< log.segment.bytes
    std::int64_t log_retention_ms = 604800000;    ///< log.retention.ms (-1: forever)
    std::int64_t log_retention_bytes = -1;        ///< log.retention.bytes (-1: no limit)
    std::int64_t log_retention_check_interval_ms = 300000; ///< log.retention.check.interval.ms
    std::int32_t message_max_bytes = 1048588;     ///< message.max.bytes
    std::int32_t socket_request_max_bytes = 104857600; ///< socket.request.max.bytes
    std::int32_t group_initial_rebalance_delay_ms = 0; ///< group.initial.rebalance.delay.ms
    std::int32_t group_min_session_timeout_ms = 6000;     ///< group.min.session.timeout.ms
    std::int32_t group_max_session_timeout_ms = 1800000;  ///< group.max.session.timeout.ms
    /// group.consumer.session.timeout.ms: a KIP-848 consumer group member that sends no
    /// heartbeat for this long is removed.
    std::int32_t group_consumer_session_timeout_ms = 45000;
    /// group.consumer.heartbeat.interval.ms: how often KIP-848 members are told to heartbeat.
    std::int32_t group_consumer_heartbeat_interval_ms = 5000;
    std::int32_t group_consumer_max_size = 2147483647;     ///< group.consumer.max.size
    std::int32_t offsets_retention_minutes = 10080;        ///< offsets.retention.minutes
    std::int32_t transactional_id_expiration_ms = 604800000; ///< transactional.id.expiration.ms

    /// Address of the JSON-lines fault-injection control socket; none when unset.
    std::optional<listen_address> control_listener;
    /// Handle SIGINT/SIGTERM inside the broker: graceful stop (what `main` wants).
    bool handle_signals = false;
    /// Log lines (connections, errors) to stderr at or above this level: 0 debug, 1 info,
    /// 2 warnings, 3 errors only.
    int log_level = 2;
};

/// Sets one property by Kafka's name (`num.partitions`, `log.segment.bytes`, ...) or by the
/// broker's own (`listeners`, `brokers`, `data.dir`, `sync`, `control.listener`).
/// Throws std::invalid_argument naming the property for an unknown name or a bad value.
void set_property(broker_config& config, const std::string& name, const std::string& value);

/// Reads a Java-style properties file (`name=value`, `#` and `!` comments) into `config`.
/// Throws std::invalid_argument naming the file, line and property on any error.
void load_properties_file(broker_config& config, const std::filesystem::path& file);

/// Parses "HOST:PORT" (IPv6 as "[::1]:PORT"). Throws std::invalid_argument naming `what`.
listen_address parse_listen_address(const std::string& text, const std::string& what);

/// Checks ranges and consistency; throws std::invalid_argument naming the property.
void validate(const broker_config& config);

} // namespace kafkit::broker
