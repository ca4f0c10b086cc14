#pragma once
// The producer's record store between send() and the sender: per topic and partition an
// open batch that send() serializes records into, and the sealed batches waiting to be
// sent. Application threads append under the partition's mutex; the I/O thread drains.
// Records of topics whose partition count is not known yet wait, copied, in the topic's
// pending list until metadata arrives.

#include "config/client_settings.hpp"
#include "kafkit/partitioner.hpp"
#include "kafkit/producer.hpp"
#include "producer/buffer_pool.hpp"
#include "producer/producer_batch.hpp"

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kafkit::detail {

/// One partition's queue.
struct partition_queue {
    std::mutex mutex;
    // Guarded by mutex:
    std::unique_ptr<producer_batch> open;
    std::deque<std::unique_ptr<producer_batch>> ready;
    std::int64_t queued_records = 0;
    std::int64_t queued_bytes = 0;
    std::uint64_t next_seal_ticket = 0;       ///< seal order, kept by `ready`
    std::vector<std::uint64_t> sealing;       ///< tickets of batches being compressed unlocked

    // I/O thread only:
    std::int32_t in_flight = 0;          ///< batches sent, not answered
    std::int32_t next_sequence = 0;      ///< idempotence: the next batch's base sequence
    std::int32_t acked_sequence = 0;     ///< idempotence: sequence the broker expects next
    std::int64_t records_sent = 0;
    std::int64_t bytes_sent = 0;
    std::int64_t batches_sent = 0;
    std::int64_t retries = 0;
    std::int64_t errors = 0;
};

/// A record waiting for its topic's metadata, with its own copies of the bytes.
struct pending_record {
    std::optional<std::int32_t> partition;
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    std::int64_t timestamp_ms = -1;
    std::int64_t reserved_bytes = 0;
    clock_type::time_point created{};
    delivery_target target;
};

struct topic_state {
    explicit topic_state(std::string n) : name(std::move(n)) {}
    const std::string name; ///< stable for the producer's life: record_metadata views it

    /// 0 until metadata gives the partition count.
    std::atomic<std::int32_t> partition_count{0};
    /// The queues; grown by the I/O thread only, which alone reads this vector.
    std::vector<std::unique_ptr<partition_queue>> partitions;
    /// What application threads read instead: a table of the queues, replaced (never
    /// changed) when the topic grows, published before partition_count. Old tables stay
    /// until the topic goes, so a reader never sees one freed (no lock on send()).
    std::atomic<const std::vector<partition_queue*>*> table{nullptr};
    std::vector<std::unique_ptr<const std::vector<partition_queue*>>> tables;

    std::mutex pending_mutex;
    std::vector<pending_record> pending;
    std::atomic<bool> has_pending{false};
};

class record_accumulator {
public:
    /// `wake` asks the sender (on the I/O thread) to look at the queues; it must be cheap
    /// and thread-safe.
    record_accumulator(const producer_settings& settings, std::shared_ptr<partitioner> partitioner,
                       std::function<void()> wake);

    /// The topic's state, created on first use; `created` tells the caller to fetch its
    /// metadata. Thread-safe.
    topic_state& topic(std::string_view name, bool& created);

    /// Every topic so far (the pointers stay valid for the accumulator's life). Thread-safe.
    std::vector<topic_state*> topics() const;
    /// The same into `out`, reusing its storage (the sender's every pass).
    void topics(std::vector<topic_state*>& out) const;

    /// Serializes `record` into `partition`'s open batch (opening or sealing batches as
    /// batch.size and batch.num.messages say). `partition` is in range. Thread-safe.
    void append(topic_state& topic, std::int32_t partition, const producer_record& record, std::int64_t timestamp_ms,
                std::int64_t reserved_bytes, delivery_target target);

    /// The partition for a record without one (the topic's count is known and > 0).
    std::int32_t choose_partition(topic_state& topic, const producer_record& record);
    /// The same among `count` partitions.
    std::int32_t choose_partition(topic_state& topic, const producer_record& record, std::int32_t count);

    /// Keeps a copy of a record whose topic has no known partition count yet. Returns the
    /// target back, keeping nothing, when the count became known meanwhile: the caller
    /// then appends the record itself.
    std::optional<delivery_target> add_pending(topic_state& topic, const producer_record& record,
                                               std::int64_t timestamp_ms, std::int64_t reserved_bytes,
                                               delivery_target target);

    /// I/O thread, after metadata: grows the topic to `count` partitions and appends its
    /// pending records. Returns the pending records that could not be placed (a partition
    /// given that does not exist) for the caller to fail.
    std::vector<pending_record> set_partition_count(topic_state& topic, std::int32_t count);

    /// Seals `queue`'s open batch if any (caller holds queue.mutex). Returns true if sealed.
    bool seal_locked(topic_state& topic, std::int32_t partition, partition_queue& queue);

    /// True when `queue.ready`'s first batch may be sent: no batch sealed before it is still
    /// being compressed (caller holds queue.mutex).
    [[nodiscard]] static bool head_sendable(const partition_queue& queue) noexcept;

    /// Tells a sticky partitioner that `partition`'s batch was sealed (not under a lock).
    void notify_new_batch(topic_state& topic, std::int32_t partition);

    /// Gives a finished batch's buffers back for new batches (I/O thread, after its outcome).
    void recycle(producer_batch& batch);

    /// Options for new batches (codec and level).
    [[nodiscard]] const protocol::record_batch_options& batch_options() const noexcept { return batch_options_; }

private:
    /// Takes the full open batch out of `queue` to be compressed without the lock
    /// (caller holds queue.mutex); finish_seal puts it in `ready`, in seal order.
    std::unique_ptr<producer_batch> detach_for_seal(partition_queue& queue);
    /// Compresses `batch` (no lock held) and queues it (takes queue.mutex).
    void finish_seal(partition_queue& queue, std::unique_ptr<producer_batch> batch);

    partition_queue& queue(topic_state& topic, std::int32_t partition);

    const producer_settings& settings_;
    std::shared_ptr<partitioner> partitioner_;
    std::function<void()> wake_;
    protocol::record_batch_options batch_options_;
    buffer_pool buffers_;
    mutable std::shared_mutex topics_mutex_;
    std::unordered_map<std::string, std::unique_ptr<topic_state>> topics_;
    const std::uint64_t instance_; ///< tells this accumulator's entries in thread caches apart
};

/// The bytes a record takes in buffer.memory: its payload plus the record overhead (at most
/// 21 bytes of varints and attributes, as Kafka's DefaultRecord counts).
std::int64_t estimated_record_size(const producer_record& record) noexcept;

} // namespace kafkit::detail
