#include "producer/producer_engine.hpp"

#include "kafkit/protocol/kafka_error.hpp"

#include <algorithm>
#include <future>

namespace kafkit::detail {
namespace {

std::shared_ptr<partitioner> partitioner_for(const producer_settings& s) {
    if (s.custom_partitioner) return s.custom_partitioner;
    switch (s.partitioner) {
    case partitioner_name::random: return make_partitioner(partitioner_kind::random);
    case partitioner_name::consistent: return make_partitioner(partitioner_kind::consistent);
    case partitioner_name::consistent_random: return make_partitioner(partitioner_kind::consistent_random);
    case partitioner_name::murmur2: return make_partitioner(partitioner_kind::murmur2);
    case partitioner_name::murmur2_random: return make_partitioner(partitioner_kind::murmur2_random);
    case partitioner_name::fnv1a: return make_partitioner(partitioner_kind::fnv1a);
    case partitioner_name::fnv1a_random: return make_partitioner(partitioner_kind::fnv1a_random);
    }
    return make_partitioner(partitioner_kind::murmur2_random);
}

std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

producer_engine::producer_engine(producer_settings settings)
    : settings_(std::move(settings)), log_(settings_.client.log, settings_.client.log_level_min),
      memory_(settings_.buffer_memory, settings_.queue_buffering_max_messages),
      reporter_(settings_.dispatch, memory_, log_), cluster_(io_.context(), settings_.client, log_),
      accumulator_(settings_, partitioner_for(settings_), [this] { sender_.wake(); }),
      sender_(io_.context(), settings_, cluster_, accumulator_, reporter_, log_), stats_timer_(io_.context()) {
    run_on_io([this] {
        cluster_.start();
        sender_.start();
        schedule_stats();
    });
}

producer_engine::~producer_engine() {
    close(std::chrono::seconds(30));
}

template <class F>
void producer_engine::run_on_io(F&& fn) {
    io_.run_and_wait(std::forward<F>(fn));
}

std::error_code producer_engine::send(const producer_record& record, delivery_target target) {
    if (closing_.load(std::memory_order_acquire)) return errc::closed;
    if (record.topic.empty()) return kafka_errc::invalid_topic_exception;
    if (record.partition && record.partition->value() < 0) return kafka_errc::unknown_topic_or_partition;
    const auto size = estimated_record_size(record);
    if (size > settings_.max_request_size) return kafka_errc::message_too_large;

    // From a callback on the I/O thread a wait for memory could never end: fail instead.
    const bool on_io = io_.is_current();
    if (auto ec = memory_.reserve(size, on_io ? std::chrono::milliseconds(0) : settings_.max_block)) {
        if (ec == errc::queue_full && on_io && settings_.max_block.count() > 0) return errc::invalid_state;
        return ec;
    }
    reporter_.accepted();
    const auto timestamp = record.timestamp_ms.value_or(wall_clock_ms());

    bool created = false;
    auto& topic = accumulator_.topic(record.topic, created);
    auto count = topic.partition_count.load(std::memory_order_acquire);
    if (count == 0) {
        auto returned = accumulator_.add_pending(topic, record, timestamp, size, std::move(target));
        if (!returned) {
            sender_.wake();
            return {};
        }
        target = std::move(*returned); // metadata arrived meanwhile
        count = topic.partition_count.load(std::memory_order_acquire);
    }
    if (record.partition && record.partition->value() >= count) {
        reporter_.refuse(size);
        return kafka_errc::unknown_topic_or_partition;
    }
    const auto partition = record.partition ? record.partition->value() : accumulator_.choose_partition(topic, record);
    accumulator_.append(topic, partition, record, timestamp, size, std::move(target));
    return {};
}

std::error_code producer_engine::flush(std::chrono::milliseconds timeout) {
    if (io_.is_current()) return errc::invalid_state;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    sender_.set_flushing(true);
    const bool idle = reporter_.wait_idle(deadline);
    sender_.set_flushing(false);
    return idle ? std::error_code{} : make_error_code(errc::timed_out);
}

void producer_engine::purge(purge_scope scope) {
    run_on_io([this, scope] { sender_.fail_queued(errc::purged, scope == purge_scope::queued_and_in_flight); });
}

std::size_t producer_engine::poll(std::chrono::milliseconds timeout) {
    if (settings_.dispatch != callback_dispatch::poll) return 0;
    return reporter_.poll(timeout);
}

std::error_code producer_engine::close(std::chrono::milliseconds timeout) {
    if (io_.is_current()) return errc::invalid_state;
    std::lock_guard lock(close_mutex_);
    if (closed_) return close_result_;
    closing_.store(true, std::memory_order_release);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    close_result_ = flush(timeout);
    // acks=0 records count as delivered once written; the connections drain before they
    // close so that none of them is lost to a reset (broker_connection::shut_down_after_drain).
    const auto drain_deadline = std::min(deadline, std::chrono::steady_clock::now() + settings_.client.request_timeout);
    std::promise<void> closed;
    auto connections_closed = closed.get_future();
    run_on_io([&] {
        sender_.fail_queued(errc::closed, true);
        sender_.stop();
        stats_timer_.cancel();
        cluster_.shut_down(drain_deadline, [&closed] { closed.set_value(); });
    });
    connections_closed.wait_until(drain_deadline + std::chrono::milliseconds(100));
    memory_.close();
    if (settings_.dispatch == callback_dispatch::poll) reporter_.poll(std::chrono::milliseconds(0));
    io_.stop();
    closed_ = true;
    return close_result_;
}

std::size_t producer_engine::in_flight_count() const { return static_cast<std::size_t>(reporter_.outstanding()); }

producer_stats producer_engine::collect_stats() {
    producer_stats stats;
    stats.client_id = settings_.client.client_id;
    stats.time_ms = wall_clock_ms();
    stats.records_queued = reporter_.outstanding();
    stats.bytes_queued = memory_.bytes_used();
    stats.records_delivered = reporter_.delivered();
    stats.records_failed = reporter_.failed();
    stats.callback_exceptions = reporter_.callback_exceptions();
    sender_.fill_stats(stats);
    return stats;
}

producer_stats producer_engine::stats() {
    std::lock_guard lock(close_mutex_);
    if (closed_) {
        producer_stats stats;
        stats.client_id = settings_.client.client_id;
        stats.records_delivered = reporter_.delivered();
        stats.records_failed = reporter_.failed();
        return stats;
    }
    producer_stats out;
    run_on_io([this, &out] { out = collect_stats(); });
    return out;
}

void producer_engine::schedule_stats() {
    if (settings_.client.statistics_interval.count() <= 0 || !settings_.client.stats) return;
    stats_timer_.expires_after(settings_.client.statistics_interval);
    stats_timer_.async_wait([this](std::error_code ec) {
        if (ec || closing_.load()) return;
        try {
            settings_.client.stats(collect_stats().to_json());
        } catch (const std::exception& e) {
            log_.error("producer", std::string("the stats sink threw: ") + e.what());
        }
        schedule_stats();
    });
}

} // namespace kafkit::detail
