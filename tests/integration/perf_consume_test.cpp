// kafkit-perf and kafkit-rdkafka-perf consume and latency end to end: each tool runs as a
// child process against kafkit-broker (testcontainers). consume's --json report must count
// exactly the records asked for and their key and value bytes, assigned and as a group
// member, and a topic with fewer records ends after --timeout with exit status 1. latency's
// must have every record sent back once, with ordered percentiles (no timing is asserted),
// and must not measure an earlier run's records. Bad flags are refused.

#include "producer_test_support.hpp"

#include "kafkit/testcontainers/child_process.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

using namespace std::chrono_literals;
using kafkit::integration::backend;
using kafkit::integration::new_topic;
using kafkit::integration::producer_config;
using kafkit::integration::start_cluster;
using kafkit::testcontainers::child_process;

constexpr int records = 300;
constexpr int latency_records = 500;
constexpr int latency_warmups = 50;
constexpr std::int32_t partitions = 3;
constexpr std::size_t key_size = 5;    // "k0042"
constexpr std::size_t value_size = 40; // every record the same size, so any N of them weigh N * 45
constexpr std::int64_t record_bytes = key_size + value_size;
// A run reads a few hundred records in well under a second; this bounds a hung tool.
constexpr auto run_bound = 60s;

// A tool under test and its path, from the environment CTest gives the test.
struct perf_tool {
    std::string name;
    std::string binary;
};

std::vector<perf_tool> tools() {
    std::vector<perf_tool> out;
    const std::pair<std::string, std::string> wanted[] = {
        {"kafkit-perf", "KAFKIT_PERF_BIN"}, {"kafkit-rdkafka-perf", "KAFKIT_RDKAFKA_PERF_BIN"}};
    for (const auto& tool : wanted) {
        const char* path = std::getenv(tool.second.c_str());
        REQUIRE_MESSAGE(path != nullptr, tool.second << " names the tool (set by CTest)");
        out.push_back({tool.first, path});
    }
    return out;
}

// Writes `records` records spread over every partition (the sticky partitioner with
// linger.ms=0 would fill one partition at a time, so each record names its own).
void fill(kafkit::testcontainers::cluster& cluster, const std::string& topic) {
    kafkit::producer producer(producer_config(cluster, {{"acks", "all"}, {"linger.ms", "0"}}));
    const std::string value(value_size, 'v');
    std::vector<std::future<kafkit::record_metadata>> sent;
    for (int i = 0; i < records; ++i) {
        char key[key_size + 1];
        std::snprintf(key, sizeof key, "k%04d", i);
        kafkit::producer_record record;
        record.topic = topic;
        record.partition = kafkit::partition_id(i % partitions);
        record.key = std::string_view(key, key_size);
        record.value = value;
        sent.push_back(producer.send(record));
    }
    int written = 0;
    for (auto& f : sent) {
        REQUIRE(f.wait_for(30s) == std::future_status::ready);
        if (f.get().offset.value() >= 0) ++written; // get() throws the error of a failed one
    }
    REQUIRE(written == records);
}

// Waits until the child's stderr holds `text` (its exit can be noticed before the last of its
// stderr is read); false after 10 s.
bool stderr_shows(const child_process& process, const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (process.stderr_text().find(text) == std::string::npos) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

// One run of `tool SUBCOMMAND ARGS --json`: its exit status and the report it printed.
// With `stderr_expected`, waits until stderr shows it.
struct perf_run {
    int status = -1;
    nlohmann::json report;
    std::string stderr_text;
};

perf_run run_tool(const perf_tool& tool, const std::string& subcommand,
                  const std::vector<std::string>& args, const std::string& stderr_expected = {}) {
    std::vector<std::string> argv{subcommand};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.emplace_back("--json");
    child_process process(tool.binary, argv);
    perf_run run;
    // The report is the tool's only stdout line; it comes before the exit.
    const std::string line = process.wait_for_line("{", run_bound);
    const auto status = process.wait_exit(run_bound);
    REQUIRE_MESSAGE(status.has_value(),
                    tool.name << " did not exit; stderr: " << process.stderr_text());
    run.status = *status;
    run.report = nlohmann::json::parse(line);
    if (!stderr_expected.empty())
        CHECK_MESSAGE(stderr_shows(process, stderr_expected), process.stderr_text());
    run.stderr_text = process.stderr_text();
    return run;
}

perf_run consume(const perf_tool& tool, const std::vector<std::string>& args,
                 const std::string& stderr_expected = {}) {
    return run_tool(tool, "consume", args, stderr_expected);
}

// `latency` at 1000 records/s, the same properties for both tools (Kafka's spelling, which
// both accept).
perf_run latency(const perf_tool& tool, const kafkit::testcontainers::cluster& cluster,
                 const std::string& topic) {
    return run_tool(tool, "latency",
                    {"--bootstrap-server", cluster.bootstrap_servers(), "--topic", topic,
                     "--messages", std::to_string(latency_records), "--throughput", "1000",
                     "--record-size", "100", "--warmup-records", std::to_string(latency_warmups),
                     "--producer-props", "acks=1", "linger.ms=0", "enable.idempotence=false",
                     "--consumer-props", "fetch.wait.max.ms=100"});
}

// What every latency report must say, whatever the machine's speed.
void check_latency_report(const nlohmann::json& report) {
    CHECK(report.at("records") == latency_records);
    CHECK(report.at("errors") == 0);
    CHECK(report.at("failed") == 0);
    const double p50 = report.at("p50_ms");
    const double p90 = report.at("p90_ms");
    const double p99 = report.at("p99_ms");
    const double p999 = report.at("p999_ms");
    const double max = report.at("max_ms");
    const double avg = report.at("avg_ms");
    CHECK(p50 >= 0);
    CHECK(p50 <= p90);
    CHECK(p90 <= p99);
    CHECK(p99 <= p999);
    CHECK(p999 <= max);
    CHECK(avg >= 0);
    CHECK(avg <= max);
    CHECK(report.at("sent_per_s").get<double>() > 0);
    CHECK(report.at("cpu_s").get<double>() >= 0);
    CHECK(report.at("cpu_us_per_record").get<double>() >= 0);
    CHECK(report.at("peak_rss_kb").get<std::int64_t>() > 0);
}

} // namespace

