#pragma once
// The producing side of `latency`, run on a thread of its own: warm-up records, a wait
// until the consumer has read them, then the measured records, each stamped with its send
// time and number, evenly at --throughput and round robin over the partitions; a flush.

#include "latency_phase.hpp"
#include "perf_driver.hpp"
#include "perf_options.hpp"

#include <atomic>
#include <cstdint>
#include <string>

namespace kafkit::perf {

/// When and how fast the measured records went out.
struct send_figures {
    std::int64_t sent = 0;     ///< measured records handed to the producer
    std::int64_t first_us = 0; ///< just before the first measured send (perf_stats::now_us())
    std::int64_t last_us = 0;  ///< once the last one's time slot was over
    double cpu_at_first_s = 0; ///< the process's CPU time at first_us
};

/// Sends a run's records with `client`, following and waiting on `phase`.
class latency_sender {
public:
    /// `partitions` of the topic get the records in turn (0: the partitioner chooses);
    /// `warmups` records are sent before the measured ones. Everything given outlives this.
    latency_sender(const latency_options& options, std::int32_t partitions, std::int64_t warmups,
                   perf_client& client, std::atomic<latency_phase>& phase);

    /// Sends the warm-ups, waits while the phase is warming_up, sends the measured records
    /// (stopping early once the phase is stopped), then flushes.
    void run();

    /// Valid once run() returned.
    [[nodiscard]] const send_figures& figures() const noexcept { return figures_; }

private:
    // Sends `count` records numbered from `first`, paced from now; returns how many went out
    // before the run was stopped.
    std::int64_t send_paced(std::int64_t first, std::int64_t count);

    const latency_options& options_;
    std::int32_t partitions_;
    std::int64_t warmups_;
    perf_client& client_;
    std::atomic<latency_phase>& phase_;
    payload_source payloads_;
    std::string value_;
    std::int64_t values_made_ = 0;
    std::int32_t next_partition_ = 0;
    send_figures figures_;
};

} // namespace kafkit::perf
