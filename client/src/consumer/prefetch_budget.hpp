#pragma once
// The consumer's one bound on fetched memory (queued.max.messages.kbytes): every fetch
// response's bytes are charged here from the moment they arrive until the last records
// polled from them are released (fetch_buffer's destructor). The fetcher sends no new
// fetch while the budget is spent; a release wakes it. Thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>

namespace kafkit::detail {

class prefetch_budget {
public:
    explicit prefetch_budget(std::int64_t max_bytes) noexcept : max_bytes_(max_bytes) {}

    /// Called (on the releasing thread) when bytes come back while the budget was spent.
    void on_released(std::function<void()> wake) {
        std::lock_guard lock(mutex_);
        wake_ = std::move(wake);
    }
    /// Stops the wake-ups (the I/O thread is going).
    void detach() {
        std::lock_guard lock(mutex_);
        wake_ = nullptr;
    }

    /// Wakes the fetcher for another reason than bytes coming back (partition_backlog).
    void wake() {
        std::lock_guard lock(mutex_);
        if (wake_) wake_();
    }

    void charge(std::int64_t bytes) noexcept { used_.fetch_add(bytes, std::memory_order_relaxed); }
    void release(std::int64_t bytes) {
        const auto before = used_.fetch_sub(bytes, std::memory_order_acq_rel);
        if (before >= max_bytes_ && before - bytes < max_bytes_) wake();
    }
    /// True while fetched data reaches the bound.
    [[nodiscard]] bool spent() const noexcept { return used_.load(std::memory_order_acquire) >= max_bytes_; }
    [[nodiscard]] std::int64_t used() const noexcept { return used_.load(std::memory_order_relaxed); }

private:
    const std::int64_t max_bytes_;
    std::atomic<std::int64_t> used_{0};
    std::mutex mutex_;
    std::function<void()> wake_;
};

} // namespace kafkit::detail
