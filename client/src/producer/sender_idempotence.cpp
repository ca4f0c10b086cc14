// The idempotent producer's id: InitProducerId before the first batch, and the local
// epoch bump of KIP-360 after a sequence gap (the broker accepts a higher epoch starting
// at sequence 0), which Kafka's Java client and librdkafka also do for producers without
// a transactional.id.
#include "producer/sender.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/init_producer_id.hpp"
#include "net/backoff.hpp"

#include <limits>

namespace kafkit::detail {

std::int32_t sender::total_in_flight() const {
    std::int32_t total = 0;
    for (auto* topic : topics_) {
        const auto count = topic->partition_count.load();
        for (std::int32_t p = 0; p < count; ++p) total += topic->partitions[static_cast<std::size_t>(p)]->in_flight;
    }
    return total;
}

bool sender::producer_id_ready() {
    if (!idempotent_) return true;
    if (reset_pending_) {
        if (total_in_flight() > 0) return false; // wait for every answer first
        reset_pending_ = false;
        if (producer_id_ >= 0 && producer_epoch_ < std::numeric_limits<std::int16_t>::max()) {
            ++producer_epoch_;
            log_.info("producer", "producer id " + std::to_string(producer_id_) + ": epoch bumped to " +
                                      std::to_string(producer_epoch_) + ", sequences restart at 0");
        } else {
            producer_id_ = -1; // the epoch is exhausted: a new producer id
        }
        for (auto* topic : topics_) {
            const auto count = topic->partition_count.load();
            for (std::int32_t p = 0; p < count; ++p) {
                auto& q = *topic->partitions[static_cast<std::size_t>(p)];
                q.next_sequence = 0;
                q.acked_sequence = 0;
                std::lock_guard lock(q.mutex);
                for (auto& b : q.ready) b->base_sequence = -1; // numbered again, in queue order
            }
        }
    }
    if (producer_id_ >= 0) return true;
    if (!id_requested_ && clock_type::now() >= id_retry_at_) request_producer_id();
    return false;
}

void sender::request_producer_id() {
    id_requested_ = true;
    protocol::init_producer_id_request request;
    request.transactional_id = std::nullopt;
    request.transaction_timeout_ms = 60000;
    cluster_.send_to_any(make_request<protocol::init_producer_id_request, protocol::init_producer_id_response>(
        std::move(request), [this](std::error_code ec, protocol::init_producer_id_response response, std::int16_t) {
            if (!ec && response.error_code != 0) ec = make_error_code(static_cast<kafka_errc>(response.error_code));
            on_producer_id(ec, response.producer_id, response.producer_epoch);
        }));
}

void sender::on_producer_id(std::error_code error, std::int64_t id, std::int16_t epoch) {
    id_requested_ = false;
    if (stopped_) return;
    if (error) {
        if (!is_retriable(error) && error != errc::closed) {
            // E.g. CLUSTER_AUTHORIZATION_FAILED, or a broker without InitProducerId: the
            // records cannot be written idempotently, so they fail rather than go unprotected.
            log_.error("producer", "InitProducerId failed: " + error.message() + "; failing queued records");
            fatal_ = error;
            wake();
            return;
        }
        const exponential_backoff backoff(settings_.client.retry_backoff, settings_.client.retry_backoff_max);
        id_retry_at_ = clock_type::now() + backoff.delay(id_failures_++);
        log_.debug("producer", "InitProducerId failed (" + error.message() + "), retrying");
        wake();
        return;
    }
    id_failures_ = 0;
    producer_id_ = id;
    producer_epoch_ = epoch;
    log_.info("producer", "idempotent producer id " + std::to_string(id) + ", epoch " + std::to_string(epoch));
    wake();
}

void sender::begin_sequence_reset(const std::string& why) {
    if (!idempotent_ || reset_pending_) return;
    reset_pending_ = true;
    log_.warning("producer", "resetting idempotent sequences: " + why);
}

} // namespace kafkit::detail
