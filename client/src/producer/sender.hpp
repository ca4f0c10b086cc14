#pragma once
// The producer's I/O-thread half: takes sealed batches (and open ones whose linger.ms has
// passed) from the accumulator, groups them by leader into Produce requests (one batch per
// partition per request, up to max.request.size), and handles the answers: offsets to the
// delivery reporter, retriable errors back into the queue in sequence order with
// retry.backoff.ms, metadata refreshes for leader errors, delivery.timeout.ms expiry.
// With idempotence it owns the producer id: InitProducerId, sequence numbers, and the
// epoch bump (KIP-360) that resets sequences after a gap.

#include "config/client_settings.hpp"
#include "kafkit/producer_stats.hpp"
#include "net/cluster_client.hpp"
#include "producer/delivery_reporter.hpp"
#include "producer/record_accumulator.hpp"
#include "util/latency_histogram.hpp"
#include "util/logger.hpp"

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <vector>

namespace kafkit::protocol {
struct produce_response;
}

namespace kafkit::detail {

struct produce_context;

class sender {
public:
    sender(asio::io_context& io, const producer_settings& settings, cluster_client& cluster,
           record_accumulator& accumulator, delivery_reporter& reporter, logger log);

    /// I/O thread: subscribes to metadata and connection changes and starts.
    void start();
    /// Thread-safe and cheap: asks for a pass over the queues (coalesced).
    void wake();
    /// While flushing, linger.ms is ignored. Thread-safe.
    void set_flushing(bool flushing) { flushing_.fetch_add(flushing ? 1 : -1); wake(); }
    /// I/O thread: fails queued records (and in-flight ones with that scope) with `error`.
    void fail_queued(std::error_code error, bool in_flight_too);
    /// I/O thread: stops sending (close).
    void stop() { stopped_ = true; }
    /// I/O thread: a snapshot of the counters.
    void fill_stats(producer_stats& stats);

private:

    void run();
    void place_pending();
    void drain(clock_type::time_point now, clock_type::time_point& next_wake);
    void send_request(std::int32_t node, std::vector<std::unique_ptr<producer_batch>> batches);
    void on_produce_response(const std::shared_ptr<produce_context>& ctx, std::error_code error,
                             const protocol::produce_response* response);
    void handle_batch_result(std::unique_ptr<producer_batch> batch, std::error_code error, std::int64_t base_offset,
                             std::int64_t log_append_time, std::int32_t leader_hint, std::int32_t epoch_hint);
    void retry_or_fail(std::unique_ptr<producer_batch> batch, std::error_code error);
    void requeue(std::unique_ptr<producer_batch> batch);
    void fail_batch(producer_batch& batch, std::error_code error);
    void expire(clock_type::time_point now, clock_type::time_point& next_wake);
    bool stamp(producer_batch& batch, partition_queue& queue);
    partition_queue& queue_of(const producer_batch& batch);
    /// "topic-partition" for log lines.
    static std::string b_name(const producer_batch& batch);
    [[nodiscard]] bool expired(const producer_batch& batch, clock_type::time_point now) const {
        return now - batch.created >= settings_.delivery_timeout;
    }

    // Idempotence (sender_idempotence.cpp).
    [[nodiscard]] bool producer_id_ready();
    void request_producer_id();
    void on_producer_id(std::error_code error, std::int64_t id, std::int16_t epoch);
    void begin_sequence_reset(const std::string& why);
    [[nodiscard]] std::int32_t total_in_flight() const;

    asio::io_context& io_;
    const producer_settings& settings_;
    cluster_client& cluster_;
    record_accumulator& accumulator_;
    delivery_reporter& reporter_;
    logger log_;
    asio::steady_timer timer_;
    clock_type::time_point timer_at_ = clock_type::time_point::max();
    std::atomic<bool> wake_pending_{false};
    std::atomic<int> flushing_{0};
    bool stopped_ = false;
    std::vector<std::shared_ptr<produce_context>> in_flight_requests_;
    std::vector<topic_state*> topics_; ///< the accumulator's topics, taken once per run()
    clock_type::time_point expire_at_{}; ///< no batch or pending record is due before this

    // Idempotence.
    bool idempotent_;
    std::int64_t producer_id_ = -1;
    std::int16_t producer_epoch_ = -1;
    bool id_requested_ = false;
    bool reset_pending_ = false;
    std::uint32_t id_failures_ = 0;
    clock_type::time_point id_retry_at_{};
    std::error_code fatal_;

    std::map<std::int32_t, latency_histogram> latency_by_node_;
};

} // namespace kafkit::detail
