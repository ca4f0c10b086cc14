#pragma once
// The classic group coordinator (Kafka 3.9's GroupMetadataManager for classic groups plus
// the offset manager): which node coordinates a group, the JoinGroup/SyncGroup/Heartbeat/
// LeaveGroup protocol with generations, rebalance, session and initial-delay timers,
// static membership (KIP-345) and KIP-394 member ids; committed offsets (persisted with
// the data dir by offset_store); and the admin views (list, describe, delete).
//
// The handlers decode requests, check the coordinator and fault injection, and turn the
// results here into responses of their version. Everything runs on the I/O thread.
//
// Persistence choice: only offsets (and group/offset deletions) are persisted. Membership is
// not: after a restart groups holding offsets come back Empty, and members rejoin when their
// next Heartbeat or OffsetCommit is answered UNKNOWN_MEMBER_ID, as clients do after a
// coordinator move.
//
// KIP-848 consumer groups live in consumer_group_coordinator (owned here); a group id is
// one or the other. A consumer-group join takes over an Empty classic group id and a classic
// JoinGroup an empty consumer group id; a group in use by the other protocol is refused
// (GROUP_ID_NOT_FOUND, INCONSISTENT_GROUP_PROTOCOL). Offsets, deletion, listing and
// cleanup cover both kinds.
//
// Implementation split: group_coordinator.cpp (lookups, admin, offsets, cleanup),
// group_join.cpp (JoinGroup and the join phase), group_membership.cpp (SyncGroup,
// Heartbeat, LeaveGroup, timeouts), group_protocols.cpp (where the two protocols meet).

#include "group/classic_group.hpp"
#include "group/consumer_group_coordinator.hpp"
#include "group/offset_store.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::broker {

class broker_state;

/// A JoinGroup, as the coordinator needs it (the handler fills it from any version).
struct join_params {
    std::string group_id;
    std::string member_id; ///< empty for a first join
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string client_host;
    std::int32_t session_timeout_ms = 0;
    std::int32_t rebalance_timeout_ms = 0; ///< v0: the session timeout
    std::string protocol_type;
    std::vector<member_protocol> protocols;
    bool require_known_member_id = false;  ///< KIP-394: v4+ and no group.instance.id
    bool supports_skip_assignment = false; ///< KIP-814: v9+
};

/// A SyncGroup, as the coordinator needs it.
struct sync_params {
    std::string group_id;
    std::int32_t generation_id = -1;
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::optional<std::string> protocol_type; ///< v5+: checked against the group's
    std::optional<std::string> protocol_name; ///< v5+: checked against the group's
    std::vector<std::pair<std::string, std::vector<std::uint8_t>>> assignments; ///< from the leader
};

/// A member named in a LeaveGroup (v3+: several; before: one, without instance id).
struct member_identity {
    std::string member_id;
    std::optional<std::string> group_instance_id;
};

/// The outcome of a LeaveGroup: a group-level error and one per member, in request order.
struct leave_outcome {
    kafka_errc error = kafka_errc::none;
    std::vector<kafka_errc> members;
};

/// Who commits offsets (OffsetCommit's group fields).
struct commit_params {
    std::string group_id;
    std::int32_t generation_id = -1; ///< -1: a commit outside group management
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::int16_t api_version = 0;
};

/// The classic group coordinator of the whole (simulated) cluster.
class group_coordinator {
public:
    /// Opens the offsets log when `state.config().data_dir` is set (replaying it; throws
    /// std::system_error when it cannot be read) and starts the offset expiration timer.
    explicit group_coordinator(broker_state& state);
    /// Cancels every timer; waiting JoinGroup/SyncGroup requests are dropped (their
    /// connections close).
    ~group_coordinator();
    group_coordinator(const group_coordinator&) = delete;
    group_coordinator& operator=(const group_coordinator&) = delete;

    /// The node that coordinates `key` (a group or transactional id): a stable hash of the
    /// key modulo the number of nodes that are up, over those nodes in id order. -1 when no
    /// node is up.
    [[nodiscard]] std::int32_t coordinator_node(std::string_view key) const;
    /// NOT_COORDINATOR when `node_id` does not coordinate `group_id`,
    /// COORDINATOR_NOT_AVAILABLE when no node can, else none.
    [[nodiscard]] kafka_errc check_coordinator(std::string_view group_id, std::int32_t node_id) const;

    /// JoinGroup. `done` is called once: at once for errors, MEMBER_ID_REQUIRED and rejoins
    /// that change nothing, else when the join phase completes.
    void join(join_params params, join_callback done);
    /// SyncGroup. `done` is called once: at once, or when the leader's assignment arrives.
    void sync(sync_params params, sync_callback done);
    /// Heartbeat: resets the member's session timer; REBALANCE_IN_PROGRESS while a
    /// rebalance waits for it to rejoin.
    kafka_errc heartbeat(std::string_view group_id, std::string_view member_id,
                         const std::optional<std::string>& group_instance_id, std::int32_t generation_id);
    /// LeaveGroup: removes the members (rebalancing once if any left).
    leave_outcome leave(std::string_view group_id, const std::vector<member_identity>& members);

