#pragma once
// Idempotent producers: per producer and partition, the epoch, the last sequence and the
// last five batches appended, as Kafka's ProducerStateManager keeps them, so that a
// retried batch is acknowledged with its original offsets instead of being written twice
// (KIP-98) and a gap or a stale epoch is refused.

#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "storage/partition_log.hpp"

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kafkit::broker {

class broker_state;
struct topic;
struct partition;

/// What Kafka remembers of one appended batch of a producer (BatchMetadata).
struct producer_batch {
    std::int32_t first_sequence = -1;
    std::int32_t last_sequence = -1;
    std::int64_t first_offset = -1;
    std::int64_t last_offset = -1;
    std::int64_t max_timestamp = -1;
};

/// The outcome of checking a batch against its producer's state.
struct sequence_verdict {
    /// What to do with the batch.
    enum class action { append, duplicate, reject };
    action what = action::append;
    kafka_errc error = kafka_errc::none; ///< for reject
    std::string message;                 ///< for reject: Kafka's exception text
    producer_batch original;             ///< for duplicate: where it was written
};

/// Idempotent producer state of every partition. Producer ids themselves come from
/// broker_state::next_producer_id(). I/O thread only.
class producer_registry {
public:
    /// Kafka keeps this many batches per producer and partition for duplicate detection
    /// (ProducerStateEntry.NUM_BATCHES_TO_RETAIN), matching max.in.flight.requests = 5.
    static constexpr std::size_t batches_retained = 5;

    /// Empty; a partition's state is rebuilt from its log the first time it is used.
    explicit producer_registry(broker_state& state) : state_(state) {}

    /// Checks a batch with a producer id about to be appended to `p` of `t`, as Kafka does:
    /// a batch equal to one of the last five of the same epoch is a duplicate; an older
    /// epoch is INVALID_PRODUCER_EPOCH; a new epoch must start at sequence 0 and the same
    /// epoch must continue the last sequence, else OUT_OF_ORDER_SEQUENCE_NUMBER. A producer
    /// the partition has no state of is accepted at any sequence (Kafka 2.5+, KIP-360: its
    /// records may have been deleted by retention or DeleteRecords).
    sequence_verdict check(const topic& t, const partition& p, const protocol::record_batch_header& batch,
                           const std::string& partition_name);

    /// Records a batch appended to `p` (its summary as stored). A transaction marker
    /// (control batch) moves its producer to the marker's epoch.
    void record_append(const topic& t, const partition& p, const batch_summary& appended);

    /// Checks a transaction marker (WriteTxnMarkers) for `producer_id` as Kafka's
    /// ProducerAppendInfo.appendEndTxnMarker does: an epoch older than the producer's is
    /// INVALID_PRODUCER_EPOCH, a coordinator epoch older than the last marker's is
    /// TRANSACTION_COORDINATOR_FENCED. A producer without state is accepted.
    sequence_verdict check_marker(const topic& t, const partition& p, std::int64_t producer_id, std::int16_t epoch,
                                  std::int32_t coordinator_epoch, const std::string& partition_name);
    /// Records the coordinator epoch of a marker appended for `producer_id`, after
    /// record_append() of its batch.
    void record_marker(const topic& t, const partition& p, std::int64_t producer_id, std::int32_t coordinator_epoch);

    /// Forgets the producers of `p` whose last record is below `log_start_offset` (Kafka's
    /// onLogStartOffsetIncremented after DeleteRecords or retention).
    void forget_below(const topic& t, const partition& p, std::int64_t log_start_offset);

    /// One producer of a partition as DescribeProducers reports it.
    struct active_producer {
        std::int64_t producer_id = -1;
        std::int16_t epoch = -1;
        std::int32_t last_sequence = -1;
        std::int64_t last_timestamp = -1; ///< the max timestamp of its last batch
        std::int32_t coordinator_epoch = -1; ///< of its last transaction marker; -1 without
    };
    /// The producers `p` has state of, by producer id.
    [[nodiscard]] std::vector<active_producer> producers_of(const topic& t, const partition& p);

    /// The last sequence `producer_id` wrote to `p`, or -1 (tests and diagnostics).
    [[nodiscard]] std::int32_t last_sequence(const topic& t, const partition& p, std::int64_t producer_id);

private:
    struct producer_entry {
        std::int16_t epoch = -1;
        std::int32_t last_sequence = -1;
        std::int64_t last_offset = -1;
        std::int64_t last_timestamp = -1;
        /// Of the last marker written for it since the broker started (Kafka keeps it in
        /// its producer snapshots; this broker does not, so a restart forgets it).
        std::int32_t coordinator_epoch = -1;
        std::deque<producer_batch> batches; ///< oldest first, at most batches_retained
    };
    struct partition_state {
        std::map<std::int64_t, producer_entry> producers;
    };
    using partition_key = std::pair<std::array<std::uint8_t, 16>, std::int32_t>;

    /// The partition's state, rebuilt from the log's batch summaries on first use (after a
    /// restart, the log is all there is), with producers below the log start dropped.
    partition_state& state_of(const topic& t, const partition& p);
    static void apply(producer_entry& entry, const batch_summary& appended);

    broker_state& state_;
    std::map<partition_key, partition_state> partitions_;
};

} // namespace kafkit::broker
