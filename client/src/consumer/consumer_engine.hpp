#pragma once
// The consumer behind kafkit::consumer: the application-side state (assignment, positions,
// the chunk being decoded, the subscription and its rebalances) on the caller's thread; the
// fetcher, the group membership (classic, or KIP-848 with group.protocol=consumer) and the
// network core on the I/O thread; the chunk_queue and group_events between them.

#include "config/consumer_settings.hpp"
#include "consumer/aborted_filter.hpp"
#include "consumer/chunk_queue.hpp"
#include "consumer/fetcher.hpp"
#include "consumer/group_events.hpp"
#include "consumer/membership.hpp"
#include "consumer/group_offsets.hpp"
#include "consumer/prefetch_budget.hpp"
#include "kafkit/consumer.hpp"
#include "net/cluster_client.hpp"
#include "net/io_thread.hpp"
#include "util/logger.hpp"
#include "util/recycling_pool.hpp"

#include <chrono>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace kafkit::detail {

class consumer_engine {
public:
    explicit consumer_engine(consumer_settings settings);
    ~consumer_engine();
    consumer_engine(const consumer_engine&) = delete;
    consumer_engine& operator=(const consumer_engine&) = delete;

    void subscribe(const std::vector<std::string>& topics, rebalance_listener listener);
    void unsubscribe();
    [[nodiscard]] std::vector<std::string> subscription() const { return subscription_; }

    void assign(const std::vector<topic_partition>& partitions);
    void incremental_assign(const std::vector<topic_partition>& partitions);
    void incremental_unassign(const std::vector<topic_partition>& partitions);
    [[nodiscard]] std::vector<topic_partition> assignment() const;

    consumer_records poll(std::chrono::milliseconds timeout);
    void wakeup() { queue_.wakeup(); }

    void seek(const topic_partition& partition, record_offset offset, std::optional<std::int32_t> epoch = {});
    void seek_to(const std::vector<topic_partition>& partitions, reset_target where);
    record_offset position(const topic_partition& partition, std::chrono::milliseconds timeout);

    void pause(const std::vector<topic_partition>& partitions);
    void resume(const std::vector<topic_partition>& partitions);
    [[nodiscard]] std::vector<topic_partition> paused() const;

    [[nodiscard]] std::optional<watermark_offsets> cached_watermarks(const topic_partition& partition);
    watermark_offsets query_watermarks(const topic_partition& partition, std::chrono::milliseconds timeout);
    std::map<topic_partition, std::optional<offset_and_timestamp>>
    offsets_for_times(const std::map<topic_partition, std::int64_t>& timestamps, std::chrono::milliseconds timeout);
    // consumer_metadata.cpp:
    std::vector<partition_metadata> partitions_for(const std::string& topic, std::chrono::milliseconds timeout);
    std::map<std::string, std::vector<partition_metadata>> list_topics(std::chrono::milliseconds timeout);

    std::error_code commit_sync(std::optional<std::map<topic_partition, offset_and_metadata>> offsets,
                                std::chrono::milliseconds timeout);
    void commit_async(std::optional<std::map<topic_partition, offset_and_metadata>> offsets, commit_callback callback);
    std::map<topic_partition, std::optional<offset_and_metadata>> committed(const std::vector<topic_partition>& partitions,
                                                                           std::chrono::milliseconds timeout);

    std::error_code close(std::chrono::milliseconds timeout);

private:
    /// The offsets to commit: those given, or every assigned partition's position.
    std::map<topic_partition, offset_and_metadata>
    offsets_to_commit(std::optional<std::map<topic_partition, offset_and_metadata>> given) const;
    /// Runs the commit callbacks whose commits completed (on the caller's thread).
    void run_commit_callbacks();

    /// What the application's side knows of an assigned partition.
    struct app_partition {
        std::uint64_t version = 0;
        std::int64_t position = -1; ///< next offset poll() returns; -1 until known
        bool paused = false;
        std::int64_t eof_reported_at = -1;
        std::optional<std::int32_t> last_epoch; ///< leader epoch of the last record returned
    };
    /// Decompression storage kept in decoded batches for reuse, each batch also counted
    /// for a rough 64 KiB of record lists.
    static constexpr std::size_t pooled_batch_bytes = 16 * 1024 * 1024;
    static std::size_t pooled_weight(const protocol::record_batch& b) noexcept { return b.storage_capacity() + 64 * 1024; }
    /// The chunk poll() is decoding, kept across polls when max.poll.records cuts it.
    struct decode_cursor {
        fetched_chunk chunk;
        std::optional<protocol::record_batch_reader> reader;
        std::shared_ptr<protocol::record_batch> batch;
        std::size_t next_record = 0;
        aborted_filter aborted; ///< read_committed
    };

