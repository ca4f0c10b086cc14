// The sender's answer side: per-partition outcomes of Produce requests, retries in
// sequence order, and the errors that need new metadata.
#include "producer/sender.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/produce.hpp"
#include "net/backoff.hpp"
#include "producer/produce_context.hpp"

#include <algorithm>

namespace kafkit::detail {
namespace {

/// Errors after which the client's idea of the partition's leader is wrong.
bool is_leader_error(std::error_code ec) noexcept {
    if (ec.category() != kafka_category()) return false;
    switch (static_cast<kafka_errc>(ec.value())) {
    case kafka_errc::not_leader_or_follower:
    case kafka_errc::leader_not_available:
    case kafka_errc::unknown_topic_or_partition:
    case kafka_errc::fenced_leader_epoch:
    case kafka_errc::unknown_leader_epoch:
    case kafka_errc::kafka_storage_error:
    case kafka_errc::broker_not_available: return true;
    default: return false;
    }
}

} // namespace

void sender::on_produce_response(const std::shared_ptr<produce_context>& ctx, std::error_code error,
                                 const protocol::produce_response* response) {
    in_flight_requests_.erase(std::remove(in_flight_requests_.begin(), in_flight_requests_.end(), ctx),
                              in_flight_requests_.end());
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - ctx->sent_at);
    if (!error) latency_by_node_[ctx->node].record(elapsed.count());
    if (error) {
        // The connection failed or timed out: every batch may or may not have been written;
        // idempotence makes the retry safe, and the connection error calls for new metadata.
        cluster_.request_metadata_update();
        for (auto& b : ctx->batches) handle_batch_result(std::move(b), error, -1, -1, -1, -1);
        wake();
        return;
    }
    for (auto& b : ctx->batches) {
        if (response == nullptr) { // acks=0: written, nothing more is known
            handle_batch_result(std::move(b), {}, -1, -1, -1, -1);
            continue;
        }
        const protocol::produce_response::partition_produce_response* found = nullptr;
        for (const auto& t : response->responses) {
            if (t.name != b->topic->name) continue;
            for (const auto& p : t.partition_responses)
                if (p.index == b->partition) found = &p;
        }
        if (found == nullptr) {
            log_.warning("producer", "the Produce response has no answer for " + b->topic->name + "-" +
                                         std::to_string(b->partition));
            handle_batch_result(std::move(b), make_error_code(kafka_errc::network_exception), -1, -1, -1, -1);
            continue;
        }
        handle_batch_result(std::move(b), make_error_code(static_cast<kafka_errc>(found->error_code)),
                            found->base_offset, found->log_append_time_ms, found->current_leader.leader_id,
                            found->current_leader.leader_epoch);
    }
    wake();
}

void sender::handle_batch_result(std::unique_ptr<producer_batch> batch, std::error_code error,
                                 std::int64_t base_offset, std::int64_t log_append_time, std::int32_t leader_hint,
                                 std::int32_t epoch_hint) {
    auto& q = queue_of(*batch);
    --q.in_flight;
    const bool duplicate = error == kafka_errc::duplicate_sequence_number;
    if (batch->entries.empty()) { // purged while in flight
        if (error && !duplicate) begin_sequence_reset("a purged batch failed");
        return;
    }
    if (!error || duplicate) {
        if (idempotent_) {
            const auto end = static_cast<std::int64_t>(batch->base_sequence) + batch->record_count();
            q.acked_sequence = static_cast<std::int32_t>(end % (std::int64_t{INT32_MAX} + 1));
        }
        ++q.batches_sent;
        q.records_sent += batch->record_count();
        q.bytes_sent += static_cast<std::int64_t>(batch->bytes.size());
        // A duplicate was written before; Kafka does not say where (DUPLICATE_SEQUENCE_NUMBER).
        reporter_.complete(*batch, {}, duplicate ? -1 : base_offset, log_append_time);
        accumulator_.recycle(*batch);
        return;
    }
    if (idempotent_ && error == kafka_errc::out_of_order_sequence_number && batch->base_sequence != q.acked_sequence) {
        // An earlier batch of this partition failed and will be sent again first; this
        // one follows it. Not an attempt of its own.
        --batch->attempts;
        batch->last_error = error;
        requeue(std::move(batch));
        return;
    }
    if (idempotent_ && (error == kafka_errc::out_of_order_sequence_number || error == kafka_errc::unknown_producer_id)) {
        // The broker lost track of this producer's sequence (KIP-360): bump the epoch and
        // send everything unanswered again from sequence 0.
        begin_sequence_reset(b_name(*batch) + ": " + error.message());
        batch->last_error = error;
        requeue(std::move(batch));
        return;
    }
    if (is_leader_error(error)) {
        if (leader_hint < 0 || !cluster_.metadata().update_leader(batch->topic->name, batch->partition, leader_hint,
                                                                  epoch_hint))
            cluster_.metadata().invalidate_leader(batch->topic->name, batch->partition);
        cluster_.request_metadata_update();
    }
    retry_or_fail(std::move(batch), error);
}

std::string sender::b_name(const producer_batch& batch) {
    return batch.topic->name + "-" + std::to_string(batch.partition);
}

void sender::retry_or_fail(std::unique_ptr<producer_batch> batch, std::error_code error) {
    const auto now = clock_type::now();
    batch->last_error = error;
    if (!is_retriable(error) || batch->attempts > settings_.retries) {
        fail_batch(*batch, error);
        return;
    }
    if (expired(*batch, now)) {
        fail_batch(*batch, make_error_code(errc::timed_out));
        return;
    }
    auto& q = queue_of(*batch);
    ++q.retries;
    const exponential_backoff backoff(settings_.client.retry_backoff, settings_.client.retry_backoff_max);
    batch->retry_at = now + backoff.delay(static_cast<std::uint32_t>(std::max(0, batch->attempts - 1)));
    log_.debug("producer", "retrying " + b_name(*batch) + " (attempt " + std::to_string(batch->attempts + 1) +
                               ") after " + error.message());
    requeue(std::move(batch));
}

void sender::requeue(std::unique_ptr<producer_batch> batch) {
    auto& q = queue_of(*batch);
    std::lock_guard lock(q.mutex);
    q.queued_records += batch->record_count();
    q.queued_bytes += batch->reserved_bytes;
    // Batches that were sent keep their sequence order at the front; new ones follow.
    expire_at_ = std::min(expire_at_, batch->created + settings_.delivery_timeout);
    const auto seq = batch->base_sequence;
    auto pos = q.ready.begin();
    if (idempotent_ && seq >= 0) {
        while (pos != q.ready.end() && (*pos)->base_sequence >= 0 && (*pos)->base_sequence < seq) ++pos;
    } else {
        while (pos != q.ready.end() && (*pos)->attempts > 0 && (*pos)->created <= batch->created) ++pos;
    }
    q.ready.insert(pos, std::move(batch));
}

void sender::fail_batch(producer_batch& batch, std::error_code error) {
    auto& q = queue_of(batch);
    q.errors += batch.record_count();
    log_.warning("producer", std::to_string(batch.record_count()) + " record(s) to " + b_name(batch) +
                                 " failed: " + error.message());
    reporter_.complete(batch, error, -1, -1);
    accumulator_.recycle(batch);
    // A batch that was sent may have been written: its sequence range is now unknown to
    // the broker's bookkeeping, so the next batches would be out of order.
    if (idempotent_ && batch.base_sequence >= 0) begin_sequence_reset("a sent batch failed");
}

} // namespace kafkit::detail
