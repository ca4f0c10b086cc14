#pragma once
// Timers and deferred work on the broker's I/O thread, without Asio in the handlers'
// headers. Every callback runs on the I/O thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

namespace kafkit::broker {

/// Cancels a scheduled callback when asked (or never, when dropped without cancel()).
class timer_handle {
public:
    timer_handle() = default;
    explicit timer_handle(std::function<void()> cancel) : cancel_(std::move(cancel)) {}
    /// The callback will not run (if it has not already). Safe to call more than once.
    void cancel() {
        if (cancel_) std::exchange(cancel_, nullptr)();
    }

private:
    std::function<void()> cancel_;
};

/// The broker's clock and timers.
class scheduler {
public:
    virtual ~scheduler() = default;
    /// Runs `fn` on the I/O thread after `delay`.
    virtual timer_handle after(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
    /// Runs `fn` on the I/O thread soon, after the current handler returns.
    virtual void post(std::function<void()> fn) = 0;

    /// Monotonic now, for timeouts.
    [[nodiscard]] static std::chrono::steady_clock::time_point now() noexcept {
        return std::chrono::steady_clock::now();
    }
    /// Wall-clock milliseconds since the epoch, for record timestamps.
    [[nodiscard]] static std::int64_t wall_clock_ms() noexcept {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

} // namespace kafkit::broker
