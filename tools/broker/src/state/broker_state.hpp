#pragma once
// Everything the cluster knows: nodes, topics and partitions, and the subsystems (group
// coordinator, producer ids, fetch sessions, faults). Lives on the I/O thread.

#include "kafkit/broker/broker_config.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/uuid.hpp"
#include "state/acl_store.hpp"
#include "state/feature_levels.hpp"
#include "state/broker_node.hpp"
#include "state/quota_store.hpp"
#include "state/scram_store.hpp"
#include "state/topic.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::broker {

class scheduler;
class group_coordinator;
class producer_registry;
class fetch_session_cache;
class fault_injector;

/// The outcome of a topic operation: an error code and, for errors, Kafka's message.
struct topic_result {
    kafka_errc error = kafka_errc::none;
    std::string message;
    topic* affected = nullptr;
};

/// What CreateTopics asks for.
struct topic_spec {
    std::string name;
    std::int32_t partitions = -1;          ///< -1: num.partitions
    std::int16_t replication_factor = -1;  ///< -1: default.replication.factor
    /// Explicit replica assignment per partition (leader first); empty for automatic.
    std::vector<std::vector<std::int32_t>> assignment;
    std::map<std::string, std::string> configs;
};

class broker_state {
public:
    /// Opens `config.data_dir` when set (recovering topics, logs and offsets) or starts empty.
    broker_state(const broker_config& config, scheduler& timers, std::vector<broker_node> nodes);
    ~broker_state();
    broker_state(const broker_state&) = delete;
    broker_state& operator=(const broker_state&) = delete;

    [[nodiscard]] const broker_config& config() const noexcept { return config_; }
    /// The configuration the broker started with; config() is it with the dynamic broker
    /// configs applied (KIP-226).
    [[nodiscard]] const broker_config& static_config() const noexcept { return static_config_; }
    /// Dynamic broker configs by resource name: "" for the cluster-wide default, a node id
    /// for one broker. Persisted with the metadata; call apply_dynamic_configs() after a change.
    [[nodiscard]] std::map<std::string, std::map<std::string, std::string>>& dynamic_broker_configs() noexcept {
        return dynamic_configs_;
    }
    /// The dynamic broker configs, read-only.
    [[nodiscard]] const std::map<std::string, std::map<std::string, std::string>>& dynamic_broker_configs() const noexcept {
        return dynamic_configs_;
    }
    /// Log levels set at runtime through BROKER_LOGGER resources (KIP-412), by logger name;
    /// not persisted, as in Kafka. The "root" level sets config().log_level.
    [[nodiscard]] std::map<std::string, std::string>& logger_levels() noexcept { return logger_levels_; }
    /// Recomputes config() from static_config(), the dynamic broker configs and the root log
    /// level (defined in state/config_registry_view.cpp).
    void apply_dynamic_configs();
    [[nodiscard]] scheduler& timers() noexcept { return timers_; }
    [[nodiscard]] const std::string& cluster_id() const noexcept { return cluster_id_; }

    [[nodiscard]] std::vector<broker_node>& nodes() noexcept { return nodes_; }
    [[nodiscard]] broker_node* find_node(std::int32_t id) noexcept;
    /// The controller advertised in metadata: the first node that is up.
    [[nodiscard]] std::int32_t controller_id() const noexcept;

    [[nodiscard]] const std::map<std::string, std::unique_ptr<topic>, std::less<>>& topics() const noexcept {
        return topics_;
    }
    [[nodiscard]] topic* find_topic(std::string_view name) const noexcept;
    [[nodiscard]] topic* find_topic(const protocol::uuid& id) const noexcept;

    /// Kafka's topic name rules (length, characters, "." and ".."): empty when valid, else
    /// the reason.
    [[nodiscard]] static std::string invalid_topic_name_reason(std::string_view name);

    /// Creates a topic (or only checks that it could be, with `validate_only`). Errors:
    /// TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS,
    /// INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT, INVALID_CONFIG.
    topic_result create_topic(const topic_spec& spec, bool validate_only);
    /// Auto-creates a topic for Metadata/Produce when auto.create.topics.enable allows.
    topic_result auto_create_topic(std::string_view name);
    /// Deletes a topic and its data.
    topic_result delete_topic(std::string_view name);
    /// Grows a topic to `total` partitions (CreatePartitions).
    topic_result add_partitions(std::string_view name, std::int32_t total,
                                const std::vector<std::vector<std::int32_t>>& assignment,
                                bool validate_only);
    /// Moves a partition's leader to `node_id`, bumping the leader epoch.
    bool move_leader(topic& t, std::int32_t partition, std::int32_t node_id);

    /// Persists topic metadata (names, ids, partitions, configs) when there is a data dir.
    void save_metadata();
    /// fsyncs every log (shutdown, --sync).
    void flush_all();
    /// The broker is stopping: long polls waiting for data answer now with what they have.
    void begin_shutdown();
    /// True once begin_shutdown() ran.
    [[nodiscard]] bool stopping() const noexcept { return stopping_; }
    /// Applies retention to every partition (log.retention.check.interval.ms).
    void apply_retention();

    /// Allocates a producer id (InitProducerId); persisted so ids are never reused.
    std::int64_t next_producer_id();
    /// A random UUID (topic ids, cluster id).
    protocol::uuid random_uuid();

    [[nodiscard]] group_coordinator& groups() noexcept { return *groups_; }
    [[nodiscard]] producer_registry& producers() noexcept { return *producers_; }
    [[nodiscard]] fetch_session_cache& fetch_sessions() noexcept { return *fetch_sessions_; }
    [[nodiscard]] fault_injector& faults() noexcept { return *faults_; }
    /// The ACL bindings (persisted with the metadata; call save_metadata() after a change).
    [[nodiscard]] acl_store& acls() noexcept { return acls_; }
    /// The SCRAM credentials (persisted with the metadata; call save_metadata() after a change).
    [[nodiscard]] scram_store& scram_credentials() noexcept { return scram_; }
    /// The client quotas (persisted with the metadata; call save_metadata() after a change).
    [[nodiscard]] quota_store& client_quotas() noexcept { return quotas_; }
    /// The finalized feature levels (persisted with the metadata; call save_metadata() after a change).
    [[nodiscard]] feature_levels& features() noexcept { return features_; }

private:
    std::unique_ptr<partition_log> make_log(const std::string& topic_name, std::int32_t index);
    std::unique_ptr<partition> make_partition(const std::string& topic_name, std::int32_t index,
                                              std::vector<std::int32_t> replicas);
    std::vector<std::int32_t> automatic_replicas(std::int32_t index, std::int16_t replication_factor);
    void load_metadata();

    broker_config config_;
    broker_config static_config_;
    std::map<std::string, std::map<std::string, std::string>> dynamic_configs_;
    std::map<std::string, std::string> logger_levels_;
    scheduler& timers_;
    std::vector<broker_node> nodes_;
    std::string cluster_id_;
    std::map<std::string, std::unique_ptr<topic>, std::less<>> topics_;
    std::int64_t next_producer_id_ = 1000;
    std::uint32_t placement_counter_ = 0;
    std::mt19937_64 random_;
    bool stopping_ = false;

    std::unique_ptr<group_coordinator> groups_;
    std::unique_ptr<producer_registry> producers_;
    std::unique_ptr<fetch_session_cache> fetch_sessions_;
    std::unique_ptr<fault_injector> faults_;
    acl_store acls_;
    scram_store scram_;
    quota_store quotas_;
    feature_levels features_;
};

} // namespace kafkit::broker
