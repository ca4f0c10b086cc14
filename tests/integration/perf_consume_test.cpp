// kafkit-perf consume and kafkit-rdkafka-perf consume end to end: each tool runs as a child
// process against kafkit-broker (testcontainers) and its --json report must count exactly
// the records asked for and their key and value bytes, assigned and as a group member; a
// topic with fewer records ends after --timeout with exit status 1; a bad flag is refused.

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

// One run of `tool consume ARGS --json`: its exit status and the report it printed.
// With `stderr_expected`, waits until stderr shows it.
struct consume_run {
    int status = -1;
    nlohmann::json report;
    std::string stderr_text;
};

consume_run consume(const perf_tool& tool, const std::vector<std::string>& args,
                    const std::string& stderr_expected = {}) {
    std::vector<std::string> argv{"consume"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.emplace_back("--json");
    child_process process(tool.binary, argv);
    consume_run run;
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
