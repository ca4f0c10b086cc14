#pragma once
// A classic group's state machine (Kafka's ClassicGroup): its state, generation, members,
// leader, selected protocol, members that still owe a JoinGroup (KIP-394) or a SyncGroup,
// and static members by group.instance.id (KIP-345). It knows no timers' logic and sends
// nothing itself: group_coordinator drives it and completes the members' callbacks.

#include "group/group_member.hpp"
#include "server/scheduler.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::broker {

/// The states Kafka reports for a classic group (DescribeGroups, ListGroups).
enum class group_state { empty, preparing_rebalance, completing_rebalance, stable, dead };

/// Kafka's name of a state: "Empty", "PreparingRebalance", "CompletingRebalance", "Stable",
/// "Dead".
[[nodiscard]] std::string_view group_state_name(group_state state) noexcept;

/// The protocol type of consumers (KIP-429's ConsumerProtocol), whose metadata the broker
/// can read.
inline constexpr std::string_view consumer_protocol_type = "consumer";

/// One classic group. Members are kept in the order they joined, which is the order the
/// leader sees them in.
class classic_group {
public:
    /// A new group, Empty at generation 0.
    explicit classic_group(std::string id);
    /// Cancels the group's timers (members cancel their own).
    ~classic_group();
    classic_group(const classic_group&) = delete;
    classic_group& operator=(const classic_group&) = delete;

    /// The group id.
    [[nodiscard]] const std::string& id() const noexcept { return id_; }
    /// The current state.
    [[nodiscard]] group_state state() const noexcept { return state_; }
    /// The state before the current one (an initial rebalance comes from Empty).
    [[nodiscard]] group_state previous_state() const noexcept { return previous_state_; }
    /// True in state `s`.
    [[nodiscard]] bool is(group_state s) const noexcept { return state_ == s; }
    /// Moves to `next`, remembering the previous state and when it changed (wall clock ms).
    void transition_to(group_state next);
    /// When the group entered its current state (wall clock ms), for offset expiration.
    [[nodiscard]] std::int64_t state_timestamp_ms() const noexcept { return state_timestamp_ms_; }

    /// The generation id, bumped each time a join phase completes.
    [[nodiscard]] std::int32_t generation() const noexcept { return generation_; }
    /// The protocol type of its members ("consumer", "connect", ...); unset for a group
    /// that only stores offsets.
    [[nodiscard]] const std::optional<std::string>& protocol_type() const noexcept { return protocol_type_; }
    /// The protocol selected for the current generation; unset while Empty.
    [[nodiscard]] const std::optional<std::string>& protocol_name() const noexcept { return protocol_name_; }
    /// The leader's member id; empty when there is no leader.
    [[nodiscard]] const std::string& leader() const noexcept { return leader_; }
    /// True when `member_id` is the leader.
    [[nodiscard]] bool is_leader(std::string_view member_id) const noexcept {
        return !leader_.empty() && leader_ == member_id;
    }

    /// The member with this id; nullptr when it is not one.
    [[nodiscard]] group_member* find(std::string_view member_id) const noexcept;
    /// True when `member_id` is a member (not merely pending).
    [[nodiscard]] bool has(std::string_view member_id) const noexcept { return find(member_id) != nullptr; }
    /// The members in join order.
    [[nodiscard]] const std::vector<std::unique_ptr<group_member>>& members() const noexcept { return members_; }
    /// The number of members.
    [[nodiscard]] std::size_t size() const noexcept { return members_.size(); }
    /// Members whose JoinGroup is waiting.
    [[nodiscard]] std::size_t awaiting_join_count() const noexcept;

    /// Adds a member whose JoinGroup waits on `on_join` (the first sets the protocol type
    /// and becomes leader when there is none). A pending member with this id stops being one.
    group_member& add(std::unique_ptr<group_member> member, join_callback on_join);
    /// Removes a member (or a pending member) and returns it; a leader leaving hands the
    /// leadership to the first remaining member.
    std::unique_ptr<group_member> remove(std::string_view member_id);
    /// Replaces a member's protocols and timeouts; `on_join` (possibly empty) becomes the
    /// JoinGroup it is waiting on.
    void update_member(group_member& member, std::vector<member_protocol> protocols,
                       std::int32_t rebalance_timeout_ms, std::int32_t session_timeout_ms, join_callback on_join);

    /// The member id a static member is known by; nullptr when the instance id is unknown.
    [[nodiscard]] const std::string* static_member_id(std::string_view instance_id) const;
    /// KIP-345: true when `instance_id` is known and mapped to another member id.
    [[nodiscard]] bool is_static_member_fenced(const std::optional<std::string>& instance_id,
                                               std::string_view member_id) const;
    /// Kafka's validateMember: FENCED_INSTANCE_ID or UNKNOWN_MEMBER_ID, or none.
    [[nodiscard]] kafka_errc validate_member(std::string_view member_id,
                                             const std::optional<std::string>& instance_id) const;
    /// KIP-345: gives the static member `old_id` the id `new_id`, keeping its protocols and
    /// assignment; a JoinGroup or SyncGroup the old id waits on is answered FENCED_INSTANCE_ID.
    group_member& replace_static_member(const std::string& instance_id, const std::string& old_id,
                                        const std::string& new_id);

