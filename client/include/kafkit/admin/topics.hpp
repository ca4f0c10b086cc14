#pragma once
// Topics as the admin client creates, lists, describes and grows them.

#include "kafkit/admin/cluster.hpp"
#include "kafkit/admin/configs.hpp"
#include "kafkit/protocol/uuid.hpp"
#include "kafkit/topic_partition.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kafkit::admin {

/// A topic to create: a partition count and replication factor (the broker's defaults
/// when unset), or an explicit assignment of replicas to each partition.
struct new_topic {
    std::string name;
    std::optional<std::int32_t> partitions;
    std::optional<std::int16_t> replication_factor;
    /// Partition index to its replicas' broker ids; when set, the two above stay unset.
    std::map<std::int32_t, std::vector<std::int32_t>> replica_assignments;
    std::map<std::string, std::string> configs;
};

struct create_topics_options : call_options {
    bool validate_only = false;
    /// THROTTLING_QUOTA_EXCEEDED is retried after the broker's throttle time (KIP-599).
    bool retry_on_quota_violation = true;
};

/// A created topic as the broker answered (CreateTopics v5+; older brokers leave the
/// numbers at -1 and the configs empty).
struct created_topic {
    protocol::uuid id;
    std::int32_t partitions = -1;
    std::int16_t replication_factor = -1;
    std::vector<config_entry> configs;
};

struct delete_topics_options : call_options {};

struct list_topics_options : call_options {
    bool list_internal = false;
};

struct topic_listing {
    std::string name;
    protocol::uuid id;
    bool internal = false;
};

struct describe_topics_options : call_options {
    bool include_authorized_operations = false;
    /// Partitions per DescribeTopicPartitions answer; more come in further pages.
    std::int32_t partition_size_limit_per_response = 2000;
};

/// A partition as described: leader (none when offline), replicas, in-sync replicas and,
/// from DescribeTopicPartitions (KIP-966), eligible leader replicas.
struct partition_description {
    std::int32_t partition = 0;
    std::optional<node> leader;
    std::int32_t leader_epoch = -1;
    std::vector<node> replicas;
    std::vector<node> in_sync_replicas;
    std::vector<node> offline_replicas;
    std::vector<node> eligible_leader_replicas;            ///< KIP-966
    std::vector<node> last_known_eligible_leader_replicas; ///< KIP-966
};

struct topic_description {
    std::string name;
    protocol::uuid id;
    bool internal = false;
    std::vector<partition_description> partitions; ///< by partition index
    std::optional<std::set<acl_operation>> authorized_operations;
};

/// A topic's new partition count and, optionally, the replicas of each added partition.
struct new_partitions {
    std::int32_t total_count = 0;
    std::vector<std::vector<std::int32_t>> assignments;
};

struct create_partitions_options : call_options {
    bool validate_only = false;
    bool retry_on_quota_violation = true;
};

} // namespace kafkit::admin
