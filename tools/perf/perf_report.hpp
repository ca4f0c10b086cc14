#pragma once
// What the benchmarks measure and print: for `produce`, per-record outcomes into a latency
// histogram, a progress line every 5 seconds and the final line in kafka-producer-perf-test's
// formats; for `consume`, the totals of a run; the --json objects, and the process's CPU
// time and peak memory.

#include "util/latency_histogram.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace kafkit::perf {

/// The figures of a finished run.
struct perf_result {
    std::int64_t records = 0;    ///< records delivered
    double records_per_s = 0;
    double mb_per_s = 0;         ///< MiB of values per second, as the Java tool counts MB
    double avg_latency_ms = 0;   ///< send() to delivery callback
    double max_latency_ms = 0;
    double p50_ms = 0;
    double p95_ms = 0;
    double p99_ms = 0;
    double p999_ms = 0;
    double cpu_s = 0;            ///< user + system time of the whole process
    std::int64_t peak_rss_kb = 0; ///< maximum resident set size of the process
    std::int64_t failed = 0;     ///< records whose delivery failed or that send() refused
};

/// The process's CPU time and peak resident set size so far (getrusage(RUSAGE_SELF)).
struct resource_usage {
    double cpu_s = 0;
    std::int64_t peak_rss_kb = 0;
};
[[nodiscard]] resource_usage current_resource_usage() noexcept;

/// Collects the outcome of every record. Thread-safe: delivery callbacks may come from any
/// thread (a mutex, uncontended in practice, guards the counters).
class perf_stats {
public:
    /// Starts the clock; progress lines go to `progress` (stdout, or stderr with --json).
    explicit perf_stats(std::FILE* progress);

    /// Starts the clock again (once the client exists, right before the first send), so
    /// creating the client is not part of the measured time.
    void restart();

    /// Microseconds on the steady clock, the time base of `sent_us` below.
    [[nodiscard]] static std::int64_t now_us() noexcept;

    /// Counts a delivered record of `value_bytes` sent at `sent_us`; prints the progress
    /// line when the current 5-second window is over (from the calling thread).
    void record_delivery(std::int64_t sent_us, std::int64_t value_bytes);
    /// Counts a record that failed; prints the first few errors to stderr.
    void record_failure(std::string_view error);

    /// The totals from construction until now.
    [[nodiscard]] perf_result finish() const;

private:
    struct window {
        std::int64_t start_us = 0;
        std::int64_t count = 0;
        std::int64_t bytes = 0;
        std::int64_t latency_sum_us = 0;
        std::int64_t latency_max_us = 0;
    };
    void print_window(std::int64_t now) const;

    std::FILE* progress_;
    mutable std::mutex mutex_;
    std::int64_t start_us_;
    window window_;
    kafkit::detail::latency_histogram latencies_;
    std::int64_t bytes_ = 0;
    std::int64_t failed_ = 0;
};

/// The final line: "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max
/// latency, P50 ms 50th, P95 ms 95th, P99 ms 99th, P999 ms 99.9th." (percentiles in whole
/// milliseconds, as the Java tool prints them).
void print_final_line(std::FILE* out, const perf_result& result);

/// The result as one JSON object with the field names of perf_result.
[[nodiscard]] std::string to_json(const perf_result& result);

/// The figures of a finished `consume` run. The measured span runs from just before the
/// first poll to the return of the poll that brought the last counted record.
struct consume_result {
    std::int64_t records = 0;     ///< records counted (at most --messages)
    std::int64_t bytes = 0;       ///< their key and value bytes
    double elapsed_s = 0;         ///< the measured span
    double first_record_s = 0;    ///< first poll to the first record (joining, offset lookups, first fetch)
    double records_per_s = 0;
    double mb_per_s = 0;          ///< MiB of keys and values per second, as the Java tool counts MB
    double cpu_s = 0;             ///< user + system time of the whole process during the span
    double cpu_us_per_record = 0; ///< cpu_s per record, in microseconds
    std::int64_t peak_rss_kb = 0; ///< maximum resident set size of the process
    std::int64_t errors = 0;      ///< errors the consumer reported while polling
};

/// Fills in the rates of `result` from its records, bytes, elapsed_s and cpu_s.
void compute_rates(consume_result& result) noexcept;

/// The final line of `consume`: "N records consumed (B bytes) in E s, X records/sec
/// (Y MB/sec), C s CPU, U us CPU per record, first record after F s."
void print_final_line(std::FILE* out, const consume_result& result);

/// The result as one JSON object with the field names of consume_result.
[[nodiscard]] std::string to_json(const consume_result& result);

} // namespace kafkit::perf
