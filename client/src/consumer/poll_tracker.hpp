#pragma once
// When the application last polled, for max.poll.interval.ms: written by the application's
// thread as it enters and leaves poll(), read on the I/O thread. Time inside poll() (the
// rebalance listener included) counts as polling.

#include <algorithm>
#include <atomic>
#include <chrono>

namespace kafkit::detail {

class poll_tracker {
public:
    using clock_type = std::chrono::steady_clock;

    poll_tracker() noexcept { note(false); }

    /// The application entered (`inside`) or left poll(); any thread.
    void note(bool inside) noexcept {
        last_.store(clock_type::now().time_since_epoch().count(), std::memory_order_relaxed);
        inside_.store(inside, std::memory_order_relaxed);
    }

    /// How long until `limit` has passed without a poll: at least 1 ms while it has not
    /// (`limit` itself while inside poll()), zero once it has.
    [[nodiscard]] std::chrono::milliseconds left(std::chrono::milliseconds limit) const noexcept {
        if (inside_.load(std::memory_order_relaxed)) return limit;
        const auto last = clock_type::time_point(clock_type::duration(last_.load(std::memory_order_relaxed)));
        const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - last);
        if (since > limit) return std::chrono::milliseconds(0);
        return std::max(limit - since, std::chrono::milliseconds(1));
    }

private:
    std::atomic<clock_type::rep> last_{0};
    std::atomic<bool> inside_{false};
};

} // namespace kafkit::detail