    /// KIP-394: true for a member id handed out with MEMBER_ID_REQUIRED that has not joined.
    [[nodiscard]] bool is_pending(std::string_view member_id) const { return pending_members_.count(member_id) > 0; }
    /// Records a handed-out id with its expiry timer (its session timeout), cancelled when the
    /// id joins or is removed.
    void add_pending(const std::string& member_id, timer_handle expiry);
    /// The number of KIP-394 ids still expected.
    [[nodiscard]] std::size_t pending_count() const noexcept { return pending_members_.size(); }

    /// The member got its JoinGroup answer and now owes a SyncGroup.
    void add_pending_sync(const std::string& member_id) { pending_sync_.insert(member_id); }
    /// The member sent its SyncGroup (or left).
    void remove_pending_sync(std::string_view member_id);
    /// A new rebalance starts: nobody owes a SyncGroup.
    void clear_pending_sync() { pending_sync_.clear(); }
    /// The members that still owe a SyncGroup.
    [[nodiscard]] const std::set<std::string, std::less<>>& pending_sync() const noexcept { return pending_sync_; }

    /// Answers the member's waiting JoinGroup; false when it had none.
    bool complete_join(group_member& member, const join_result& result);
    /// Answers the member's waiting SyncGroup; false when it had none.
    bool complete_sync(group_member& member, const sync_result& result);

    /// Every member rejoined and no KIP-394 member is still expected.
    [[nodiscard]] bool has_all_members_joined() const noexcept;
    /// The largest rebalance timeout of the members (the rebalance's deadline).
    [[nodiscard]] std::int32_t rebalance_timeout_ms() const noexcept;
    /// A rebalance can start from Empty, CompletingRebalance and Stable.
    [[nodiscard]] bool can_rebalance() const noexcept;
    /// Whether a member with this protocol type and these protocols may join: an Empty group
    /// takes any non-empty type and list; otherwise the type must match and one protocol
    /// must be supported by every member.
    [[nodiscard]] bool supports_protocols(std::string_view protocol_type,
                                          const std::vector<member_protocol>& protocols) const;
    /// The protocol every member supports with the most votes (each member votes for its
    /// most preferred candidate). Ties go to the candidate the leader prefers. Members must
    /// not be empty.
    [[nodiscard]] std::string select_protocol() const;
    /// Elects a member that rejoined as leader when the leader did not; false when no member
    /// rejoined.
    bool elect_joined_leader();
    /// Bumps the generation, selects the protocol and moves to CompletingRebalance (Empty
    /// when no member is left); clears the pending syncs.
    void init_next_generation();
    /// Every member with its metadata for the selected protocol (the leader's JoinGroup).
    [[nodiscard]] std::vector<join_member_info> current_member_metadata() const;

    /// The topics the members subscribe to, read from their consumer-protocol metadata;
    /// nullopt when the group is not a consumer group or the metadata cannot be read.
    [[nodiscard]] const std::optional<std::set<std::string, std::less<>>>& subscribed_topics() const noexcept {
        return subscribed_topics_;
    }
    /// OffsetDelete's question: does a member consume `topic`? When the subscriptions are
    /// unknown, a consumer group is assumed to (Kafka's isSubscribedToTopic).
    [[nodiscard]] bool is_subscribed_to_topic(std::string_view topic) const;

    /// Set when a member joins during the initial rebalance (it may then be delayed more).
    bool new_member_added = false;
    /// The join-phase deadline (rebalance timeout or group.initial.rebalance.delay.ms).
    timer_handle join_timer;
    /// The deadline for members to send SyncGroup after the join phase.
    timer_handle sync_timer;

private:
    void count_protocols(const group_member& member, int delta);
    std::set<std::string, std::less<>> candidate_protocols() const;
    void compute_subscribed_topics();

    std::string id_;
    group_state state_ = group_state::empty;
    group_state previous_state_ = group_state::empty;
    std::int64_t state_timestamp_ms_ = 0;
    std::int32_t generation_ = 0;
    std::optional<std::string> protocol_type_;
    std::optional<std::string> protocol_name_;
    std::string leader_;
    std::vector<std::unique_ptr<group_member>> members_;
    std::map<std::string, std::string, std::less<>> static_members_; ///< instance id -> member id
    std::map<std::string, timer_handle, std::less<>> pending_members_; ///< id -> its expiry
    std::set<std::string, std::less<>> pending_sync_;
    std::map<std::string, std::size_t, std::less<>> supported_protocols_; ///< name -> members supporting it
    std::optional<std::set<std::string, std::less<>>> subscribed_topics_;
};

} // namespace kafkit::broker
