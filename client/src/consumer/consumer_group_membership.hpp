#pragma once
// A consumer's membership in a group under the KIP-848 protocol (group.protocol=consumer),
// on the I/O thread, following the Java client's AsyncKafkaConsumer: one request,
// ConsumerGroupHeartbeat, joins (member epoch 0), keeps the member in the group on the
// interval the coordinator sets, carries subscription changes and acknowledgements, and
// leaves (-1; -2 for a static member, whose partitions wait for it). The coordinator
// assigns (group.remote.assignor names its assignor) and answers with the member's
// assignment as topic ids, resolved here through the metadata cache.
//
// Reconciliation is incremental: the assignment is posted to group_events, poll() revokes
// what is gone (committing first with auto-commit) and adds what is new, partitions kept are
// consumed throughout, and assignment_applied() tells this class what the application owns
// now, which the next heartbeat (sent at once) acknowledges. One reconciliation runs at a
// time; a newer assignment waits for it.
//
// Member ids: from ConsumerGroupHeartbeat v1 the client names itself (a random UUID, kept for
// the consumer's lifetime, KIP-1082); at v0 the coordinator names it in its first answer.

#include "config/consumer_settings.hpp"
#include "consumer/group_events.hpp"
#include "consumer/group_offsets.hpp"
#include "consumer/heartbeat_fields.hpp"
#include "consumer/membership.hpp"
#include "consumer/poll_tracker.hpp"
#include "consumer/topic_subscription.hpp"
#include "net/cluster_client.hpp"
#include "util/logger.hpp"

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace kafkit::detail {

class consumer_group_membership final : public membership {
public:
    consumer_group_membership(asio::io_context& io, const consumer_settings& settings, cluster_client& cluster,
                              group_offsets& coordinator, group_events& events, logger log);
    ~consumer_group_membership() override;
    consumer_group_membership(const consumer_group_membership&) = delete;
    consumer_group_membership& operator=(const consumer_group_membership&) = delete;

    /// What this member subscribes to. A single pattern goes to the coordinator as
    /// SubscribedTopicRegex (v1+); other patterns are resolved against the cluster's topics
    /// here. A change goes out at once, in a heartbeat of its own.
    void set_subscription(topic_subscription subscription) override;
    /// Joins with member epoch 0, owning nothing (KIP-848 rejoins start empty). Ignored while
    /// a member or joining.
    void join(std::vector<topic_partition> owned, std::int32_t owned_generation) override;
    /// Heartbeats member epoch -1 (-2 with group.instance.id) and stops heartbeating; `done`
    /// runs when that is answered or failed, at once when not a member.
    void leave(const std::string& reason, std::function<void()> done) override;
    void stop() override;
    void note_poll(bool inside) noexcept override { polls_.note(inside); }
    [[nodiscard]] rebalance_protocol preparing_protocol() const noexcept override {
        return rebalance_protocol::cooperative;
    }
    void assignment_applied(std::vector<topic_partition> owned) override;
    [[nodiscard]] group_identity commit_identity(const group_identity& applied) const override;

    /// The member id the coordinator knows (empty at v0 before the first answer).
    [[nodiscard]] const std::string& member_id() const noexcept { return member_id_; }
    /// The epoch of the latest answer; 0 while joining or out of the group.
    [[nodiscard]] std::int32_t member_epoch() const noexcept { return epoch_; }

private:
    enum class state {
        idle,         ///< not joined, not asked to join
        awaiting_app, ///< out of the group (fenced, poll timeout); waiting for join()
        joining,      ///< epoch 0 heartbeats until one is answered
        member,       ///< in the group at epoch_
        left,         ///< stopped for good
    };

    /// Heartbeats at once (after the one in flight, if any).
    void heartbeat_now();
    void schedule_heartbeat(std::chrono::milliseconds after);
    void send_heartbeat();
    void on_heartbeat(std::error_code ec, const protocol::consumer_group_heartbeat_response& r, std::int16_t version);
    void on_accepted(const protocol::consumer_group_heartbeat_response& r);
    /// Heartbeats again after a backoff, as a full request.
    void retry_later(std::error_code ec);
    /// The coordinator no longer has this member at its epoch: partitions lost, rejoin.
    void fenced(const std::string& why);
    void fail(std::error_code ec, const std::string& what, std::string reason = {});
    /// Posts the target assignment (its topics resolved) when it differs from what the
    /// application holds and no reconciliation is under way.
    void maybe_reconcile();
    void on_metadata();
    /// Resolves the subscription's patterns client-side (when the coordinator does not).
    void resolve_subscription();
    /// Heartbeats at once when the subscription described differs from `before`.
    void heartbeat_if_changed(const member_description& before);
    /// Who may commit `partitions` again after STALE_MEMBER_EPOCH: this member at its
    /// current epoch while it is in the group and owns them all.
    [[nodiscard]] std::optional<group_identity> renewed_committer(const std::vector<topic_partition>& partitions) const;
    [[nodiscard]] bool regex_on_server() const;
    [[nodiscard]] member_description describe() const;
    /// Sends one heartbeat with `epoch` (-1 or -2) and `done` when it is answered or failed.
    void send_leave(std::int32_t epoch, const std::string& reason, std::function<void()> done);
    void schedule_poll_check(std::chrono::milliseconds after);
    void check_poll_interval();
    void cancel_timers();
    /// Into `next` (idle, awaiting_app, joining), out of the group: timers stopped, answers
    /// still to come ignored, the target forgotten, the next heartbeat full.
    void move_to(state next);

    const consumer_settings& settings_;
    cluster_client& cluster_;
    group_offsets& coordinator_;
    group_events& events_;
    logger log_;

    state state_ = state::idle;
    std::string member_id_;
    bool id_from_coordinator_ = false; ///< member_id_ came in an answer (or was sent at v1+)
    std::int32_t epoch_ = 0;
    std::int16_t version_ = -1; ///< the ConsumerGroupHeartbeat version of the last answer
    std::uint64_t session_ = 0; ///< bumped on every join, leave and fence: older answers are stale
    topic_subscription wanted_;
    std::vector<std::string> resolved_names_; ///< wanted_ resolved client-side, sorted
    heartbeat_fields fields_;

    /// The assignment of the latest answer that carried one; nullopt until then.
    std::optional<topic_id_partitions> target_;
    topic_id_partitions owned_;                       ///< what the application holds, by id
    std::vector<topic_partition> owned_names_;        ///< the same, by name, sorted
    std::map<std::string, protocol::uuid> topic_ids_; ///< of the topics assigned so far
    bool reconciling_ = false;                        ///< an assignment is posted; waiting for assignment_applied()
    bool first_assignment_ = false;                   ///< the first answer after a join is posted even if empty

    std::chrono::milliseconds interval_;
    asio::steady_timer heartbeat_timer_;
    asio::steady_timer poll_timer_;
    bool in_flight_ = false;
    bool again_ = false; ///< heartbeat as soon as the one in flight is answered
    std::uint32_t failures_ = 0;
    poll_tracker polls_;
};

} // namespace kafkit::detail
