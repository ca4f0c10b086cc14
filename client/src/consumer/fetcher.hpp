#pragma once
// The consumer's I/O-thread side of fetching: per assigned partition its fetch position
// (or the reset it waits for), one Fetch request in flight per leader for all its
// partitions (in an incremental fetch session where the broker has them), ListOffsets for
// resets, and the chunks it hands to poll() through the chunk_queue. Stops fetching while
// the prefetch budget is spent. I/O thread only.
//
// Positions carry the leader epoch of the record before them (KIP-320). When a partition's
// leader epoch moves past the one its position was last checked under, the position is
// validated with OffsetForLeaderEpoch before fetching goes on, as the Java client does; a
// log truncated below it (an unclean leader election) moves it back to where the logs
// diverge, or fails it under auto.offset.reset=none. Fetch v12's diverging epoch is handled
// the same way.
//
// With client.rack set, a leader may name a closer replica to fetch from (KIP-392, Fetch
// v11's PreferredReadReplica): fetches go there until metadata.max.age.ms passes or that
// replica answers with an error, then back to the leader. Everything else goes to the
// leader.

#include "config/consumer_settings.hpp"
#include "consumer/chunk_queue.hpp"
#include "consumer/fetch_session.hpp"
#include "consumer/group_offsets.hpp"
#include "consumer/partition_backlog.hpp"
#include "consumer/prefetch_budget.hpp"
#include "kafkit/consumer.hpp"
#include "net/cluster_client.hpp"
#include "util/logger.hpp"

