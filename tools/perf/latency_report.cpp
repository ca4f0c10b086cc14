#include "latency_report.hpp"

#include <nlohmann/json.hpp>

namespace kafkit::perf {

void print_final_line(std::FILE* out, const latency_result& r) {
    std::fprintf(out,
                 "%lld records at %.1f records/sec, end-to-end latency %.3f ms avg, %.3f ms 50th, "
                 "%.3f ms 90th, %.3f ms 99th, %.3f ms 99.9th, %.3f ms max, %.3f s CPU (%.3f us per "
                 "record), %.1f MB peak RSS.\n",
                 static_cast<long long>(r.records), r.sent_per_s, r.avg_ms, r.p50_ms, r.p90_ms,
                 r.p99_ms, r.p999_ms, r.max_ms, r.cpu_s, r.cpu_us_per_record,
                 static_cast<double>(r.peak_rss_kb) / 1024.0);
    if (r.errors || r.failed || r.unexpected)
        std::fprintf(out, "%lld consumer errors, %lld records failed, %lld unexpected records.\n",
                     static_cast<long long>(r.errors), static_cast<long long>(r.failed),
                     static_cast<long long>(r.unexpected));
    std::fflush(out);
}

std::string to_json(const latency_result& r) {
    const nlohmann::ordered_json doc{{"records", r.records},
                                     {"sent_per_s", r.sent_per_s},
                                     {"avg_ms", r.avg_ms},
                                     {"p50_ms", r.p50_ms},
                                     {"p90_ms", r.p90_ms},
                                     {"p99_ms", r.p99_ms},
                                     {"p999_ms", r.p999_ms},
                                     {"max_ms", r.max_ms},
                                     {"cpu_s", r.cpu_s},
                                     {"cpu_us_per_record", r.cpu_us_per_record},
                                     {"peak_rss_kb", r.peak_rss_kb},
                                     {"errors", r.errors},
                                     {"failed", r.failed},
                                     {"unexpected", r.unexpected}};
    return doc.dump();
}

} // namespace kafkit::perf
