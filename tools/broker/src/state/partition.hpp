#pragma once
// One partition of a topic: its leader, leader epoch history, log and waiting fetchers.

#include "storage/partition_log.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace kafkit::broker {

/// A partition. Single replica: the leader's log is the partition's log, and the high
/// watermark is the log end offset.
struct partition {
    std::int32_t index = 0;
    std::int32_t leader = -1;            ///< node id
    std::vector<std::int32_t> replicas;  ///< leader first
    std::int32_t leader_epoch = 0;
    /// Leader epoch -> the first offset written in it (OffsetForLeaderEpoch, KIP-101).
    std::map<std::int32_t, std::int64_t> epoch_start_offsets{{0, 0}};
    std::unique_ptr<partition_log> log;

    /// Callbacks run once the next time data is appended (long-polling fetches).
    std::vector<std::function<void()>> append_waiters;

    /// Runs and clears the append waiters.
    void notify_append() {
        auto waiters = std::move(append_waiters);
        append_waiters.clear();
        for (auto& w : waiters) w();
    }

    /// Bumps the leader epoch and records where it starts.
    void new_leader(std::int32_t node_id) {
        leader = node_id;
        ++leader_epoch;
        epoch_start_offsets[leader_epoch] = log ? log->log_end_offset() : 0;
    }
};

} // namespace kafkit::broker