#include "kafkit/protocol/messages/fetch.hpp"
#include "kafkit/protocol/messages/list_offsets.hpp"
#include "kafkit/protocol/messages/offset_for_leader_epoch.hpp"

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kafkit::detail {

/// Where a partition without a position starts.
enum class reset_target {
    committed, ///< the group's committed offset, else auto.offset.reset
    policy,    ///< auto.offset.reset
    earliest,
    latest,
};

class fetcher {
public:
    /// `offsets` is the group's committed offsets, or nullptr without a group.id.
    fetcher(asio::io_context& io, const consumer_settings& settings, cluster_client& cluster, chunk_queue& out,
            std::shared_ptr<prefetch_budget> budget, group_offsets* offsets, logger log);

    /// Starts fetching `partition` at `offset`, or after a reset when it has none. `version`
    /// tags its chunks; a later call (seek) replaces the position and the version.
    void set_position(const topic_partition& partition, std::uint64_t version, std::optional<std::int64_t> offset,
                      reset_target reset = reset_target::policy);
    /// set_position at `offset`, the record before it from leader epoch `offset_epoch`
    /// (a committed offset's): validated against the leader before the first fetch.
    void set_validated_position(const topic_partition& partition, std::uint64_t version, std::int64_t offset,
                                std::int32_t offset_epoch);
    /// Stops fetching `partition`; answers in flight for it are dropped.
    void remove(const topic_partition& partition);
    void pause(const topic_partition& partition, bool paused);

    /// Calls `done` with the offset the partition's current version started from once it
    /// is known (after a reset), or with the error that stopped the reset. (Not the fetch
    /// position, which runs ahead of what poll() returned.)
    void when_positioned(const topic_partition& partition,
                         std::function<void(std::error_code, std::int64_t offset)> done);
    /// The watermarks the last fetch answer gave, if any.
    [[nodiscard]] std::optional<watermark_offsets> watermarks(const topic_partition& partition) const;

    /// Sends what can be sent now: resets (ListOffsets) and fetches, per leader.
    void run();
    /// Stops for good: no more requests; answers are dropped.
    void stop();

    /// Asks the partitions' leaders for offsets by timestamp (ListOffsets; -2 earliest,
    /// -1 latest); `done` gets each partition's result or error.
    using offsets_result = std::map<topic_partition, std::pair<std::error_code, offset_and_timestamp>>;
    void list_offsets(const std::map<topic_partition, std::int64_t>& timestamps, std::function<void(offsets_result)> done);

private:
    /// The answers of one list_offsets call, one request per leader.
    struct offsets_gather {
        offsets_result results;
        std::size_t pending = 0;
        std::function<void(offsets_result)> done;
    };
    void send_list_offsets(std::int32_t leader, protocol::list_offsets_request request,
                           std::shared_ptr<offsets_gather> state);

    enum class state { awaiting_committed, awaiting_reset, resetting, fetching, validating, failed };
    struct partition_state {
        std::shared_ptr<const std::string> topic;
        std::uint64_t version = 0;
        state what = state::awaiting_reset;
        reset_target reset = reset_target::policy;
        std::int64_t offset = -1;       ///< the next offset to fetch
        std::int64_t start_offset = -1; ///< where this version started
        /// The leader epoch of the record before `offset`, when known (KIP-320).
        std::optional<std::int32_t> offset_epoch;
        /// The partition's leader epoch `offset` was last known valid under; -1: not yet.
        std::int32_t checked_epoch = -1;
        /// The fetcher moved the position itself (a reset, a truncation): the next chunk
        /// tells poll(), which otherwise keeps its own position.
        bool moved = false;
        /// The replica the leader said to fetch from (KIP-392), until `read_replica_until`.
        std::int32_t read_replica = -1;
        std::chrono::steady_clock::time_point read_replica_until{};
        bool paused = false;
        bool in_flight = false;
        /// A chunk went to poll() since this version was placed. Until then, a partition an
        /// incremental fetch answer leaves out (nothing changed since the session's last
        /// answer) still needs its end reported when it sits at the high watermark.
        bool answered = false;
        std::shared_ptr<partition_backlog> backlog = std::make_shared<partition_backlog>();
        /// max.partition.fetch.bytes, doubled while answers hold only part of a batch.
        std::int32_t max_bytes = 0;
        std::chrono::steady_clock::time_point retry_at{};
        std::optional<watermark_offsets> watermarks;
        std::vector<std::function<void(std::error_code, std::int64_t)>> position_waiters;
    };

    /// set_position without sending anything yet.
    void place(const topic_partition& partition, std::uint64_t version, std::optional<std::int64_t> offset,
               reset_target reset);
    void send_fetch(std::int32_t leader, std::vector<topic_partition> partitions);
    /// What one partition's fetch asked.
    struct asked_fetch {
        std::uint64_t version = 0;
        std::int64_t offset = 0;
        std::int32_t leader_epoch = -1; ///< current_leader_epoch
    };
    using asked_partitions = std::map<topic_partition, asked_fetch>;
    void on_fetch_response(std::int32_t node, std::error_code ec, const response_body& body, std::int16_t version,
                           const asked_partitions& asked);
    /// With enable.partition.eof: an empty chunk for each partition of `asked` that the
    /// answer left out and that sits at its high watermark with nothing reported yet.
    void report_unchanged_ends(const asked_partitions& asked, const std::set<topic_partition>& in_answer);
    void handle_partition(const topic_partition& tp, partition_state& p, const protocol::fetch_response::partition_data& data,
                          const std::shared_ptr<const fetch_buffer>& buffer, const asked_fetch& asked, std::int32_t node);
    void send_resets(const std::vector<topic_partition>& partitions);
    /// Whether the position must be validated before fetching under `leader_epoch`.
    [[nodiscard]] static bool needs_validation(const partition_state& p, std::int32_t leader_epoch) noexcept;
    void send_validations(std::int32_t leader, const std::vector<topic_partition>& partitions);
    void on_validation(const topic_partition& tp, partition_state& p, std::int32_t asked_epoch,
                       const protocol::offset_for_leader_epoch_response::epoch_end_offset& result);
    /// The leader's log diverges from ours at `end_offset` (the end of `epoch` there):
    /// fetching goes on from there, or the partition fails under auto.offset.reset=none.
    void truncate(const topic_partition& tp, partition_state& p, std::int64_t end_offset, std::int32_t epoch);
    /// A reset the fetcher decides by itself (out of range, truncation below the log).
    void reset_by_policy(const topic_partition& tp, partition_state& p, std::error_code why_none_fails);
    /// Hands poll() an error of the partition to report.
    void report(const topic_partition& tp, const partition_state& p, std::error_code ec);
    void fail_partition(const topic_partition& tp, partition_state& p, std::error_code ec);
    [[nodiscard]] std::int32_t leader_epoch_of(const topic_partition& tp) const;
    /// Where the partition is fetched from: its preferred read replica while that holds,
    /// else `leader`.
    [[nodiscard]] std::int32_t fetch_node_of(partition_state& p, std::int32_t leader,
                                             std::chrono::steady_clock::time_point now) const;
    /// Goes back to fetching from the leader; true when a read replica was in use.
    static bool forget_read_replica(partition_state& p) noexcept;
    void look_up_committed(const std::vector<topic_partition>& partitions);
    void positioned(partition_state& p, std::error_code ec);
    void retry_later(partition_state& p, bool refresh_metadata);
    void schedule_run(std::chrono::steady_clock::time_point at);
    [[nodiscard]] std::int32_t leader_of(const topic_partition& tp) const;

    asio::io_context& io_;
    const consumer_settings& settings_;
    cluster_client& cluster_;
    chunk_queue& out_;
    std::shared_ptr<prefetch_budget> budget_;
    group_offsets* offsets_;
    logger log_;
    asio::steady_timer retry_timer_;
    std::map<topic_partition, partition_state> partitions_;
    std::set<std::int32_t> fetching_nodes_; ///< leaders with a Fetch in flight
    std::map<std::int32_t, fetch_session> sessions_; ///< per leader (KIP-227)
    std::map<std::int32_t, std::int16_t> list_offsets_cap_; ///< brokers that garble newer ListOffsets
    bool stopped_ = false;
};

} // namespace kafkit::detail
