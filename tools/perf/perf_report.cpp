#include "perf_report.hpp"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

namespace kafkit::perf {
namespace {

// kafka-producer-perf-test prints a window every 5 s and counts MB as 1024 * 1024 bytes.
constexpr std::int64_t window_us = 5'000'000;
constexpr double bytes_per_mb = 1024.0 * 1024.0;
constexpr std::int64_t errors_printed = 5;

double per_second(double amount, std::int64_t elapsed_us) {
    return elapsed_us > 0 ? amount * 1e6 / static_cast<double>(elapsed_us) : 0.0;
}

double ms(std::int64_t us) { return static_cast<double>(us) / 1000.0; }

} // namespace

resource_usage current_resource_usage() noexcept {
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0) return {};
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return {seconds(usage.ru_utime) + seconds(usage.ru_stime), static_cast<std::int64_t>(usage.ru_maxrss)};
}

perf_stats::perf_stats(std::FILE* progress) : progress_(progress), start_us_(now_us()) {
    window_.start_us = start_us_;
}

void perf_stats::restart() {
    const std::lock_guard lock(mutex_);
    start_us_ = now_us();
    window_ = window{.start_us = start_us_};
}

std::int64_t perf_stats::now_us() noexcept {
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

void perf_stats::record_delivery(std::int64_t sent_us, std::int64_t value_bytes) {
    const std::int64_t now = now_us();
    const std::int64_t latency = now - sent_us;
    const std::lock_guard lock(mutex_);
    latencies_.record(latency);
    bytes_ += value_bytes;
    ++window_.count;
    window_.bytes += value_bytes;
    window_.latency_sum_us += latency;
    if (latency > window_.latency_max_us) window_.latency_max_us = latency;
    if (now - window_.start_us >= window_us) {
        print_window(now);
        window_ = window{.start_us = now};
    }
}

void perf_stats::record_failure(std::string_view error) {
    const std::lock_guard lock(mutex_);
    ++failed_;
    if (failed_ <= errors_printed)
        std::fprintf(stderr, "delivery failed: %.*s\n", static_cast<int>(error.size()), error.data());
    else if (failed_ == errors_printed + 1)
        std::fprintf(stderr, "(further delivery errors are only counted)\n");
}

void perf_stats::print_window(std::int64_t now) const {
    const std::int64_t elapsed = now - window_.start_us;
    const double avg = window_.count ? ms(window_.latency_sum_us) / static_cast<double>(window_.count) : 0.0;
    std::fprintf(progress_, "%lld records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.\n",
                 static_cast<long long>(window_.count), per_second(static_cast<double>(window_.count), elapsed),
                 per_second(static_cast<double>(window_.bytes), elapsed) / bytes_per_mb, avg,
                 ms(window_.latency_max_us));
    std::fflush(progress_);
}

perf_result perf_stats::finish() const {
    const std::int64_t elapsed = now_us() - start_us_;
    const std::lock_guard lock(mutex_);
    perf_result r;
    r.records = latencies_.count();
    r.records_per_s = per_second(static_cast<double>(r.records), elapsed);
    r.mb_per_s = per_second(static_cast<double>(bytes_), elapsed) / bytes_per_mb;
    r.avg_latency_ms = latencies_.mean() / 1000.0;
    r.max_latency_ms = ms(latencies_.max());
    r.p50_ms = ms(latencies_.percentile(50));
    r.p95_ms = ms(latencies_.percentile(95));
    r.p99_ms = ms(latencies_.percentile(99));
    r.p999_ms = ms(latencies_.percentile(99.9));
    const auto usage = current_resource_usage();
    r.cpu_s = usage.cpu_s;
    r.peak_rss_kb = usage.peak_rss_kb;
    r.failed = failed_;
    return r;
}

void print_final_line(std::FILE* out, const perf_result& r) {
    const auto whole_ms = [](double value_ms) { return static_cast<long long>(value_ms); };
    std::fprintf(out,
                 "%lld records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, "
                 "%lld ms 50th, %lld ms 95th, %lld ms 99th, %lld ms 99.9th.\n",
                 static_cast<long long>(r.records), r.records_per_s, r.mb_per_s, r.avg_latency_ms, r.max_latency_ms,
                 whole_ms(r.p50_ms), whole_ms(r.p95_ms), whole_ms(r.p99_ms), whole_ms(r.p999_ms));
    std::fflush(out);
}

std::string to_json(const perf_result& r) {
    const nlohmann::ordered_json doc{
        {"records", r.records},         {"records_per_s", r.records_per_s},
        {"mb_per_s", r.mb_per_s},       {"avg_latency_ms", r.avg_latency_ms},
        {"max_latency_ms", r.max_latency_ms}, {"p50_ms", r.p50_ms},
        {"p95_ms", r.p95_ms},           {"p99_ms", r.p99_ms},
        {"p999_ms", r.p999_ms},         {"cpu_s", r.cpu_s},
        {"peak_rss_kb", r.peak_rss_kb}, {"failed", r.failed}};
    return doc.dump();
}

void compute_rates(consume_result& r) noexcept {
    r.records_per_s = r.elapsed_s > 0 ? static_cast<double>(r.records) / r.elapsed_s : 0.0;
    r.mb_per_s = r.elapsed_s > 0 ? static_cast<double>(r.bytes) / r.elapsed_s / bytes_per_mb : 0.0;
    r.cpu_us_per_record = r.records > 0 ? r.cpu_s * 1e6 / static_cast<double>(r.records) : 0.0;
}

void print_final_line(std::FILE* out, const consume_result& r) {
    std::fprintf(out,
                 "%lld records consumed (%lld bytes) in %.3f s, %f records/sec (%.2f MB/sec), %.3f s CPU, "
                 "%.3f us CPU per record, first record after %.3f s.\n",
                 static_cast<long long>(r.records), static_cast<long long>(r.bytes), r.elapsed_s, r.records_per_s,
                 r.mb_per_s, r.cpu_s, r.cpu_us_per_record, r.first_record_s);
    std::fflush(out);
}

std::string to_json(const consume_result& r) {
    const nlohmann::ordered_json doc{
        {"records", r.records},         {"bytes", r.bytes},
        {"elapsed_s", r.elapsed_s},     {"first_record_s", r.first_record_s},
        {"records_per_s", r.records_per_s}, {"mb_per_s", r.mb_per_s},
        {"cpu_s", r.cpu_s},             {"cpu_us_per_record", r.cpu_us_per_record},
        {"peak_rss_kb", r.peak_rss_kb}, {"errors", r.errors}};
    return doc.dump();
}

} // namespace kafkit::perf