TEST_CASE(
    "perf consume: the report counts exactly --messages records and their key and value bytes") {
    auto cluster = start_cluster(backend::kafkit_broker, 1);
    const std::string topic = new_topic(*cluster, "perf-consume", partitions);
    fill(*cluster, topic);
    const std::vector<std::string> common{"--bootstrap-server", cluster->bootstrap_servers(),
                                          "--topic", topic};

    // Each subcase runs both tools over the same topic, each from the beginning.
    SUBCASE("every partition assigned from the beginning, the whole topic") {
        for (const auto& tool : tools()) {
            INFO(tool.name);
            auto args = common;
            args.insert(args.end(), {"--messages", std::to_string(records)});
            const auto run = consume(tool, args);
            INFO(run.stderr_text);
            CHECK(run.status == 0);
            CHECK(run.report.at("records") == records);
            CHECK(run.report.at("bytes") == records * record_bytes);
            CHECK(run.report.at("errors") == 0);
            CHECK(run.report.at("elapsed_s").get<double>() > 0);
            CHECK(run.report.at("records_per_s").get<double>() > 0);
            CHECK(run.report.at("cpu_s").get<double>() >= 0);
        }
    }
    SUBCASE("assigned, fewer records than the topic holds: the run stops at --messages") {
        for (const auto& tool : tools()) {
            INFO(tool.name);
            auto args = common;
            args.insert(args.end(), {"--messages", "250"});
            const auto run = consume(tool, args);
            INFO(run.stderr_text);
            CHECK(run.status == 0);
            CHECK(run.report.at("records") == 250);
            CHECK(run.report.at("bytes") == 250 * record_bytes);
        }
    }
    SUBCASE("subscribed, each tool as a fresh group") {
        for (const auto& tool : tools()) {
            INFO(tool.name);
            auto args = common;
            args.insert(args.end(), {"--messages", std::to_string(records), "--group",
                                     topic + "-" + tool.name});
            const auto run = consume(tool, args);
            INFO(run.stderr_text);
            CHECK(run.status == 0);
            CHECK(run.report.at("records") == records);
            CHECK(run.report.at("bytes") == records * record_bytes);
        }
    }
    SUBCASE("more records asked for than there are: exit 1 after --timeout, the report says how "
            "many came") {
        for (const auto& tool : tools()) {
            INFO(tool.name);
            auto args = common;
            args.insert(args.end(),
                        {"--messages", std::to_string(records + 1), "--timeout", "1500"});
            const auto began = std::chrono::steady_clock::now();
            const auto run = consume(tool, args, "no record arrived for 1500 ms (--timeout)");
            INFO(run.stderr_text);
            CHECK(run.status == 1);
            CHECK(run.report.at("records") == records);
            CHECK(std::chrono::steady_clock::now() - began < 30s);
        }
    }
}

TEST_CASE("perf latency: every record comes back once, with ordered percentiles") {
    auto cluster = start_cluster(backend::kafkit_broker);
    for (const auto& tool : tools()) {
        INFO(tool.name);
        const std::string topic = new_topic(*cluster, "perf-latency", partitions);
        const auto run = latency(tool, *cluster, topic);
        INFO(run.stderr_text);
        CHECK(run.status == 0);
        check_latency_report(run.report);
        CHECK(run.report.at("unexpected") == 0);

        // The same topic again: the first run's records and warm-ups, all read before the
        // second run's in each partition, are not measured.
        const auto again = latency(tool, *cluster, topic);
        INFO(again.stderr_text);
        CHECK(again.status == 0);
        check_latency_report(again.report);
        CHECK(again.report.at("unexpected") == latency_records + latency_warmups);
    }
}

TEST_CASE("perf consume: a bad flag value is a usage error naming it") {
    for (const auto& tool : tools()) {
        INFO(tool.name);
        child_process process(tool.binary, {"consume", "--bootstrap-server", "127.0.0.1:9",
                                            "--topic", "t", "--messages", "0"});
        const auto status = process.wait_exit(run_bound);
        REQUIRE(status.has_value());
        CHECK(*status == 1);
        CHECK(process.stdout_lines().empty());
        CHECK_MESSAGE(stderr_shows(process, "--messages should be greater than zero"),
                      process.stderr_text());
    }
}

TEST_CASE("perf latency: a record too small for its stamp is a usage error") {
    for (const auto& tool : tools()) {
        INFO(tool.name);
        child_process process(tool.binary,
                              {"latency", "--bootstrap-server", "127.0.0.1:9", "--topic", "t",
                               "--messages", "10", "--throughput", "100", "--record-size", "8"});
        const auto status = process.wait_exit(run_bound);
        REQUIRE(status.has_value());
        CHECK(*status == 1);
        CHECK(process.stdout_lines().empty());
        CHECK_MESSAGE(stderr_shows(process, "--record-size should be at least 16"),
                      process.stderr_text());
    }
}
