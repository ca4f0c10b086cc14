#pragma once
// The checks every data-path request makes before touching a partition's log, as Kafka's
// ReplicaManager/Partition make them: does this node know the partition, is the client's
// leader epoch current (KIP-320), is this node the leader. Plus the leader hint that
// Produce v10+ and Fetch v12+ return with NOT_LEADER_OR_FOLLOWER (KIP-951) and the leader
// epoch cache lookups of KIP-101/KIP-279.

#include "kafkit/protocol/kafka_error.hpp"
#include "state/broker_node.hpp"
#include "state/topic.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kafkit::broker {

class broker_state;

/// Kafka's "no leader epoch given" (RecordBatch.NO_PARTITION_LEADER_EPOCH).
inline constexpr std::int32_t no_leader_epoch = -1;

/// A partition a request may read or write on this node, or why it may not.
struct partition_access {
    partition* part = nullptr; ///< null when `error` is set
    kafka_errc error = kafka_errc::none;
};

/// Kafka's Partition.checkCurrentLeaderEpoch: FENCED_LEADER_EPOCH when the client's epoch
/// is older than the partition's, UNKNOWN_LEADER_EPOCH when newer, none when equal or not
/// given (-1).
[[nodiscard]] kafka_errc check_leader_epoch(const partition& p, std::int32_t current_leader_epoch);

/// Finds partition `index` of `t` (null topic: UNKNOWN_TOPIC_OR_PARTITION) and checks it may
/// be served by `node`: a node that is not a replica answers NOT_LEADER_OR_FOLLOWER; a
/// follower replica first checks the epoch, then answers NOT_LEADER_OR_FOLLOWER; the leader
/// checks the epoch (Kafka's getPartitionOrException + getLocalLog).
[[nodiscard]] partition_access access_partition(const topic* t, std::int32_t index, const broker_node& node,
                                                std::int32_t current_leader_epoch);

/// Where a partition's leader is, for KIP-951's CurrentLeader and NodeEndpoints.
struct leader_hint {
    std::int32_t leader_id = -1;
    std::int32_t leader_epoch = -1;
    const broker_node* node = nullptr; ///< the leader's node when it is up
};

/// The partition's current leader and epoch; -1/-1 when its node is down or unknown.
[[nodiscard]] leader_hint current_leader(broker_state& state, const partition& p);

/// The partition's leader epoch cache as Kafka keeps it (LeaderEpochFileCache): epochs in
/// order with start offsets strictly increasing (an epoch that started where a later one
/// starts held no data and is dropped), entries below the log start folded into one that
/// starts at the log start (truncateFromStart).
[[nodiscard]] std::vector<std::pair<std::int32_t, std::int64_t>> epoch_entries(const partition& p);

/// The epoch of the entry covering `offset` (the last one starting at or before it);
/// nullopt when none does.
[[nodiscard]] std::optional<std::int32_t> epoch_for_offset(const partition& p, std::int64_t offset);

/// Kafka's LeaderEpochFileCache.endOffsetFor: the (epoch, end offset) of `requested_epoch`
/// given the log end offset; nullopt for UNDEFINED_EPOCH_OFFSET (the epoch is -1 or newer
/// than every known one).
[[nodiscard]] std::optional<std::pair<std::int32_t, std::int64_t>> end_offset_for_epoch(const partition& p,
                                                                                      std::int32_t requested_epoch);

/// "topic-partition", as Kafka names a partition in messages.
[[nodiscard]] std::string partition_name(const std::string& topic, std::int32_t index);

} // namespace kafkit::broker
