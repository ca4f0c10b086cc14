#pragma once
// buffer.memory and queue.buffering.max.messages: what the producer may hold for records
// not yet delivered. send() reserves a record's size here and waits (max.block.ms) or
// fails with queue_full when the pool is full; each batch gives its share back once every
// record in it has an outcome. Nothing is dropped: a full pool is backpressure.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <system_error>

namespace kafkit::detail {

class memory_pool {
public:
    memory_pool(std::int64_t max_bytes, std::int64_t max_records) noexcept
        : max_bytes_(max_bytes), max_records_(max_records) {}

    /// Takes `bytes` and one record. A record larger than the whole pool is still let in
    /// when the pool is empty (it could never fit otherwise). Waits up to `max_block` for
    /// room; errc::queue_full when there is none by then (at once when `max_block` is 0),
    /// errc::closed when the pool is closed meanwhile.
    std::error_code reserve(std::int64_t bytes, std::chrono::milliseconds max_block);

    /// Gives back `bytes` and `records`, waking senders that wait for room.
    void release(std::int64_t bytes, std::int64_t records) noexcept;

    /// Fails current and future waits with errc::closed.
    void close() noexcept;

    [[nodiscard]] std::int64_t bytes_used() const noexcept { return bytes_.load(std::memory_order_relaxed); }
    [[nodiscard]] std::int64_t records_used() const noexcept { return records_.load(std::memory_order_relaxed); }

private:
    bool try_reserve(std::int64_t bytes) noexcept;

    const std::int64_t max_bytes_;
    const std::int64_t max_records_;
    std::atomic<std::int64_t> bytes_{0};
    std::atomic<std::int64_t> records_{0};
    std::atomic<int> waiters_{0};
    std::atomic<bool> closed_{false};
    std::mutex mutex_;
    std::condition_variable room_;
};

} // namespace kafkit::detail
