#pragma once
// What `latency` prints: the end-to-end latency percentiles of the measured records, the
// rate they were sent at, and the process's CPU time and peak memory, as a line or as one
// JSON object.

#include <cstdint>
#include <cstdio>
#include <string>

namespace kafkit::perf {

/// The figures of a finished `latency` run. A record's latency runs from just before the
/// producer's send() to the moment the consumer's poll handed it out.
struct latency_result {
    std::int64_t records = 0; ///< measured records received (each counted once)
    double sent_per_s = 0;    ///< the rate the measured records were sent at
    double avg_ms = 0;
    double p50_ms = 0;
    double p90_ms = 0;
    double p99_ms = 0;
    double p999_ms = 0;
    double max_ms = 0;
    double cpu_s = 0;             ///< user + system time of the process (both clients) from the
                                  ///< first measured send to the last measured record
    double cpu_us_per_record = 0; ///< cpu_s per measured record, in microseconds
    std::int64_t peak_rss_kb = 0; ///< maximum resident set size of the process
    std::int64_t errors = 0;      ///< errors the consumer reported while polling
    std::int64_t failed = 0;      ///< records the producer failed to deliver
    std::int64_t unexpected = 0;  ///< records received twice, or not written by this run
};

/// The final line of `latency`: "N records at X records/sec, end-to-end latency A ms avg,
/// P50 ms 50th, P90 ms 90th, P99 ms 99th, P999 ms 99.9th, M ms max, C s CPU (U us per
/// record), R MB peak RSS."
void print_final_line(std::FILE* out, const latency_result& result);

/// The result as one JSON object with the field names of latency_result.
[[nodiscard]] std::string to_json(const latency_result& result);

} // namespace kafkit::perf
