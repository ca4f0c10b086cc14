#pragma once
// Reading the partitions of one Fetch (Kafka's ReplicaManager.readFromLog): per partition
// the checks (topic, leader, KIP-320 epoch, offset range, KIP-595 diverging epoch), the
// watermarks, and the record bytes within the partition's and the response's byte limits
// (KIP-74), down-converted for Fetch v0-3; then the response assembled from them.

#include "kafkit/protocol/messages/fetch.hpp"
#include "state/fetch_session_cache.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kafkit::broker {

class broker_state;
struct broker_node;

/// One partition's part of a fetch response, with the record bytes it carries.
struct partition_read {
    protocol::fetch_response::partition_data data; ///< records left unset: see `bytes`
    std::vector<std::uint8_t> bytes;               ///< the record data
    bool error = false;                            ///< data.error_code is set
    bool diverging = false;                        ///< data.diverging_epoch is set
    std::int32_t leader_hint = -1;                 ///< node named in data.current_leader
};

/// What a fetch reads with: its version, isolation level and byte limits.
struct fetch_read_options {
    std::int16_t version = 17;
    bool read_committed = false;
    std::int32_t max_bytes = 0x7fffffff; ///< the response's limit (Fetch v3+)
};

/// Reads every target for a consumer. The first partition with data gets at least one
/// whole batch whatever the limits (KIP-74: not before Fetch v3, where limits are hard).
[[nodiscard]] std::vector<partition_read> read_partitions(broker_state& state, const broker_node& node,
                                                          const std::vector<fetch_target>& targets,
                                                          const fetch_read_options& options);

/// Record bytes read in total.
[[nodiscard]] std::size_t bytes_read(const std::vector<partition_read>& reads);

/// True when a fetch must be answered at once whatever min_bytes says: a partition has an
/// error or a diverging epoch (Kafka's ReplicaManager.fetchMessages / DelayedFetch).
[[nodiscard]] bool needs_immediate_answer(const std::vector<partition_read>& reads);

/// Whether an incremental session must include a partition (Kafka's
/// CachedPartition.maybeUpdateResponseData): it has records, an error, a diverging epoch,
/// or a high watermark or log start offset other than the session last sent.
[[nodiscard]] bool changed_since_sent(const fetch_target& target, const partition_read& read);

/// Builds the response: the `include`d reads (parallel to `targets`), consecutive
/// partitions of a topic grouped as Kafka groups them, topics by name before v13 and by
/// id from v13, node endpoints of the leaders named (v16+, KIP-951). The response views
/// the reads' bytes, which must outlive it.
[[nodiscard]] protocol::fetch_response build_fetch_response(broker_state& state, const std::vector<fetch_target>& targets,
                                                            const std::vector<partition_read>& reads,
                                                            const std::vector<bool>& include, std::int16_t version);

} // namespace kafkit::broker