    /// ConsumerGroupHeartbeat (KIP-848): GROUP_ID_NOT_FOUND when a classic group with members
    /// (or a rebalance under way) holds the id; an Empty classic group is replaced by the
    /// consumer group a join creates. The rest is consumer_group_coordinator::heartbeat.
    consumer_heartbeat_result consumer_heartbeat(const consumer_heartbeat_params& params);
    /// The KIP-848 consumer groups.
    [[nodiscard]] consumer_group_coordinator& consumer_groups() noexcept { return consumer_; }
    /// The KIP-848 consumer groups (read-only).
    [[nodiscard]] const consumer_group_coordinator& consumer_groups() const noexcept { return consumer_; }

    /// Checks an OffsetCommit's group fields as Kafka's ClassicGroup.validateOffsetCommit
    /// does (ConsumerGroup.validateOffsetCommit for a consumer group: the generation field is
    /// the member epoch); a commit with generation -1 to an unknown group creates an Empty
    /// (simple) group.
    kafka_errc validate_commit(const commit_params& params);
    /// OffsetFetch v9's member check for consumer groups (none for other groups).
    [[nodiscard]] kafka_errc validate_fetch(std::string_view group_id, const std::optional<std::string>& member_id,
                                            std::int32_t member_epoch) const;
    /// Stores offsets of a validated commit. NOT_COORDINATOR when the log write failed.
    kafka_errc commit_offsets(const std::string& group_id,
                              const std::vector<std::pair<topic_partition, committed_offset>>& offsets);
    /// OffsetDelete's group check: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP or none.
    kafka_errc validate_offset_delete(std::string_view group_id) const;
    /// OffsetDelete's GROUP_SUBSCRIBED_TO_TOPIC question, for either kind of group.
    [[nodiscard]] bool is_subscribed_to_topic(std::string_view group_id, std::string_view topic) const;
    /// Deletes offsets after validate_offset_delete. NOT_COORDINATOR when the log write failed.
    kafka_errc delete_offsets(const std::string& group_id, const std::vector<topic_partition>& partitions);
    /// A topic was deleted: its committed offsets are deleted from every group (logged), as
    /// Kafka's coordinator does when partitions are deleted.
    void forget_topic(std::string_view topic);
    /// DeleteGroups for one group: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, NOT_COORDINATOR (log
    /// write failed) or none (the group and its offsets are gone).
    kafka_errc delete_group(std::string_view group_id);

    /// The committed offsets (read-only view).
    [[nodiscard]] const offset_store& offsets() const noexcept { return offsets_; }
    /// The committed offsets (tests lower the compaction threshold).
    [[nodiscard]] offset_store& offsets() noexcept { return offsets_; }
    /// A group; nullptr when unknown.
    [[nodiscard]] classic_group* find_group(std::string_view group_id) const;
    /// Every group, by id.
    [[nodiscard]] const std::map<std::string, std::unique_ptr<classic_group>, std::less<>>& groups() const noexcept {
        return groups_;
    }

    /// Answers every parked JoinGroup and SyncGroup with NOT_COORDINATOR, as Kafka does when
    /// a coordinator resigns, so a stopping broker does not wait on rebalances. The members
    /// stay; they find the coordinator again and rejoin.
    void unload();

    /// Expires offsets past offsets.retention.minutes (KIP-211 rules) and forgets Empty
    /// groups left without offsets, as Kafka's periodic cleanup does. Returns the number of
    /// offsets expired.
    std::size_t cleanup();

private:
    classic_group& get_or_create(const std::string& group_id);
    void schedule_cleanup();

    // group_join.cpp
    void join_new_member(classic_group& group, join_params params, join_callback done);
    void join_existing_member(classic_group& group, join_params params, join_callback done);
    void add_member_and_rebalance(classic_group& group, const std::string& member_id, join_params params,
                                  join_callback done);
    void update_static_member_and_rebalance(classic_group& group, const std::string& old_id,
                                            const std::string& new_id, join_params params, join_callback done);
    void maybe_prepare_rebalance_or_complete_join(classic_group& group);
    void prepare_rebalance(classic_group& group);
    void maybe_complete_join_phase(classic_group& group);
    void initial_delay_expired(const std::string& group_id, std::int32_t delay_ms, std::int32_t remaining_ms);
    void complete_join(classic_group& group);
    void schedule_join_deadline(classic_group& group, std::int32_t delay_ms);
    [[nodiscard]] std::string new_member_id(const join_params& params);

    // group_membership.cpp
    void schedule_heartbeat(classic_group& group, group_member& member, std::int32_t timeout_ms);
    void heartbeat_expired(const std::string& group_id, const std::string& member_id);
    void pending_sync_expired(const std::string& group_id, std::int32_t generation);
    void schedule_pending_sync(classic_group& group);
    void propagate_assignment(classic_group& group, kafka_errc error);
    void remove_member(classic_group& group, const std::string& member_id);
    void after_members_removed(classic_group& group);

    // group_protocols.cpp
    [[nodiscard]] bool classic_group_in_use(std::string_view group_id) const;
    [[nodiscard]] kafka_errc delete_consumer_group(std::string_view group_id);
    [[nodiscard]] bool consumer_offset_expired(const consumer_group& group, const topic_partition& tp,
                                               const committed_offset& value, std::int64_t now,
                                               std::int64_t retention_ms) const;

    broker_state& state_;
    offset_store offsets_;
    std::map<std::string, std::unique_ptr<classic_group>, std::less<>> groups_;
    consumer_group_coordinator consumer_;
    timer_handle cleanup_timer_;
};

} // namespace kafkit::broker
