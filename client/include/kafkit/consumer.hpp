#pragma once
// kafkit::consumer: the Kafka consumer.
//
//   kafkit::consumer consumer({{"bootstrap.servers", "localhost:9092"}, {"group.id", "billing"},
//                              {"auto.offset.reset", "earliest"}});
//   consumer.subscribe({"orders"});      // or assign({{"orders", kafkit::partition_id(0)}})
//   for (;;) {
//       auto batch = consumer.poll(std::chrono::milliseconds(500));
//       for (const auto& r : batch) handle(r.key, r.value);
//   }
//
// Fetching runs on the consumer's I/O thread ahead of the application, bounded by
// queued.max.messages.kbytes of fetched, not yet released data; poll() hands out what has
// arrived, up to max.poll.records, decoding it on the calling thread. Positions move as
// poll() returns records: position(tp) is the offset of the next record poll() will return.
//
// With subscribe() the consumer is a member of group.id (classic protocol): partitions are
// given and taken in rebalances, which happen inside poll(), on the caller's thread, where the
// rebalance listener runs. Heartbeats run on the I/O thread on their own schedule, so slow
// processing costs the membership only when poll() is not called for max.poll.interval.ms.
//
// Not thread-safe, as in the Java client: one thread uses a consumer at a time, except for
// wakeup(), which any thread may call.

#include "kafkit/config.hpp"
#include "kafkit/consumer_record.hpp"
#include "kafkit/exception.hpp"
#include "kafkit/topic_partition.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace kafkit {

namespace detail {
class consumer_engine;
}

/// A partition's log start and end ("low and high watermarks"): the first offset still
/// stored and the offset the next written record will get.
struct watermark_offsets {
    record_offset low{-1};
    record_offset high{-1};
};

/// A partition as the cluster's metadata describes it (Java's PartitionInfo).
struct partition_metadata {
    topic_partition partition;
    std::optional<node_id> leader; ///< none while the partition has no leader
    std::int32_t leader_epoch = -1;
    std::vector<node_id> replicas;
    std::vector<node_id> in_sync_replicas;
    std::vector<node_id> offline_replicas;
};

/// The first offset at or after a timestamp, and that record's timestamp.
struct offset_and_timestamp {
    record_offset offset{-1};
    std::int64_t timestamp_ms = -1;
    std::optional<std::int32_t> leader_epoch;
};

/// Gets the outcome of commit_async: an empty error_code, or the first error, with the
/// offsets that were to be committed. Runs inside a later poll(), commit_sync() or close()
/// on the thread that calls it, as in the Java client.
using commit_callback =
    std::function<void(std::error_code error, const std::map<topic_partition, offset_and_metadata>& offsets)>;

/// What a subscribed consumer is told in a rebalance, inside poll() (or close()) on its
/// thread; each may call the consumer (commit_sync, seek, position, ...). What a callback
/// throws does not stop the rebalance: poll() rethrows it once the rebalance's steps ran
/// (close() only logs it).
struct rebalance_listener {
    /// Partitions given up. Their positions are still valid: with enable.auto.commit they
    /// were committed just before; a commit_sync() here commits them with the generation
    /// that owns them. Called only with a non-empty list.
    std::function<void(const std::vector<topic_partition>&)> on_revoked;
    /// Partitions added (also called, empty, after a rebalance that added none). Each starts
    /// at its committed offset, else per auto.offset.reset; seek() here overrides that.
    std::function<void(const std::vector<topic_partition>&)> on_assigned;
    /// Partitions that already belong to someone else (the membership was lost: session
    /// expired, max.poll.interval.ms passed, fenced); committing them would fail. When
    /// empty, on_revoked gets them, as Java's listener's default.
    std::function<void(const std::vector<topic_partition>&)> on_lost;
};

class consumer {
public:
    /// Validates `cfg` (see docs/configuration.md) and starts the I/O thread. Throws
    /// kafkit::exception (errc::invalid_config) naming the first bad property.
    explicit consumer(const config& cfg);
    /// close() with a 30 s bound.
    ~consumer();
    consumer(const consumer&) = delete;
    consumer& operator=(const consumer&) = delete;

    /// Joins group.id subscribed to `topics` (replacing an earlier subscription); the
    /// partitions come in a rebalance inside a later poll(). An entry starting with '^' is a
    /// regular expression (ECMAScript, matched against whole topic names, as librdkafka's):
    /// the topics matching it are followed as they are created and deleted (on each
    /// metadata refresh, metadata.max.age.ms). Throws kafkit::exception: kafka_errc::
    /// invalid_group_id without a group.id, errc::invalid_state after assign(),
    /// errc::invalid_config for a pattern that does not compile or with
    /// group.protocol=consumer (KIP-848, not implemented by this client yet).
    void subscribe(const std::vector<std::string>& topics, rebalance_listener listener = {});
    /// Gives up the partitions (the listener's on_revoked runs) and leaves the group.
    void unsubscribe();
    /// The topics subscribed to (sorted); empty without subscribe().
    [[nodiscard]] std::vector<std::string> subscription() const;

    /// Replaces the assignment with `partitions` (manual assignment: no group membership).
    /// Throws kafkit::exception (errc::invalid_state) while subscribed.
    /// Each starts at its committed offset when group.id is set and one exists, else per
    /// auto.offset.reset; seek() overrides that.
    void assign(const std::vector<topic_partition>& partitions);
    /// Adds `partitions` to the assignment, keeping the others as they are.
    void incremental_assign(const std::vector<topic_partition>& partitions);
    /// Removes `partitions` from the assignment; records of them not yet polled are dropped.
    void incremental_unassign(const std::vector<topic_partition>& partitions);
    /// The partitions assigned now.
    [[nodiscard]] std::vector<topic_partition> assignment() const;

