#pragma once
// The consuming side of `latency`: every value the consumer hands out is read for its
// stamp; a measured record's latency (now minus its send time) goes into a histogram, and
// the last warm-up to arrive moves the run on to measuring.

#include "latency_phase.hpp"

#include "util/latency_histogram.hpp"

#include <atomic>
#include <cstdint>
#include <string_view>
#include <vector>

namespace kafkit::perf {

/// Takes the values of one run's records, on the polling thread.
class latency_receiver {
public:
    /// Waits for `messages` measured records and `warmups` warm-ups; records sent before
    /// `started_us` (perf_stats::now_us()) are an earlier run's. `phase` outlives this.
    latency_receiver(std::int64_t messages, std::int64_t warmups, std::int64_t started_us,
                     std::atomic<latency_phase>& phase);

    /// Reads the stamp of a record's value as the consumer hands it out.
    void on_value(std::string_view value);

    /// Measured records received, each counted once.
    [[nodiscard]] std::int64_t records() const noexcept { return latencies_.count(); }
    /// Records received twice, without a stamp, or sent before this run started.
    [[nodiscard]] std::int64_t unexpected() const noexcept { return unexpected_; }
    /// The latencies of the measured records, in microseconds.
    [[nodiscard]] const kafkit::detail::latency_histogram& latencies() const noexcept {
        return latencies_;
    }

private:
    std::int64_t messages_;
    std::int64_t warmups_;
    std::int64_t started_us_;
    std::atomic<latency_phase>& phase_;
    std::vector<bool> seen_;
    std::int64_t warmups_seen_ = 0;
    std::int64_t unexpected_ = 0;
    kafkit::detail::latency_histogram latencies_;
};

} // namespace kafkit::perf
