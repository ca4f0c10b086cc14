#include "perf_driver.hpp"

#include "run_messages.hpp"
#include "throttle.hpp"

#include <cstdio>
#include <filesystem>

namespace kafkit::perf {
namespace {

void send_all(const produce_options& o, payload_source& payloads, perf_client& client) {
    const std::int64_t start = perf_stats::now_us();
    const throttle limit(o.throughput, start);
    for (std::int64_t i = 0; i < o.num_records; ++i) {
        const std::string_view value = payloads.next(i);
        const std::int64_t sent_us = perf_stats::now_us();
        client.send(o.topic, any_partition, value, sent_us);
        limit.after(i + 1, sent_us);
    }
}

} // namespace

int run_produce(const produce_options& o, const std::string& tool, const client_factory& make_client) {
    std::FILE* progress = o.json ? stderr : stdout;

    const auto properties = load_producer_properties(o);
    if (!properties.error.empty()) return fail(tool, properties.error);
    if (!o.payload_file.empty())
        std::fprintf(progress, "Reading payloads from: %s\n", std::filesystem::absolute(o.payload_file).c_str());
    payload_source payloads(o);
    if (!payloads.error().empty()) return fail(tool, payloads.error());
    if (payloads.file_payloads() > 0) std::fprintf(progress, "Number of messages read: %zu\n", payloads.file_payloads());

    perf_stats stats(progress);
    auto made = make_client(properties.properties, stats);
    if (!made.client) return fail(tool, made.error);
    stats.restart();
    send_all(o, payloads, *made.client);
    made.client->flush();
    const perf_result result = stats.finish();

    if (o.json) std::printf("%s\n", to_json(result).c_str());
    else print_final_line(stdout, result);
    if (o.print_metrics) std::fprintf(progress, "%s\n", made.client->metrics().c_str());
    std::fflush(stdout);
    made.client.reset();
    return result.failed > 0 ? 1 : 0;
}

} // namespace kafkit::perf
