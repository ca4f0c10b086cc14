// The sender's drain side: pending records placed once metadata arrives, batches taken
// from the accumulator and grouped into Produce requests per leader, expiry by
// delivery.timeout.ms. Responses are handled in sender_response.cpp, the producer id in
// sender_idempotence.cpp.
#include "producer/sender.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/produce.hpp"
#include "producer/produce_context.hpp"

#include <asio/post.hpp>

#include <algorithm>

namespace kafkit::detail {
namespace {
/// Record batches of at least this size go to the socket from their own buffers; smaller
/// ones are cheaper to copy than to give their own piece of a vectored write.
constexpr std::size_t gather_batches_from = 4096;
} // namespace

sender::sender(asio::io_context& io, const producer_settings& settings, cluster_client& cluster,
               record_accumulator& accumulator, delivery_reporter& reporter, logger log)
    : io_(io), settings_(settings), cluster_(cluster), accumulator_(accumulator), reporter_(reporter),
      log_(std::move(log)), timer_(io), idempotent_(settings.enable_idempotence) {}

void sender::start() {
    cluster_.on_metadata([this] { wake(); });
    cluster_.on_connection_change([this](std::int32_t, bool) { wake(); });
    wake();
}

void sender::wake() {
    if (wake_pending_.exchange(true, std::memory_order_acq_rel)) return;
    asio::post(io_, [this] { run(); });
}

void sender::run() {
    wake_pending_.store(false, std::memory_order_release);
    if (stopped_) return;
    if (fatal_) {
        fail_queued(fatal_, false);
        return;
    }
    accumulator_.topics(topics_); // one snapshot for the whole pass
    place_pending();
    const auto now = clock_type::now();
    if (now >= expire_at_) {
        // Nothing can expire before expire_at_: it is the earliest deadline seen, and
        // anything newer is due after now + delivery.timeout.ms (requeue() lowers it for
        // retried batches, which keep their creation time).
        expire_at_ = now + settings_.delivery_timeout;
        expire(now, expire_at_);
    }
    auto next_wake = expire_at_;
    if (producer_id_ready()) drain(now, next_wake);
    else if (idempotent_ && !id_requested_ && id_retry_at_ > now) next_wake = std::min(next_wake, id_retry_at_);

    if (next_wake != timer_at_ || next_wake <= now) {
        timer_at_ = next_wake;
        if (next_wake == clock_type::time_point::max()) {
            timer_.cancel();
            return;
        }
        timer_.expires_at(next_wake);
        timer_.async_wait([this](std::error_code ec) {
            if (ec) return;
            timer_at_ = clock_type::time_point::max();
            run();
        });
    }
}

void sender::place_pending() {
    for (auto* topic : topics_) {
        const auto* info = cluster_.metadata().topic(topic->name);
        if (info == nullptr || info->partitions.empty()) {
            if (topic->partition_count.load() == 0) cluster_.add_topics({topic->name});
            continue;
        }
        const auto known = static_cast<std::int32_t>(info->partitions.size());
        if (known <= topic->partition_count.load() && !topic->has_pending.load()) continue;
        for (auto& refused : accumulator_.set_partition_count(*topic, std::max(known, topic->partition_count.load())))
            reporter_.complete_one(refused.target, topic->name, refused.partition.value_or(-1),
                                   kafka_errc::unknown_topic_or_partition, refused.reserved_bytes);
    }
}

bool sender::stamp(producer_batch& batch, partition_queue& queue) {
    if (!idempotent_) return true;
    if (batch.base_sequence < 0) {
        batch.base_sequence = queue.next_sequence;
        // Sequences wrap to 0 after INT32_MAX (Kafka's DefaultRecordBatch.incrementSequence).
        const auto next = static_cast<std::int64_t>(queue.next_sequence) + batch.record_count();
        queue.next_sequence = static_cast<std::int32_t>(next % (std::int64_t{INT32_MAX} + 1));
    }
    if (batch.stamped_producer_id == producer_id_ && batch.stamped_epoch == producer_epoch_ &&
        batch.stamped_sequence == batch.base_sequence)
        return true;
    if (!protocol::rewrite_producer_state(batch.bytes, producer_id_, producer_epoch_, batch.base_sequence)) return false;
    batch.stamped_producer_id = producer_id_;
    batch.stamped_epoch = producer_epoch_;
    batch.stamped_sequence = batch.base_sequence;
    return true;
}

partition_queue& sender::queue_of(const producer_batch& batch) {
    return *batch.topic->partitions[static_cast<std::size_t>(batch.partition)];
}

void sender::drain(clock_type::time_point now, clock_type::time_point& next_wake) {
    struct node_request {
        std::vector<std::unique_ptr<producer_batch>> batches;
        std::int64_t bytes = 0;
    };
    std::map<std::int32_t, node_request> requests;
    std::vector<std::pair<topic_state*, std::int32_t>> sealed_by_linger;
    std::vector<std::unique_ptr<producer_batch>> unsealable;
    const bool flushing = flushing_.load() > 0;
    // Each pass puts at most one batch per partition in a request; a partition with more
    // ready batches gets another pass (another request) while its leader has room.
    for (int pass = 0; pass < settings_.client.max_in_flight_requests_per_connection; ++pass) {
        bool more = false;
        for (auto* topic : topics_) {
            const auto count = topic->partition_count.load();
            if (count == 0) continue;
            const auto* info = cluster_.metadata().topic(topic->name);
            for (std::int32_t p = 0; p < count; ++p) {
                auto& q = *topic->partitions[static_cast<std::size_t>(p)];
                const std::int32_t leader = info != nullptr && static_cast<std::size_t>(p) < info->partitions.size()
                                                ? info->partitions[static_cast<std::size_t>(p)].leader
                                                : -1;
                std::unique_ptr<producer_batch> batch;
                {
                    std::lock_guard lock(q.mutex);
                    if (q.open) {
                        if (flushing || now - q.open->created >= settings_.linger) {
                            accumulator_.seal_locked(*topic, p, q);
                            sealed_by_linger.emplace_back(topic, p);
                        } else {
                            next_wake = std::min(next_wake, q.open->created + settings_.linger);
                        }
                    }
                    if (!record_accumulator::head_sendable(q)) continue;
                    auto& head = *q.ready.front();
                    if (head.bytes.empty()) { // sealing failed (compression)
                        unsealable.push_back(std::move(q.ready.front()));
                        q.ready.pop_front();
                        continue;
                    }
                    if (leader < 0) {
                        cluster_.request_metadata_update();
                        continue;
                    }
                    if (head.retry_at > now) {
                        next_wake = std::min(next_wake, head.retry_at);
                        continue;
                    }
                    // Idempotence: at most 5 batches in flight per partition, and a retried
                    // batch goes alone once everything before it is answered, so the broker
                    // sees the sequences in order.
                    if (idempotent_ && (q.in_flight >= 5 || (head.base_sequence >= 0 && q.in_flight > 0))) continue;
                    // max.in.flight.requests.per.connection=1 promises order (the Java client's
                    // guaranteeMessageOrder): one batch per partition in flight on any
                    // connection, so none overtakes a batch still held by an old leader.
                    if (settings_.client.max_in_flight_requests_per_connection == 1 && q.in_flight > 0)
                        continue;
                    auto conn = cluster_.connection(leader);
                    if (!conn) {
                        cluster_.request_metadata_update();
                        continue;
                    }
                    if (!conn->is_ready()) {
                        conn->connect(); // the connection listener wakes us when it is up
                        continue;
                    }
                    auto& request = requests[leader];
                    const bool node_busy = !conn->has_capacity();
                    const auto size = static_cast<std::int64_t>(head.bytes.size());
                    if (node_busy || (!request.batches.empty() && request.bytes + size > settings_.max_request_size))
                        continue;
                    batch = std::move(q.ready.front());
                    q.ready.pop_front();
                    q.queued_records -= batch->record_count();
                    q.queued_bytes -= batch->reserved_bytes;
                    request.bytes += size;
                }
                if (!stamp(*batch, q)) {
                    fail_batch(*batch, make_error_code(errc::malformed_frame));
                    continue;
                }
                ++q.in_flight;
                requests[leader].batches.push_back(std::move(batch));
                more = true;
            }
        }
        for (auto& [node, request] : requests)
            if (!request.batches.empty()) send_request(node, std::move(request.batches));
        requests.clear();
        if (!more) break;
    }
    for (const auto& [topic, p] : sealed_by_linger) accumulator_.notify_new_batch(*topic, p);
    for (auto& b : unsealable) fail_batch(*b, b->last_error);
}

void sender::send_request(std::int32_t node, std::vector<std::unique_ptr<producer_batch>> batches) {
    auto conn = cluster_.connection(node);
    auto ctx = std::make_shared<produce_context>();
    ctx->node = node;
    ctx->batches = std::move(batches);
    ctx->request.acks = static_cast<std::int16_t>(settings_.acks);
    ctx->request.timeout_ms = static_cast<std::int32_t>(settings_.client.request_timeout.count());
    for (auto& b : ctx->batches) {
        ++b->attempts;
        auto it = std::find_if(ctx->request.topic_data.begin(), ctx->request.topic_data.end(),
                               [&](const auto& t) { return t.name == b->topic->name; });
        if (it == ctx->request.topic_data.end()) {
            ctx->request.topic_data.emplace_back().name = b->topic->name;
            it = std::prev(ctx->request.topic_data.end());
        }
        auto& pd = it->partition_data.emplace_back();
        pd.index = b->partition;
        pd.records = protocol::bytes_view(b->bytes.data(), b->bytes.size());
    }
    ctx->sent_at = clock_type::now();
    in_flight_requests_.push_back(ctx);

    outbound_request out;
    out.api_key = protocol::produce_request::api_key;
    out.versions = client_versions(out.api_key);
    out.expects_response = settings_.acks != acks_mode::none;
    // The batches are written from where they are, not copied into the request (they stay
    // in ctx, which the response handler holds, until the answer).
    out.encode_body = [ctx](std::int16_t version, request_buffer& buffer) {
        return protocol::encode_gathered(ctx->request, version, buffer.bytes, buffer.gathered, gather_batches_from);
    };
    out.on_response = [this, ctx](std::error_code ec, std::int16_t version, protocol::bytes_view body) {
        if (ec || settings_.acks == acks_mode::none) {
            on_produce_response(ctx, ec, nullptr);
            return;
        }
        auto decoded = protocol::decode<protocol::produce_response>(body, version);
        if (!decoded) {
            on_produce_response(ctx, decoded.error(), nullptr);
            return;
        }
        on_produce_response(ctx, {}, &*decoded);
    };
    conn->send(std::move(out));
}

void sender::expire(clock_type::time_point now, clock_type::time_point& next_wake) {
    std::vector<std::unique_ptr<producer_batch>> expired_batches;
    for (auto* topic : topics_) {
        if (topic->has_pending.load()) {
            std::vector<pending_record> gone;
            {
                std::lock_guard lock(topic->pending_mutex);
                // Pending records are in the order they came: the expired ones are a prefix.
                auto& pending = topic->pending;
                auto first_alive = std::find_if(pending.begin(), pending.end(), [&](const pending_record& r) {
                    return now - r.created < settings_.delivery_timeout;
                });
                gone.assign(std::make_move_iterator(pending.begin()), std::make_move_iterator(first_alive));
                pending.erase(pending.begin(), first_alive);
                if (!pending.empty()) next_wake = std::min(next_wake, pending.front().created + settings_.delivery_timeout);
                topic->has_pending.store(!pending.empty());
            }
            // The topic's own metadata error says why better than a timeout does.
            const auto* info = cluster_.metadata().topic(topic->name);
            const std::error_code why = info != nullptr && info->error_code != 0
                                            ? make_error_code(static_cast<kafka_errc>(info->error_code))
                                            : make_error_code(errc::timed_out);
            for (auto& p : gone)
                reporter_.complete_one(p.target, topic->name, p.partition.value_or(-1), why, p.reserved_bytes);
        }
        const auto count = topic->partition_count.load();
        for (std::int32_t p = 0; p < count; ++p) {
            auto& q = *topic->partitions[static_cast<std::size_t>(p)];
            std::lock_guard lock(q.mutex);
            if (q.open) {
                if (expired(*q.open, now)) accumulator_.seal_locked(*topic, p, q);
                else next_wake = std::min(next_wake, q.open->created + settings_.delivery_timeout);
            }
            for (auto it = q.ready.begin(); it != q.ready.end();) {
                if (expired(**it, now)) {
                    q.queued_records -= (*it)->record_count();
                    q.queued_bytes -= (*it)->reserved_bytes;
                    expired_batches.push_back(std::move(*it));
                    it = q.ready.erase(it);
                } else {
                    next_wake = std::min(next_wake, (*it)->created + settings_.delivery_timeout);
                    ++it;
                }
            }
        }
    }
    for (auto& b : expired_batches) {
        log_.warning("producer", "expiring " + std::to_string(b->record_count()) + " record(s) of " + b->topic->name +
                                     "-" + std::to_string(b->partition) + ": delivery.timeout.ms passed" +
                                     (b->last_error ? " (last error: " + b->last_error.message() + ")" : ""));
        fail_batch(*b, make_error_code(errc::timed_out));
    }
}

void sender::fail_queued(std::error_code error, bool in_flight_too) {
    std::vector<std::unique_ptr<producer_batch>> failed;
    for (auto* topic : accumulator_.topics()) {
        std::vector<pending_record> pending;
        {
            std::lock_guard lock(topic->pending_mutex);
            pending.swap(topic->pending);
            topic->has_pending.store(false);
        }
        for (auto& p : pending)
            reporter_.complete_one(p.target, topic->name, p.partition.value_or(-1), error, p.reserved_bytes);
        const auto count = topic->partition_count.load();
        for (std::int32_t p = 0; p < count; ++p) {
            auto& q = *topic->partitions[static_cast<std::size_t>(p)];
            std::lock_guard lock(q.mutex);
            if (q.open) accumulator_.seal_locked(*topic, p, q);
            for (auto& b : q.ready) failed.push_back(std::move(b));
            q.ready.clear();
            q.queued_records = 0;
            q.queued_bytes = 0;
        }
    }
    for (auto& b : failed) fail_batch(*b, error);
    if (!in_flight_too || in_flight_requests_.empty()) return;
    // Their answers will find the batches empty and drop them.
    for (auto& ctx : in_flight_requests_)
        for (auto& b : ctx->batches)
            if (!b->entries.empty()) reporter_.complete(*b, error, -1, -1);
    begin_sequence_reset("records in flight were purged");
}

} // namespace kafkit::detail
