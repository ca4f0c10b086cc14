#pragma once
// The pacing of the producer benchmarks: records sent evenly at --throughput per second.

#include <chrono>
#include <cstdint>
#include <thread>

namespace kafkit::perf {

/// Sleeps while a run is ahead of its rate (like the Java tool's ThroughputThrottler): record
/// number n is due n / rate seconds after the start. Does nothing when the rate is not
/// positive. A late record is not waited for, so the run catches up after a stall.
class throttle {
public:
    /// `records_per_s` from --throughput; `start_us` on perf_stats::now_us()'s clock.
    throttle(double records_per_s, std::int64_t start_us)
        : interval_us_(records_per_s > 0 ? 1e6 / records_per_s : 0.0), start_us_(start_us) {}

    /// Called after `sent` records went out, at `now_us`: sleeps until the next one is due.
    void after(std::int64_t sent, std::int64_t now_us) const {
        if (interval_us_ <= 0) return;
        const auto due_us =
            start_us_ + static_cast<std::int64_t>(static_cast<double>(sent) * interval_us_);
        if (due_us > now_us)
            std::this_thread::sleep_for(std::chrono::microseconds(due_us - now_us));
    }

private:
    double interval_us_;
    std::int64_t start_us_;
};

} // namespace kafkit::perf
