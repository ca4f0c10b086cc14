#pragma once
// Where replicas live and which leads: log directories (KIP-113), leader elections
// (KIP-460) and partition reassignments (KIP-455).

#include "kafkit/admin/call_options.hpp"
#include "kafkit/ids.hpp"
#include "kafkit/topic_partition.hpp"

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace kafkit::admin {

/// One partition's replica in a log directory.
struct replica_info {
    std::int64_t size = 0;       ///< bytes
    std::int64_t offset_lag = 0; ///< behind the log end (a future replica catching up)
    bool is_future = false;      ///< being moved into this directory
};

struct log_dir_description {
    std::error_code error; ///< KAFKA_STORAGE_ERROR for an offline directory
    std::map<topic_partition, replica_info> replicas;
    std::optional<std::int64_t> total_bytes;  ///< DescribeLogDirs v4+
    std::optional<std::int64_t> usable_bytes; ///< DescribeLogDirs v4+
};

/// A partition's replica on one broker.
struct topic_partition_replica {
    std::string topic;
    std::int32_t partition = 0;
    std::int32_t broker = 0;

    friend auto operator<=>(const topic_partition_replica&, const topic_partition_replica&) = default;
};

struct replica_log_dir_info {
    std::optional<std::string> current_dir; ///< none: the broker has no such replica
    std::int64_t current_offset_lag = -1;
    std::optional<std::string> future_dir; ///< where it is being moved, if it is
    std::int64_t future_offset_lag = -1;
};

enum class election_type : std::int8_t { preferred = 0, unclean = 1 };

struct elect_leaders_options : call_options {};

/// A partition's reassignment in progress (ListPartitionReassignments).
struct partition_reassignment {
    std::vector<std::int32_t> replicas;
    std::vector<std::int32_t> adding_replicas;
    std::vector<std::int32_t> removing_replicas;
};

} // namespace kafkit::admin
