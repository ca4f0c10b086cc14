#pragma once
// What the client knows of the cluster from Metadata responses: brokers, controller,
// cluster id, and per topic its id (Metadata v10+) and its partitions' leaders and leader
// epochs. I/O thread only.

#include "kafkit/protocol/messages/metadata.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kafkit::detail {

struct broker_info {
    std::int32_t node_id = -1;
    std::string host;
    std::uint16_t port = 0;
    std::optional<std::string> rack;
};

struct partition_info {
    std::int32_t leader = -1;       ///< -1: no leader now
    std::int32_t leader_epoch = -1;
    std::int16_t error_code = 0;
};

struct topic_info {
    std::string name;
    protocol::uuid id;              ///< all zero when the broker does not say (before Metadata v10)
    std::int16_t error_code = 0;    ///< the topic's own error (UNKNOWN_TOPIC_OR_PARTITION, ...)
    bool internal = false;          ///< __consumer_offsets and the like (Metadata v1+)
    std::vector<partition_info> partitions;
};

class metadata_cache {
public:
    /// Merges a response: brokers and controller replaced, listed topics updated. A
    /// partition's leader is not taken from a response whose leader epoch is older than the
    /// one known (a broker with stale metadata, KIP-320). With `lists_all` (an answer for
    /// every topic) topics it leaves out are forgotten. Returns true when some leader or
    /// partition count changed, or a topic came or went.
    bool apply(const protocol::metadata_response& response, bool lists_all = false);

    /// Records a leader learned elsewhere (a Produce or Fetch error's current leader,
    /// KIP-951), if its epoch is newer. Returns true when it changed the leader.
    bool update_leader(std::string_view topic, std::int32_t partition, std::int32_t leader, std::int32_t epoch);

    /// Forgets a partition's leader (after NOT_LEADER_OR_FOLLOWER) until the next refresh.
    void invalidate_leader(std::string_view topic, std::int32_t partition);

    [[nodiscard]] const topic_info* topic(std::string_view name) const;
    /// The topic with this id (KIP-516), or nullptr when none known has it (or `id` is zero).
    [[nodiscard]] const topic_info* topic_by_id(const protocol::uuid& id) const;
    /// Every topic known, in no order.
    [[nodiscard]] std::vector<const topic_info*> topics() const;
    [[nodiscard]] const broker_info* broker(std::int32_t node_id) const;
    [[nodiscard]] const std::map<std::int32_t, broker_info>& brokers() const noexcept { return brokers_; }
    [[nodiscard]] std::int32_t controller() const noexcept { return controller_; }
    [[nodiscard]] const std::string& cluster_id() const noexcept { return cluster_id_; }
    /// True once a response arrived.
    [[nodiscard]] bool known() const noexcept { return updates_ > 0; }
    /// Number of responses applied (a version for waiters).
    [[nodiscard]] std::uint64_t updates() const noexcept { return updates_; }

private:
    std::map<std::int32_t, broker_info> brokers_;
    std::unordered_map<std::string, topic_info> topics_;
    std::int32_t controller_ = -1;
    std::string cluster_id_;
    std::uint64_t updates_ = 0;
};

} // namespace kafkit::detail
