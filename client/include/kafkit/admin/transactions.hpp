#pragma once
// Producers and transactions as the admin client inspects and ends them (KIP-664):
// DescribeProducers, ListTransactions, DescribeTransactions, aborting a hanging
// transaction (WriteTxnMarkers) and fencing producers (InitProducerId).

#include "kafkit/admin/call_options.hpp"
#include "kafkit/ids.hpp"
#include "kafkit/topic_partition.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace kafkit::admin {

/// A producer writing to a partition, as its leader knows it.
struct producer_state {
    std::int64_t producer_id = -1;
    std::int32_t producer_epoch = -1;
    std::int32_t last_sequence = -1;
    std::int64_t last_timestamp_ms = -1;
    std::optional<std::int32_t> coordinator_epoch;
    std::optional<std::int64_t> current_transaction_start_offset; ///< a transaction open on the partition
};

struct describe_producers_options : call_options {
    /// Ask this broker instead of the leader (a follower's view).
    std::optional<std::int32_t> broker_id;
};

struct list_transactions_options : call_options {
    std::set<std::string> states;          ///< "Ongoing", "PrepareCommit", ...; all when empty
    std::set<std::int64_t> producer_ids;   ///< all when empty
    std::optional<std::int64_t> duration_ms; ///< only transactions running at least this long (v1+)
};

struct transaction_listing {
    std::string transactional_id;
    std::int64_t producer_id = -1;
    std::string state;
};

/// Every broker's transactions (each coordinates its share), and the brokers that failed.
struct transaction_listings {
    std::vector<transaction_listing> transactions; ///< by transactional id
    std::vector<std::pair<node_id, std::error_code>> errors;
};

struct transaction_description {
    std::int32_t coordinator_id = -1;
    std::string state;
    std::int64_t producer_id = -1;
    std::int32_t producer_epoch = -1;
    std::int32_t transaction_timeout_ms = 0;
    std::optional<std::int64_t> transaction_start_time_ms; ///< while one is open
    std::set<topic_partition> partitions;
};

/// A hanging transaction to abort on one partition (its producer and coordinator epoch from
/// describe_producers).
struct abort_transaction_spec {
    topic_partition partition;
    std::int64_t producer_id = -1;
    std::int16_t producer_epoch = -1;
    std::int32_t coordinator_epoch = -1;
};

struct fence_producers_options : call_options {
    /// The transaction timeout the fencing InitProducerId carries.
    std::int32_t transaction_timeout_ms = 60000;
};

/// The producer id and the epoch a fencing left (older epochs are fenced).
struct fenced_producer {
    std::int64_t producer_id = -1;
    std::int16_t producer_epoch = -1;
};

} // namespace kafkit::admin
