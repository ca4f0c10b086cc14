#pragma once
// kafkit::producer: the asynchronous Kafka producer.
//
//   kafkit::producer producer({{"bootstrap.servers", "localhost:9092"}, {"linger.ms", "5"}});
//   producer.send({.topic = "orders", .key = "k1", .value = "hello"},
//                 [](std::error_code ec, const kafkit::record_metadata& md) { ... });
//   auto future = producer.send({.topic = "orders", .value = "world"});
//   producer.flush(std::chrono::seconds(10));
//
// Records are serialized into their partition's open batch inside send(); batches are
// sealed by linger.ms, batch.size or batch.num.messages, compressed and sent to their
// partitions' leaders, several partitions per Produce request. Every record accepted by
// send() gets exactly one delivery outcome: its callback or future completes once, with its
// metadata or with the error that stopped it (a Kafka error, timed_out after
// delivery.timeout.ms, purged, closed).

#include "kafkit/config.hpp"
#include "kafkit/producer_record.hpp"
#include "kafkit/producer_stats.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <system_error>

namespace kafkit {

namespace detail {
class producer_engine;
}

/// Receives a record's delivery outcome: an empty error_code and where it was written, or
/// the error (then only metadata.topic and .partition, when known, are meaningful).
/// It runs on the producer's I/O thread (callback.dispatch=io_thread, the default) or
/// inside poll() (callback.dispatch=poll). It must not throw; an exception is caught,
/// logged and counted in stats().callback_exceptions. Blocking calls of the producer
/// (flush, close, a send that would wait for memory) fail at once with
/// errc::invalid_state when made from a callback on the I/O thread.
using delivery_callback = std::function<void(std::error_code error, const record_metadata& metadata)>;

/// What purge() drops.
enum class purge_scope {
    queued,            ///< records not yet sent to a broker
    queued_and_in_flight, ///< also those sent and not answered yet (their answers are ignored)
};

/// The Kafka producer. Thread-safe: any number of threads may call send() at once.
/// Not copyable or movable; owns an I/O thread (io.threads) for its connections.
class producer {
public:
    /// Validates `cfg` (see docs/configuration.md) and starts the I/O thread; connecting
    /// happens in the background. Throws kafkit::exception (errc::invalid_config) naming the
    /// first property that is unknown, malformed, out of range or in conflict.
    explicit producer(const config& cfg);
    /// close() with a 30 s bound; records still undelivered then fail with errc::closed.
    ~producer();
    producer(const producer&) = delete;
    producer& operator=(const producer&) = delete;

    /// Serializes `record` into its partition's batch and returns at once; `callback` later
    /// gets its outcome. Returns an error, and never calls `callback`, when the record is
    /// not accepted: errc::queue_full when buffer.memory or queue.buffering.max.messages
    /// stay full for max.block.ms (0: at once), kafka_errc::message_too_large when the
    /// record alone exceeds max.request.size, kafka_errc::unknown_topic_or_partition when
    /// the partition given does not exist, errc::closed after close(), errc::invalid_state
    /// when it would block inside a callback.
    std::error_code send(const producer_record& record, delivery_callback callback);

    /// As above, with the outcome in a future: get() returns the metadata or throws
    /// kafkit::exception with the error (also for a record that was not accepted).
    std::future<record_metadata> send(const producer_record& record);

    /// Sends every batch at once (ignoring linger.ms) and waits until every record accepted
    /// so far has its outcome, or `timeout` passes. Returns errc::timed_out if records are
    /// still outstanding then (they stay queued), errc::invalid_state from a callback.
    std::error_code flush(std::chrono::milliseconds timeout);

    /// Fails records with errc::purged: those queued, or also those in flight.
    void purge(purge_scope scope);

    /// Runs the delivery callbacks that are due (callback.dispatch=poll), waiting up to
    /// `timeout` for the first. Returns how many ran; always 0 in io_thread mode.
    std::size_t poll(std::chrono::milliseconds timeout);

    /// Stops accepting records, delivers what is queued within `timeout` (flush), then
    /// fails the rest with errc::closed and stops the I/O thread. Idempotent. Returns
    /// errc::timed_out when records had to be failed.
    std::error_code close(std::chrono::milliseconds timeout);

    /// Records accepted and still without an outcome (librdkafka's rd_kafka_outq_len).
    [[nodiscard]] std::size_t in_flight_count() const;

    /// A snapshot of the producer's counters (also sent as JSON to the stats sink every
    /// statistics.interval.ms).
    [[nodiscard]] producer_stats stats() const;

private:
    std::shared_ptr<detail::producer_engine> engine_;
};

} // namespace kafkit
