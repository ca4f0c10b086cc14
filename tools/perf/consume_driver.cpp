#include "consume_driver.hpp"

#include "perf_report.hpp"
#include "run_messages.hpp"

#include <algorithm>
#include <cstdio>

namespace kafkit::perf {
namespace {

// kafka-consumer-perf-test polls with a 100 ms timeout.
constexpr std::chrono::milliseconds poll_slice{100};

// Why the loop ended short of --messages; empty when it did not.
struct run_outcome {
    consume_result result;
    std::string stopped;
};

run_outcome consume_all(const consume_options& o, const std::string& tool, consume_client& client) {
    run_outcome out;
    consume_result& r = out.result;
    consumer_error_log errors(tool);
    const std::int64_t timeout_us = o.timeout_ms * 1000;
    const double cpu_before = current_resource_usage().cpu_s;
    const std::int64_t start_us = perf_stats::now_us();
    std::int64_t first_us = -1;
    std::int64_t last_us = start_us; // the last record's arrival, or the start
    while (r.records < o.messages) {
        const std::int64_t quiet_us = perf_stats::now_us() - last_us;
        if (quiet_us >= timeout_us) {
            out.stopped =
                "no record arrived for " + std::to_string(o.timeout_ms) + " ms (--timeout)";
            break;
        }
        const auto wait =
            std::min(poll_slice, std::chrono::milliseconds((timeout_us - quiet_us + 999) / 1000));
        poll_outcome got = client.poll(wait, o.messages - r.records);
        errors.add(got.errors);
        if (got.records > 0) {
            last_us = perf_stats::now_us();
            if (first_us < 0) first_us = last_us;
            r.records += got.records;
            r.bytes += got.bytes;
        }
        if (!got.fatal.empty()) {
            out.stopped = got.fatal;
            break;
        }
    }
    const resource_usage after = current_resource_usage();
    r.elapsed_s = static_cast<double>(last_us - start_us) / 1e6;
    r.first_record_s = first_us < 0 ? 0.0 : static_cast<double>(first_us - start_us) / 1e6;
    r.cpu_s = after.cpu_s - cpu_before;
    r.peak_rss_kb = after.peak_rss_kb;
    r.errors = errors.count();
    compute_rates(r);
    return out;
}

} // namespace

int run_consume(const consume_options& o, const std::string& tool,
                const consume_client_factory& make_client) {
    const auto properties = load_consumer_properties(o);
    if (!properties.error.empty()) return fail(tool, properties.error);
    auto made = make_client(properties.properties, o);
    if (!made.client) return fail(tool, made.error);

    const run_outcome run = consume_all(o, tool, *made.client);
    if (o.json)
        std::printf("%s\n", to_json(run.result).c_str());
    else
        print_final_line(stdout, run.result);
    std::fflush(stdout);
    // Closing (leaving the group, stopping threads) is not part of the measurement.
    made.client.reset();
    if (run.stopped.empty()) return 0;
    std::fprintf(stderr, "%s: stopped after %lld of %lld records: %s\n", tool.c_str(),
                 static_cast<long long>(run.result.records), static_cast<long long>(o.messages),
                 run.stopped.c_str());
    return 1;
}

} // namespace kafkit::perf