    void check_open() const;
    void check_not_subscribed() const;
    /// Adds and removes partitions of the assignment (manual or the group's).
    void add_partitions(const std::vector<topic_partition>& partitions);
    void remove_partitions(const std::vector<topic_partition>& partitions);

    /// Acts on what the group membership posted: assignments, rejoins, fatal errors.
    void handle_group_events(polled_batch& out);
    void apply_assignment(const group_assignment_event& e);
    /// Gives up what a rejoin requires before it is sent: everything (eager), the partitions
    /// of topics no longer subscribed (cooperative), or everything as lost.
    void prepare_rejoin(bool lost);
    /// Commits (auto-commit, waiting until `deadline` at most) and calls on_revoked for
    /// `partitions`, then drops them.
    void revoke(const std::vector<topic_partition>& partitions,
                std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);
    void lose(const std::vector<topic_partition>& partitions);
    /// Runs a listener callback, logging what it throws.
    void call_listener(const std::function<void(const std::vector<topic_partition>&)>& callback,
                       const std::vector<topic_partition>& partitions, const char* which);
    void maybe_auto_commit();
    /// The identity commits carry when subscribed: the applied assignment's generation
    /// (classic) or the current member epoch (KIP-848). Inside io_.run_and_wait only.
    [[nodiscard]] group_identity committer() const;
    /// With enable.auto.commit: commits the positions of `partitions` and waits (until
    /// `deadline`, at most request.timeout.ms), logging a failure. Before they are given up.
    void commit_before_giving_up(const std::vector<topic_partition>& partitions,
                                 std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);
    /// Gives up the partitions and leaves the group, waiting until `deadline` for LeaveGroup.
    void leave_group(std::chrono::steady_clock::time_point deadline);
    app_partition& assigned(const topic_partition& tp);
    /// Gives `tp` a new version (what was fetched before is dropped) and tells the fetcher.
    /// Continues `tp` from `offset` (validated when `epoch` is given), or after a reset.
    void restart(const topic_partition& tp, app_partition& p, std::optional<std::int64_t> offset, reset_target where,
                 std::optional<std::int32_t> epoch = {});
    /// Moves records from the ready chunks into `out` up to max.poll.records.
    void fill(polled_batch& out, std::vector<std::pair<std::size_t, std::size_t>>& header_ranges);
    /// Decodes from cursor_ into `out`; false when the chunk is done.
    bool decode_more(polled_batch& out, std::vector<std::pair<std::size_t, std::size_t>>& header_ranges);
    void maybe_report_eof(polled_batch& out, const fetched_chunk& chunk, app_partition& p);
    std::map<topic_partition, std::pair<std::error_code, offset_and_timestamp>>
    list_offsets(const std::map<topic_partition, std::int64_t>& timestamps, std::chrono::milliseconds timeout);

    const consumer_settings settings_;
    logger log_;
    std::shared_ptr<prefetch_budget> budget_;
    chunk_queue queue_;
    io_thread io_;
    cluster_client cluster_;
    std::unique_ptr<group_offsets> offsets_; ///< with a group.id only
    fetcher fetcher_;
    group_events group_events_;
    std::unique_ptr<membership> membership_; ///< with a group.id only

    /// Commit callbacks whose commits completed, waiting for the application's thread.
    std::mutex completed_mutex_;
    std::vector<std::function<void()>> completed_commits_;

    // Application thread only:
    std::map<topic_partition, app_partition> partitions_;
    std::deque<fetched_chunk> ready_;
    std::optional<decode_cursor> cursor_;
    /// Decoded batches the application let go of, reused with their decompression buffers.
    using batch_pool = recycling_pool<protocol::record_batch>;
    std::shared_ptr<batch_pool> batch_pool_ =
        std::make_shared<batch_pool>(pooled_batch_bytes, &pooled_weight);
    std::uint64_t next_version_ = 1;
    bool closed_ = false;
    // Application thread, subscribed:
    std::vector<std::string> subscription_; ///< as given, sorted; empty: not subscribed
    topic_subscription wanted_;             ///< subscription_ parsed
    rebalance_listener listener_;
    group_identity member_;     ///< of the assignment applied last; generation -1 between
    bool join_wanted_ = false;  ///< join at the next poll()
    std::error_code fatal_;     ///< a fatal group error, thrown by every poll()
    std::string fatal_context_; ///< what poll() says with fatal_
    std::exception_ptr listener_error_; ///< what a listener threw, for poll() to rethrow
    std::chrono::steady_clock::time_point next_auto_commit_{};
};

} // namespace kafkit::detail
