#include "producer/memory_pool.hpp"

#include "kafkit/protocol/error.hpp"

namespace kafkit::detail {

bool memory_pool::try_reserve(std::int64_t bytes) noexcept {
    // Records first: a failed byte reservation gives its record slot back.
    auto records = records_.load(std::memory_order_relaxed);
    do {
        if (records >= max_records_) return false;
    } while (!records_.compare_exchange_weak(records, records + 1, std::memory_order_relaxed));
    auto used = bytes_.load(std::memory_order_relaxed);
    do {
        if (used > 0 && used + bytes > max_bytes_) {
            records_.fetch_sub(1, std::memory_order_relaxed);
            return false;
        }
    } while (!bytes_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
    return true;
}

std::error_code memory_pool::reserve(std::int64_t bytes, std::chrono::milliseconds max_block) {
    if (closed_.load(std::memory_order_relaxed)) return errc::closed;
    if (try_reserve(bytes)) return {};
    if (max_block.count() <= 0) return errc::queue_full;
    const auto deadline = std::chrono::steady_clock::now() + max_block;
    std::unique_lock lock(mutex_);
    waiters_.fetch_add(1);
    std::error_code outcome = errc::queue_full;
    // waiters_ is raised before the checks and release() notifies under mutex_, so a
    // release between a failed check and the wait is not missed.
    for (;;) {
        if (closed_.load()) {
            outcome = errc::closed;
            break;
        }
        if (try_reserve(bytes)) {
            outcome = {};
            break;
        }
        if (room_.wait_until(lock, deadline) == std::cv_status::timeout) {
            if (try_reserve(bytes)) outcome = {};
            break;
        }
    }
    waiters_.fetch_sub(1);
    return outcome;
}

void memory_pool::release(std::int64_t bytes, std::int64_t records) noexcept {
    bytes_.fetch_sub(bytes, std::memory_order_relaxed);
    records_.fetch_sub(records, std::memory_order_relaxed);
    if (waiters_.load() > 0) {
        std::lock_guard lock(mutex_);
        room_.notify_all();
    }
}

void memory_pool::close() noexcept {
    closed_.store(true);
    std::lock_guard lock(mutex_);
    room_.notify_all();
}

} // namespace kafkit::detail
