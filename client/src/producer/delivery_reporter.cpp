#include "producer/delivery_reporter.hpp"

#include "kafkit/exception.hpp"
#include "producer/record_accumulator.hpp"

namespace kafkit::detail {

void delivery_reporter::complete(producer_batch& batch, std::error_code error, std::int64_t base_offset,
                                 std::int64_t log_append_time) {
    record_metadata metadata;
    metadata.topic = batch.topic->name;
    metadata.partition = partition_id(batch.partition);
    const auto count = static_cast<std::int64_t>(batch.entries.size());
    for (std::size_t i = 0; i < batch.entries.size(); ++i) {
        auto& entry = batch.entries[i];
        metadata.offset = record_offset(base_offset < 0 ? -1 : base_offset + static_cast<std::int64_t>(i));
        metadata.timestamp_ms = log_append_time >= 0 ? log_append_time : entry.timestamp_ms;
        metadata.serialized_key_size = entry.key_size;
        metadata.serialized_value_size = entry.value_size;
        deliver(entry.target, error, metadata);
    }
    (error ? failed_ : delivered_).fetch_add(count, std::memory_order_relaxed);
    memory_.release(batch.reserved_bytes, count);
    batch.reserved_bytes = 0;
    batch.entries.clear();
    finished(count);
}

void delivery_reporter::complete_one(delivery_target& target, std::string_view topic, std::int32_t partition,
                                     std::error_code error, std::int64_t reserved_bytes) {
    record_metadata metadata;
    metadata.topic = topic;
    metadata.partition = partition_id(partition);
    deliver(target, error, metadata);
    (error ? failed_ : delivered_).fetch_add(1, std::memory_order_relaxed);
    memory_.release(reserved_bytes, 1);
    finished(1);
}

void delivery_reporter::refuse(std::int64_t reserved_bytes) noexcept {
    memory_.release(reserved_bytes, 1);
    finished(1);
}

void delivery_reporter::deliver(delivery_target& target, std::error_code error, const record_metadata& metadata) {
    if (dispatch_ == callback_dispatch::poll && std::holds_alternative<delivery_callback>(target)) {
        std::lock_guard lock(mutex_);
        queue_.push_back({std::move(target), error, metadata});
        changed_.notify_all();
        return;
    }
    run(target, error, metadata);
}

void delivery_reporter::run(delivery_target& target, std::error_code error, const record_metadata& metadata) noexcept {
    if (auto* promise = std::get_if<std::promise<record_metadata>>(&target)) {
        try {
            if (error)
                promise->set_exception(std::make_exception_ptr(
                    kafkit::exception(error, "delivery to " + std::string(metadata.topic))));
            else promise->set_value(metadata);
        } catch (...) { // NOLINT(bugprone-empty-catch): a promise already satisfied cannot happen here
        }
        return;
    }
    auto& callback = std::get<delivery_callback>(target);
    if (!callback) return;
    try {
        callback(error, metadata);
    } catch (const std::exception& e) {
        callback_exceptions_.fetch_add(1);
        log_.error("producer", std::string("a delivery callback threw: ") + e.what());
    } catch (...) {
        callback_exceptions_.fetch_add(1);
        log_.error("producer", "a delivery callback threw");
    }
}

void delivery_reporter::finished(std::int64_t records) noexcept {
    if (outstanding_.fetch_sub(records, std::memory_order_acq_rel) == records) {
        std::lock_guard lock(mutex_);
        changed_.notify_all();
    }
}

std::size_t delivery_reporter::poll(std::chrono::milliseconds timeout) {
    std::deque<queued_outcome> ready;
    {
        std::unique_lock lock(mutex_);
        if (queue_.empty() && timeout.count() > 0)
            changed_.wait_for(lock, timeout, [this] { return !queue_.empty(); });
        ready.swap(queue_);
    }
    for (auto& o : ready) run(o.target, o.error, o.metadata);
    return ready.size();
}

bool delivery_reporter::wait_idle(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        if (dispatch_ == callback_dispatch::poll) poll(std::chrono::milliseconds(0));
        std::unique_lock lock(mutex_);
        const bool callbacks_waiting = dispatch_ == callback_dispatch::poll && !queue_.empty();
        if (outstanding() == 0 && !callbacks_waiting) return true;
        if (callbacks_waiting) continue;
        if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) {
            lock.unlock();
            if (dispatch_ == callback_dispatch::poll) poll(std::chrono::milliseconds(0));
            return outstanding() == 0;
        }
    }
}

} // namespace kafkit::detail
