#include "latency_driver.hpp"

#include "latency_receiver.hpp"
#include "latency_report.hpp"
#include "latency_sender.hpp"
#include "perf_report.hpp"
#include "run_messages.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <thread>

namespace kafkit::perf {
namespace {

// As `consume`.
constexpr std::chrono::milliseconds poll_slice{100};

// The consumer's side of the flags: every partition assigned from its beginning.
consume_options consumer_side(const latency_options& o) {
    consume_options c;
    c.bootstrap_server = o.bootstrap_server;
    c.topic = o.topic;
    c.messages = o.messages;
    c.consumer_props = o.consumer_props;
    c.timeout_ms = o.timeout_ms;
    return c;
}

// The producer's properties as `produce` merges them, with bootstrap.servers from the flag
// over them (as the consumer's).
properties_or_error producer_properties(const latency_options& o) {
    produce_options p;
    p.producer_props = o.producer_props;
    auto result = load_producer_properties(p);
    if (result.error.empty())
        result.properties.emplace_back("bootstrap.servers", o.bootstrap_server);
    return result;
}

// Why the loop ended short of --messages; empty when it did not.
struct receive_outcome {
    std::int64_t errors = 0;
    std::string stopped;
};

// Polls until every measured record came, no record came for --timeout ms, or the consumer
// cannot go on.
receive_outcome receive_all(const latency_options& o, const std::string& tool,
                            consume_client& client, const latency_receiver& receiver) {
    receive_outcome out;
    consumer_error_log errors(tool);
    const std::int64_t timeout_us = o.timeout_ms * 1000;
    std::int64_t last_us = perf_stats::now_us(); // the last record's arrival, or the start
    while (receiver.records() < o.messages) {
        const std::int64_t quiet_us = perf_stats::now_us() - last_us;
        if (quiet_us >= timeout_us) {
            out.stopped =
                "no record arrived for " + std::to_string(o.timeout_ms) + " ms (--timeout)";
            break;
        }
        const auto wait =
            std::min(poll_slice, std::chrono::milliseconds((timeout_us - quiet_us + 999) / 1000));
        const poll_outcome got = client.poll(wait, std::numeric_limits<std::int64_t>::max());
        errors.add(got.errors);
        if (got.records > 0) last_us = perf_stats::now_us();
        if (!got.fatal.empty()) {
            out.stopped = got.fatal;
            break;
        }
    }
    out.errors = errors.count();
    return out;
}

// `at_end` is the process's usage when the last record came: the CPU span runs from the
// first measured send to there.
latency_result summarize(const latency_receiver& receiver, const send_figures& sent,
                         const receive_outcome& received, std::int64_t failed,
                         const resource_usage& at_end) {
    const auto& h = receiver.latencies();
    // A percentile is its bucket's middle, which can lie above the exact maximum.
    const auto ms = [&h](std::int64_t us) {
        return static_cast<double>(std::min(us, h.max())) / 1000.0;
    };
    latency_result r;
    r.records = h.count();
    const auto send_span_us = static_cast<double>(sent.last_us - sent.first_us);
    r.sent_per_s = send_span_us > 0 ? static_cast<double>(sent.sent) * 1e6 / send_span_us : 0.0;
    r.avg_ms = h.mean() / 1000.0;
    r.p50_ms = ms(h.percentile(50));
    r.p90_ms = ms(h.percentile(90));
    r.p99_ms = ms(h.percentile(99));
    r.p999_ms = ms(h.percentile(99.9));
    r.max_ms = ms(h.max());
    r.cpu_s = sent.sent > 0 ? at_end.cpu_s - sent.cpu_at_first_s : 0.0;
    r.cpu_us_per_record = r.records > 0 ? r.cpu_s * 1e6 / static_cast<double>(r.records) : 0.0;
    r.peak_rss_kb = at_end.peak_rss_kb;
    r.errors = received.errors;
    r.failed = failed;
    r.unexpected = receiver.unexpected();
    return r;
}

} // namespace

int run_latency(const latency_options& o, const std::string& tool,
                const client_factory& make_producer, const consume_client_factory& make_consumer) {
    const std::int64_t started_us = perf_stats::now_us();
    const consume_options consuming = consumer_side(o);
    const auto consumer_properties = load_consumer_properties(consuming);
    if (!consumer_properties.error.empty()) return fail(tool, consumer_properties.error);
    const auto producer_props = producer_properties(o);
    if (!producer_props.error.empty()) return fail(tool, producer_props.error);

    auto consumer = make_consumer(consumer_properties.properties, consuming);
    if (!consumer.client) return fail(tool, consumer.error);
    perf_stats acks(stderr); // delivery outcomes: failures are counted, progress goes to stderr
    auto producer = make_producer(producer_props.properties, acks);
    if (!producer.client) return fail(tool, producer.error);

    // Warm-ups reach every partition, so each one's fetching is under way before measuring.
    const std::int64_t warmups =
        o.warmup_records == 0 ? 0 : std::max<std::int64_t>(o.warmup_records, consumer.partitions);
    std::atomic<latency_phase> phase{warmups > 0 ? latency_phase::warming_up
                                                 : latency_phase::measuring};
    latency_receiver receiver(o.messages, warmups, started_us, phase);
    consumer.client->observe_values(
        [&receiver](std::string_view value) { receiver.on_value(value); });
    latency_sender sender(o, consumer.partitions, warmups, *producer.client, phase);

    std::thread producing([&sender] { sender.run(); });
    const receive_outcome received = receive_all(o, tool, *consumer.client, receiver);
    const resource_usage at_end = current_resource_usage();
    // Stops a producer still sending (or waiting for warm-ups) after the consumer gave up.
    phase.store(latency_phase::stopped);
    phase.notify_all();
    producing.join(); // after its flush: every delivery outcome is in `acks`
    const latency_result result =
        summarize(receiver, sender.figures(), received, acks.finish().failed, at_end);

    if (o.json)
        std::printf("%s\n", to_json(result).c_str());
    else
        print_final_line(stdout, result);
    std::fflush(stdout);
    // Closing the clients is not part of the measurement.
    consumer.client.reset();
    producer.client.reset();
    if (received.stopped.empty()) return 0;
    std::fprintf(stderr, "%s: stopped after %lld of %lld records: %s\n", tool.c_str(),
                 static_cast<long long>(result.records), static_cast<long long>(o.messages),
                 received.stopped.c_str());
    return 1;
}

} // namespace kafkit::perf
