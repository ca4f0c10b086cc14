#pragma once
// A consumer's membership in a group under the classic protocol, on the I/O thread:
// JoinGroup (with KIP-394 member ids and KIP-345 static membership), the leader's assignment
// over every member's subscription, SyncGroup, Heartbeat on its own timer (not tied to poll),
// LeaveGroup, and the coordinator's errors handled as the Java client handles them.
//
// The application's side decides when to join: the membership posts "rejoin" to
// group_events and waits until poll() has revoked (or lost) what it must and calls join().
// Heartbeats go on meanwhile, so a member that polls within max.poll.interval.ms keeps its
// session. A member whose application does not poll that long leaves the group.

#include "config/consumer_settings.hpp"
#include "consumer/group_events.hpp"
#include "consumer/group_offsets.hpp"
#include "consumer/membership.hpp"
#include "consumer/poll_tracker.hpp"
#include "consumer/topic_subscription.hpp"
#include "group/partition_assignor.hpp"
#include "kafkit/protocol/messages/join_group.hpp"
#include "net/cluster_client.hpp"
#include "util/logger.hpp"

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kafkit::detail {

class group_membership final : public membership {
public:
    group_membership(asio::io_context& io, const consumer_settings& settings, cluster_client& cluster,
                     group_offsets& coordinator, group_events& events, logger log);

    /// What this member subscribes to: topics, and patterns resolved against the cluster's
    /// topics on every metadata update. A change of the topics while a member asks for a
    /// rejoin.
    void set_subscription(topic_subscription subscription) override;
    /// Joins (or rejoins) the group, holding `owned` from generation `owned_generation`
    /// (-1: none). Ignored while a join is already under way.
    void join(std::vector<topic_partition> owned, std::int32_t owned_generation) override;
    /// Leaves the group (LeaveGroup; not for a static member, whose partitions wait for it
    /// until session.timeout.ms) and stops; `done` runs when that is answered or failed.
    void leave(const std::string& reason, std::function<void()> done) override;
    /// Stops without a word to the coordinator.
    void stop() override;

    /// The application entered or left poll() (time inside poll() counts as polling); any thread.
    void note_poll(bool inside) noexcept override { polls_.note(inside); }
    /// The rebalance protocol a member with these assignors follows: cooperative only when
    /// every configured assignor is (as in the Java client).
    [[nodiscard]] rebalance_protocol preparing_protocol() const noexcept override { return preparing_protocol_; }

private:
    using clock_type = std::chrono::steady_clock;
    enum class state {
        idle,        ///< not joined, not asked to join
        awaiting_app,///< a rejoin is posted; waiting for join()
        joining,     ///< JoinGroup under way (including the coordinator lookup)
        assigning,   ///< leader: waiting for metadata of the group's topics
        syncing,     ///< SyncGroup under way
        stable,      ///< a member of generation identity_.generation
        left,
    };

    void send_join();
    void on_join(std::error_code ec, const protocol::join_group_response& r);
    /// Leader: assigns once the metadata has every subscribed topic.
    void try_assign();
    void send_sync(std::map<std::string, std::vector<std::uint8_t>> assignments);
    void on_sync(std::error_code ec, std::int16_t error, std::vector<topic_partition> partitions);
    void schedule_heartbeat(std::chrono::milliseconds after);
    void send_heartbeat();
    void on_heartbeat(std::error_code ec);
    /// The generation is gone: the application loses its partitions and joins again.
    void lose(bool reset_member_id, const std::string& why);
    /// Asks the application to rejoin, its partitions still valid (to be revoked).
    void ask_rejoin(const std::string& why);
    void fail(std::error_code ec, const std::string& what);
    /// Retries the join after retry.backoff.ms (forgetting the coordinator when it moved).
    void retry_join(std::error_code ec);
    /// Leaves when poll() was not called for max.poll.interval.ms; on a timer of its own, so a
    /// slow heartbeat answer never delays it.
    void check_poll_interval();
    void schedule_poll_check(std::chrono::milliseconds after);
    /// After a metadata update: the leader rejoins when a group topic's partition count moved.
    void on_metadata();
    [[nodiscard]] std::vector<std::uint8_t> subscription_metadata(const partition_assignor& assignor) const;
    /// Resolves wanted_ against the metadata; asks for a rejoin when the topics changed.
    void resolve_subscription();

    asio::io_context& io_;
    const consumer_settings& settings_;
    cluster_client& cluster_;
    group_offsets& coordinator_;
    group_events& events_;
    logger log_;
    std::vector<std::unique_ptr<partition_assignor>> assignors_; ///< preference order
    rebalance_protocol preparing_protocol_ = rebalance_protocol::eager;

    state state_ = state::idle;
    group_identity identity_;
    topic_subscription wanted_;
    std::vector<std::string> subscription_; ///< wanted_ resolved: sorted topic names
    std::vector<std::string> joined_with_;  ///< subscription_ as the last JoinGroup sent it
    std::vector<topic_partition> owned_;
    std::int32_t owned_generation_ = -1;
    std::string protocol_name_;
    /// Leader only: every member's subscription, and the partition counts assigned from.
    std::vector<member_subscription> members_;
    std::map<std::string, std::int32_t> assigned_counts_;
    std::uint64_t assign_after_update_ = 0; ///< the metadata update the assignment waits to pass
    bool leader_ = false;

    asio::steady_timer heartbeat_timer_;
    asio::steady_timer retry_timer_;
    asio::steady_timer poll_timer_;
    bool heartbeat_in_flight_ = false;
    poll_tracker polls_;
    std::uint64_t attempt_ = 0; ///< consecutive join failures, for the backoff
};

} // namespace kafkit::detail
