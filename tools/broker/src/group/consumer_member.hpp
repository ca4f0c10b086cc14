#pragma once
// One member of a KIP-848 consumer group: who it is, what it subscribes to, its epochs and
// partitions (member_assignment_state), and its two timers: the session timeout
// (group.consumer.session.timeout.ms, reset by every heartbeat) and the rebalance timeout
// (its RebalanceTimeoutMs, running while it owes a revocation).

#include "group/assignment_reconciler.hpp"
#include "server/scheduler.hpp"

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace kafkit::broker {

/// ConsumerGroupHeartbeat's MemberEpoch to leave (dynamic members, or static ones for good).
inline constexpr std::int32_t leave_group_member_epoch = -1;
/// ConsumerGroupHeartbeat's MemberEpoch of a static member leaving for a while (KIP-345 in
/// KIP-848): it keeps its place and assignment until its session times out.
inline constexpr std::int32_t leave_group_static_member_epoch = -2;

/// What a member subscribes to and how it asks to be assigned.
struct member_subscription {
    std::vector<std::string> topic_names; ///< SubscribedTopicNames, kept sorted and unique
    std::string topic_regex;              ///< SubscribedTopicRegex (v1+); empty for none
    std::optional<std::regex> compiled;   ///< topic_regex compiled, when set
    std::optional<std::string> server_assignor;
};

/// A member of a consumer group. Owned by its group.
struct consumer_member {
    consumer_member() = default;
    consumer_member(const consumer_member&) = delete;
    consumer_member& operator=(const consumer_member&) = delete;
    /// Cancels its timers: a removed member never expires.
    ~consumer_member() {
        session_timer.cancel();
        rebalance_timer.cancel();
    }

    std::string member_id;
    std::optional<std::string> instance_id; ///< group.instance.id of a static member
    std::optional<std::string> rack_id;
    std::string client_id;
    std::string client_host;
    std::int32_t rebalance_timeout_ms = -1;
    member_subscription subscription;
    member_assignment_state assignment;
    timer_handle session_timer;
    timer_handle rebalance_timer;
};

} // namespace kafkit::broker
