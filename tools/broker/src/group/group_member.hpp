#pragma once
// One member of a classic group (the JoinGroup/SyncGroup protocol) and the answers the
// coordinator owes it. JoinGroup and SyncGroup are answered late (when the rebalance gets
// there), so the member keeps the callbacks that send them.

#include "kafkit/protocol/kafka_error.hpp"
#include "server/scheduler.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::broker {

/// One protocol a member supports (JoinGroup `Protocols`), in the member's order of preference.
struct member_protocol {
    std::string name;
    std::vector<std::uint8_t> metadata;
    friend bool operator==(const member_protocol&, const member_protocol&) = default;
};

/// One member as the leader sees it in its JoinGroup response.
struct join_member_info {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::vector<std::uint8_t> metadata; ///< the member's metadata for the selected protocol
};

/// What a JoinGroup is answered with, independent of the response version.
struct join_result {
    kafka_errc error = kafka_errc::none;
    std::int32_t generation_id = -1;
    std::optional<std::string> protocol_type;
    std::optional<std::string> protocol_name;
    std::string leader;
    bool skip_assignment = false; ///< KIP-814: a static leader rejoining a stable group
    std::string member_id;
    std::vector<join_member_info> members; ///< only for the leader
};

/// What a SyncGroup is answered with, independent of the response version.
struct sync_result {
    kafka_errc error = kafka_errc::none;
    std::optional<std::string> protocol_type;
    std::optional<std::string> protocol_name;
    std::vector<std::uint8_t> assignment;
};

/// Sends a JoinGroup answer; called at most once, on the I/O thread.
using join_callback = std::function<void(const join_result&)>;
/// Sends a SyncGroup answer; called at most once, on the I/O thread.
using sync_callback = std::function<void(const sync_result&)>;

/// A member of a classic group: who it is, what it supports, what it was assigned, and the
/// JoinGroup/SyncGroup requests it is waiting on.
struct group_member {
    group_member() = default;
    group_member(const group_member&) = delete;
    group_member& operator=(const group_member&) = delete;
    /// Cancels the session timer: a removed member never expires.
    ~group_member() { heartbeat_timer.cancel(); }

    std::string member_id;
    std::optional<std::string> group_instance_id; ///< set for static members (KIP-345)
    std::string client_id;
    std::string client_host;
    std::int32_t rebalance_timeout_ms = 0;
    std::int32_t session_timeout_ms = 0;
    std::string protocol_type;
    std::vector<member_protocol> protocols;
    std::vector<std::uint8_t> assignment; ///< from the leader's SyncGroup
    join_callback awaiting_join;          ///< set while its JoinGroup waits
    sync_callback awaiting_sync;          ///< set while its SyncGroup waits
    /// True from its first join until that rebalance completes: such a member is expired by
    /// the new-member join timeout even while it waits (Kafka's isNew).
    bool is_new = false;
    timer_handle heartbeat_timer; ///< session (or new-member) timeout

    /// True for a static member (it has a group.instance.id).
    [[nodiscard]] bool is_static() const noexcept { return group_instance_id.has_value(); }
    /// True while its JoinGroup waits for the rebalance.
    [[nodiscard]] bool is_awaiting_join() const noexcept { return static_cast<bool>(awaiting_join); }
    /// True while its SyncGroup waits for the leader's assignment.
    [[nodiscard]] bool is_awaiting_sync() const noexcept { return static_cast<bool>(awaiting_sync); }

    /// Its metadata for `protocol`; nullptr when it does not support it.
    [[nodiscard]] const std::vector<std::uint8_t>* metadata(std::string_view protocol) const {
        for (const auto& p : protocols)
            if (p.name == protocol) return &p.metadata;
        return nullptr;
    }
    /// Its vote: the first protocol in its own order of preference among `candidates`.
    [[nodiscard]] std::string vote(const std::set<std::string, std::less<>>& candidates) const {
        for (const auto& p : protocols)
            if (candidates.count(p.name)) return p.name;
        return {};
    }
    /// True when `other` is the same protocol list (names, metadata and order): a rejoin
    /// that changes nothing.
    [[nodiscard]] bool matches(const std::vector<member_protocol>& other) const { return protocols == other; }
};

} // namespace kafkit::broker
