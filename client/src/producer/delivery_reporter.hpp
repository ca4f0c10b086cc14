#pragma once
// Gives each record its one outcome: builds its record_metadata, runs its callback or
// fulfils its future, on the I/O thread or (callback.dispatch=poll) queued for poll().
// Gives the batch's memory back and counts what is still outstanding for flush().

#include "config/client_settings.hpp"
#include "producer/memory_pool.hpp"
#include "producer/producer_batch.hpp"
#include "util/logger.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <system_error>

namespace kafkit::detail {

class delivery_reporter {
public:
    delivery_reporter(callback_dispatch dispatch, memory_pool& memory, logger log)
        : dispatch_(dispatch), memory_(memory), log_(std::move(log)) {}

    /// A record was accepted by send(): one more outstanding.
    void accepted() noexcept { outstanding_.fetch_add(1, std::memory_order_relaxed); }

    /// Completes every record of `batch`: with `error`, or written at `base_offset` (-1
    /// when unknown: acks=0, duplicates) with the broker's `log_append_time` (-1: CreateTime).
    void complete(producer_batch& batch, std::error_code error, std::int64_t base_offset, std::int64_t log_append_time);

    /// Completes one record that never reached a batch (a pending record that failed).
    void complete_one(delivery_target& target, std::string_view topic, std::int32_t partition, std::error_code error,
                      std::int64_t reserved_bytes);

    /// The completion for a record send() refused after reserving memory (no callback runs).
    void refuse(std::int64_t reserved_bytes) noexcept;

    /// Runs queued callbacks (poll mode), waiting up to `timeout` for the first.
    std::size_t poll(std::chrono::milliseconds timeout);

    /// Waits until nothing is outstanding or `deadline`; false on timeout. In poll mode it
    /// runs the queued callbacks meanwhile (they are part of the outcome).
    bool wait_idle(std::chrono::steady_clock::time_point deadline);

    [[nodiscard]] std::int64_t outstanding() const noexcept { return outstanding_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::int64_t delivered() const noexcept { return delivered_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::int64_t failed() const noexcept { return failed_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::int64_t callback_exceptions() const noexcept { return callback_exceptions_.load(); }

private:
    struct queued_outcome {
        delivery_target target;
        std::error_code error;
        record_metadata metadata;
    };
    void deliver(delivery_target& target, std::error_code error, const record_metadata& metadata);
    void run(delivery_target& target, std::error_code error, const record_metadata& metadata) noexcept;
    void finished(std::int64_t records) noexcept;

    const callback_dispatch dispatch_;
    memory_pool& memory_;
    logger log_;
    std::atomic<std::int64_t> outstanding_{0};
    std::atomic<std::int64_t> delivered_{0};
    std::atomic<std::int64_t> failed_{0};
    std::atomic<std::int64_t> callback_exceptions_{0};

    std::mutex mutex_; // the poll queue, and idle waits
    std::condition_variable changed_;
    std::deque<queued_outcome> queue_;
};

} // namespace kafkit::detail
