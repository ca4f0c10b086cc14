#include "latency_sender.hpp"

#include "latency_stamp.hpp"
#include "perf_report.hpp"
#include "throttle.hpp"

namespace kafkit::perf {
namespace {

// payload_source's options for values of --record-size bytes.
produce_options payload_options(const latency_options& o) {
    produce_options p;
    p.record_size = o.record_size;
    return p;
}

} // namespace

latency_sender::latency_sender(const latency_options& options, std::int32_t partitions,
                               std::int64_t warmups, perf_client& client,
                               std::atomic<latency_phase>& phase)
    : options_(options), partitions_(partitions), warmups_(warmups), client_(client), phase_(phase),
      payloads_(payload_options(options)),
      value_(static_cast<std::size_t>(options.record_size), '\0') {}

void latency_sender::run() {
    // Warm-ups are numbered -warmups to -1, measured records 0 to --messages - 1.
    if (warmups_ > 0) {
        send_paced(-warmups_, warmups_);
        phase_.wait(latency_phase::warming_up);
    }
    if (phase_.load() != latency_phase::stopped) {
        figures_.cpu_at_first_s = current_resource_usage().cpu_s;
        figures_.first_us = perf_stats::now_us();
        figures_.sent = send_paced(0, options_.messages);
        figures_.last_us = perf_stats::now_us();
    }
    client_.flush();
}

std::int64_t latency_sender::send_paced(std::int64_t first, std::int64_t count) {
    const throttle limit(options_.throughput, perf_stats::now_us());
    std::int64_t sent = 0;
    while (sent < count && phase_.load(std::memory_order_relaxed) != latency_phase::stopped) {
        value_.assign(payloads_.next(values_made_++));
        const std::int64_t sent_us = perf_stats::now_us();
        write_stamp(value_, {sent_us, first + sent});
        std::int32_t partition = any_partition;
        if (partitions_ > 0) {
            partition = next_partition_;
            next_partition_ = (next_partition_ + 1) % partitions_;
        }
        client_.send(options_.topic, partition, value_, sent_us);
        ++sent;
        // The time after the send, so the send's own cost does not slow the rate down.
        limit.after(sent, perf_stats::now_us());
    }
    return sent;
}

} // namespace kafkit::perf