    /// Records fetched for the assigned, unpaused partitions, up to max.poll.records,
    /// waiting up to `timeout` for the first. Returns early, empty, after wakeup().
    /// Subscribed, it also runs rebalances and auto-commits; it reports a membership lost to
    /// max.poll.interval.ms as an error event (errc::max_poll_exceeded), then rejoins. Throws
    /// kafkit::exception for a fatal group error (FENCED_INSTANCE_ID, GROUP_AUTHORIZATION_FAILED,
    /// ...), on this and every later call.
    consumer_records poll(std::chrono::milliseconds timeout);
    /// Makes a poll() that is waiting (or the next one) return at once. Any thread.
    void wakeup();

    /// Makes poll() continue `partition` from `offset`; records of it fetched before are
    /// dropped. Throws kafkit::exception (errc::invalid_state) for a partition not assigned.
    void seek(const topic_partition& partition, record_offset offset);
    /// seek() to `position.offset`. When `position` has the leader epoch of the record
    /// before it (as committed offsets do), the position is first validated against the
    /// partition's current leader (KIP-320; see docs/consumer.md), as Java's
    /// seek(TopicPartition, OffsetAndMetadata) does.
    void seek(const topic_partition& partition, const offset_and_metadata& position);
    /// seek() to the log start (the beginning) or the log end of each partition: the offset
    /// is looked up (ListOffsets) when fetching resumes.
    void seek_to_beginning(const std::vector<topic_partition>& partitions);
    void seek_to_end(const std::vector<topic_partition>& partitions);
    /// The offset of the next record poll() returns for `partition`, looking it up (committed
    /// offset or auto.offset.reset) if not known yet. Throws kafkit::exception: errc::timed_out
    /// after `timeout`, errc::invalid_state for a partition not assigned, or the Kafka error.
    [[nodiscard]] record_offset position(const topic_partition& partition, std::chrono::milliseconds timeout);

    /// Stops fetching `partitions` (poll() returns none of their records) until resume().
    void pause(const std::vector<topic_partition>& partitions);
    void resume(const std::vector<topic_partition>& partitions);
    [[nodiscard]] std::vector<topic_partition> paused() const;

    /// The watermarks the last fetch of `partition` reported (no request); nullopt before
    /// the first fetch answer.
    [[nodiscard]] std::optional<watermark_offsets> cached_watermark_offsets(const topic_partition& partition) const;
    /// The watermarks asked of the partition's leader (ListOffsets). Throws kafkit::exception
    /// on failure or after `timeout`.
    [[nodiscard]] watermark_offsets query_watermark_offsets(const topic_partition& partition,
                                                            std::chrono::milliseconds timeout);
    /// For each partition, the first offset whose timestamp is at or after the given one
    /// (ListOffsets); nullopt where no record is that late. Throws kafkit::exception.
    [[nodiscard]] std::map<topic_partition, std::optional<offset_and_timestamp>>
    offsets_for_times(const std::map<topic_partition, std::int64_t>& timestamps_ms, std::chrono::milliseconds timeout);

    /// The partitions of `topic`, by index, asked of the cluster (Metadata; Java's
    /// partitionsFor). Empty when the topic does not exist (with allow.auto.create.topics a
    /// broker that creates topics creates it). Throws kafkit::exception on other errors or
    /// after `timeout`.
    [[nodiscard]] std::vector<partition_metadata> partitions_for(const std::string& topic,
                                                                 std::chrono::milliseconds timeout);
    /// Every topic of the cluster and its partitions (Java's listTopics); internal topics
    /// unless exclude.internal.topics. Throws kafkit::exception on errors or after `timeout`.
    [[nodiscard]] std::map<std::string, std::vector<partition_metadata>> list_topics(std::chrono::milliseconds timeout);

    /// Commits the position of every assigned partition (the offset of the next record poll()
    /// returns), or the `offsets` given, to group.id, and waits. Returns the first error:
    /// kafka_errc::invalid_group_id without a group.id, errc::timed_out after `timeout`,
    /// or the broker's. Without group membership (assign()) the commit carries no
    /// generation, which Kafka accepts for a group without members.
    std::error_code commit_sync(std::chrono::milliseconds timeout);
    std::error_code commit_sync(const std::map<topic_partition, offset_and_metadata>& offsets,
                                std::chrono::milliseconds timeout);
    /// As commit_sync without waiting; `callback` (may be empty) gets the outcome.
    void commit_async(commit_callback callback = {});
    void commit_async(const std::map<topic_partition, offset_and_metadata>& offsets, commit_callback callback = {});
    /// The offsets committed for `partitions` (nullopt where none is). Throws
    /// kafkit::exception on failure or after `timeout`.
    [[nodiscard]] std::map<topic_partition, std::optional<offset_and_metadata>>
    committed(const std::vector<topic_partition>& partitions, std::chrono::milliseconds timeout);

    /// Stops fetching and the I/O thread within `timeout`. A subscribed consumer first commits
    /// (enable.auto.commit), gives up its partitions (on_revoked) and leaves the group (not a
    /// static member: its partitions wait for it until session.timeout.ms). Idempotent;
    /// afterwards every call but close() throws or returns errc::closed.
    std::error_code close(std::chrono::milliseconds timeout);

private:
    std::shared_ptr<detail::consumer_engine> engine_;
};

} // namespace kafkit
