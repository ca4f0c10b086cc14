#include "latency_receiver.hpp"

#include "latency_stamp.hpp"
#include "perf_report.hpp"

namespace kafkit::perf {

latency_receiver::latency_receiver(std::int64_t messages, std::int64_t warmups,
                                   std::int64_t started_us, std::atomic<latency_phase>& phase)
    : messages_(messages), warmups_(warmups), started_us_(started_us), phase_(phase),
      seen_(static_cast<std::size_t>(messages), false) {}

void latency_receiver::on_value(std::string_view value) {
    const std::int64_t now = perf_stats::now_us();
    const auto stamp = read_stamp(value);
    // The steady clock is the machine's (CLOCK_MONOTONIC), so an earlier process's records
    // carry earlier times.
    if (!stamp || stamp->sent_us < started_us_ || stamp->sent_us > now ||
        stamp->number < -warmups_ || stamp->number >= messages_) {
        ++unexpected_;
        return;
    }
    if (stamp->number < 0) {
        if (++warmups_seen_ == warmups_)
            advance(phase_, latency_phase::warming_up, latency_phase::measuring);
        return;
    }
    std::vector<bool>::reference seen = seen_[static_cast<std::size_t>(stamp->number)];
    if (seen) {
        ++unexpected_;
        return;
    }
    seen = true;
    latencies_.record(now - stamp->sent_us);
}

} // namespace kafkit::perf
