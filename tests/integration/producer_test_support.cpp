#include "producer_test_support.hpp"

#include "kafkit/testcontainers/mock_cluster.hpp"
#include "kafkit/testcontainers/reference_cluster.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace kafkit::integration {

std::unique_ptr<testcontainers::cluster> start_cluster(backend kind, int brokers) {
    if (kind == backend::librdkafka_mock)
        return std::make_unique<testcontainers::mock_cluster>(brokers);
    testcontainers::reference_cluster_options options;
    options.brokers = brokers;
    options.extra_args = {"--log-level", "3"};
    return std::make_unique<testcontainers::reference_cluster>(options);
}

std::unique_ptr<testcontainers::cluster> each_backend() {
    std::unique_ptr<testcontainers::cluster> cluster;
    SUBCASE("kafkit-broker") {
        cluster = start_cluster(backend::kafkit_broker);
    }
    SUBCASE("librdkafka-mock") {
        cluster = start_cluster(backend::librdkafka_mock);
    }
    return cluster;
}

kafkit::config producer_config(const testcontainers::cluster& cluster,
                               std::initializer_list<std::pair<std::string, std::string>> extra) {
    kafkit::config cfg{{"bootstrap.servers", cluster.bootstrap_servers()},
                       {"client.id", "kafkit-producer-test"},
                       {"linger.ms", "5"},
                       {"reconnect.backoff.ms", "10"},
                       {"reconnect.backoff.max.ms", "100"},
                       {"retry.backoff.ms", "10"},
                       {"retry.backoff.max.ms", "100"}};
    for (const auto& [name, value] : extra)
        cfg.set(name, value);
    with_test_log(cfg);
    return cfg;
}

void with_test_log(kafkit::config& cfg) {
    const char* wanted = std::getenv("KAFKIT_TEST_LOG");
    if (wanted == nullptr) return;
    const bool debug = std::string_view(wanted) == "debug";
    if (debug) cfg.set("log_level", "debug");
    cfg.set_log_sink(
        [debug](kafkit::log_level level, std::string_view facility, std::string_view message) {
            if (debug || level >= kafkit::log_level::warning)
                std::cerr << facility << ": " << message << '\n';
        });
}

std::string new_topic(testcontainers::cluster& cluster, const std::string& prefix,
                      std::int32_t partitions) {
    static std::atomic<int> next{0};
    auto name = prefix + "-" + std::to_string(next.fetch_add(1));
    cluster.create_topic(name, partitions);
    return name;
}

kafkit::delivery_callback delivery_log::callback(std::size_t index) {
    return [this, index](std::error_code error, const kafkit::record_metadata& metadata) {
        std::lock_guard lock(mutex_);
        auto& o = outcomes_.at(index);
        o.error = error;
        o.partition = metadata.partition.value();
        o.offset = metadata.offset.value();
        o.timestamp_ms = metadata.timestamp_ms;
        o.key_size = metadata.serialized_key_size;
        o.value_size = metadata.serialized_value_size;
        ++o.calls;
        ++completed_;
        changed_.notify_all();
    };
}

bool delivery_log::wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return completed_ >= count; });
}

std::size_t delivery_log::completed() const {
    std::lock_guard lock(mutex_);
    return completed_;
}

std::vector<delivery_outcome> delivery_log::outcomes() const {
    std::lock_guard lock(mutex_);
    return outcomes_;
}

std::vector<sample_record> sample_records(std::size_t count, bool binary) {
    std::vector<sample_record> out(count);
    for (std::size_t i = 0; i < count; ++i) {
        auto& s = out[i];
        switch (i % 10) {
        case 3:
            break; // null key
        case 4:
            s.key = "";
            break;
        case 5:
            s.key = binary ? std::string("k\0\xff\x01-", 5) + std::to_string(i)
                           : "key-" + std::to_string(i % 13);
            break;
        default:
            s.key = "key-" + std::to_string(i % 13);
        }
        if (i % 17 == 6) {
            // null value: a tombstone
        } else if (i % 17 == 7) {
            s.value = "";
        } else if (i % 29 == 8) {
            s.value = "large-" + std::to_string(i) + "-";
            while (s.value->size() < 5000)
                s.value->append("compressible text repeats ");
        } else if (binary && i % 17 == 9) {
            s.value.emplace();
            for (int b = 0; b < 256; ++b)
                s.value->push_back(static_cast<char>(b));
        } else {
            s.value = "value-" + std::to_string(i) + "-" + std::string(i % 50, 'x');
        }
        switch (i % 5) {
        case 0:
            break; // no headers
        case 1:
            s.headers = {{"trace", "one"}, {"trace", "two"}, {"trace", "one"}};
            break;
        case 2:
            s.headers = {{"nullable", std::nullopt}, {"empty", ""}, {"nullable", "now set"}};
            break;
        case 3:
            s.headers = {{"index", std::to_string(i)}};
            break;
        default:
            for (char h = '0'; h < '9'; ++h) // more than the eight headers kept inline
                s.headers.emplace_back(std::string{'h', h}, std::string(h - '0', 'v'));
        }
        if (i % 4 != 0) s.timestamp_ms = 1'600'000'000'000 + static_cast<std::int64_t>(i) * 1000;
    }
    return out;
}

kafkit::producer_record view_of(std::string_view topic, const sample_record& sample,
                                std::vector<kafkit::header>& headers) {
    headers.clear();
    for (const auto& [k, v] : sample.headers)
        headers.push_back({k, v ? std::optional<kafkit::bytes_ref>(*v) : std::nullopt});
    kafkit::producer_record record;
    record.topic = topic;
    if (sample.key) record.key = *sample.key;
    if (sample.value) record.value = *sample.value;
    record.headers = headers;
    record.timestamp_ms = sample.timestamp_ms;
    return record;
}

namespace {

std::string show(const std::optional<std::string>& s) {
    if (!s) return "null";
    if (s->size() > 40)
        return "\"" + s->substr(0, 40) + "...\" (" + std::to_string(s->size()) + " bytes)";
    return "\"" + *s + "\"";
}

} // namespace

std::string difference(const sample_record& sent, const read_record& read,
                       std::int64_t sent_from_ms, std::int64_t sent_to_ms) {
    if (sent.key != read.key) return "key " + show(read.key) + " instead of " + show(sent.key);
    if (sent.value != read.value)
        return "value " + show(read.value) + " instead of " + show(sent.value);
    if (sent.headers != read.headers) {
        std::string got;
        for (const auto& [k, v] : read.headers)
            got += " " + k + "=" + show(v);
        return "headers" + got + " instead of " + std::to_string(sent.headers.size()) + " sent";
    }
    if (read.log_append_time) return "a LogAppendTime timestamp";
    if (sent.timestamp_ms ? read.timestamp_ms != *sent.timestamp_ms
                          : read.timestamp_ms < sent_from_ms || read.timestamp_ms > sent_to_ms)
        return "timestamp " + std::to_string(read.timestamp_ms) + " instead of " +
               (sent.timestamp_ms
                    ? std::to_string(*sent.timestamp_ms)
                    : std::to_string(sent_from_ms) + ".." + std::to_string(sent_to_ms));
    return {};
}

std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string numbered_value(std::size_t n, std::size_t padding) {
    return "seq=" + std::to_string(n) + ";" + std::string(padding, static_cast<char>('a' + n % 26));
}

std::optional<std::size_t> number_of(const std::optional<std::string>& value) {
    if (!value || value->rfind("seq=", 0) != 0) return std::nullopt;
    std::size_t n = 0;
    const char* begin = value->data() + 4;
    const char* end = value->data() + value->size();
    auto [ptr, ec] = std::from_chars(begin, end, n);
    if (ec != std::errc{} || ptr == end || *ptr != ';') return std::nullopt;
    return n;
}

stream_report check_stream(const topic_records& read,
                           const std::vector<delivery_outcome>& outcomes) {
    stream_report report;
    auto problem = [&](const std::string& what) {
        if (report.first_problem.empty()) report.first_problem = what;
    };
    // Where each number was read: (partition, offset) of every copy.
    std::vector<std::vector<std::pair<std::int32_t, std::int64_t>>> copies(outcomes.size());
    for (const auto& [partition, records] : read.by_partition) {
        std::optional<std::size_t> previous;
        for (const auto& r : records) {
            ++report.read;
            const auto n = number_of(r.value);
            const auto where = std::to_string(partition) + "@" + std::to_string(r.offset);
            if (!n || *n >= outcomes.size()) {
                ++report.unexpected;
                problem("record at " + where + " is not one of ours");
                continue;
            }
            copies[*n].emplace_back(partition, r.offset);
            if (copies[*n].size() > 1) {
                ++report.duplicated;
                report.duplicates.push_back(*n);
                problem("record " + std::to_string(*n) + " read again at " + where);
                continue; // order is a matter of first copies
            }
            if (outcomes[*n].error) {
                ++report.unexpected;
                problem("record " + std::to_string(*n) + " failed (" +
                        outcomes[*n].error.message() + ") but is at " + where);
            }
            if (previous && *n <= *previous) {
                ++report.out_of_order;
                problem("record " + std::to_string(*n) + " follows " + std::to_string(*previous) +
                        " at " + where);
            }
            previous = n;
        }
    }
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        const auto& o = outcomes[i];
        if (o.calls != 1 || o.error) continue;
        if (copies[i].empty()) {
            ++report.lost;
            problem("record " + std::to_string(i) + " was acknowledged but never read");
            continue;
        }
        const bool at_callback_place =
            std::any_of(copies[i].begin(), copies[i].end(), [&](const auto& c) {
                return c.first == o.partition && (o.offset < 0 || c.second == o.offset);
            });
        if (!at_callback_place) {
            ++report.misplaced;
            problem("record " + std::to_string(i) + " is not at " + std::to_string(o.partition) +
                    "@" + std::to_string(o.offset) + ", where its callback said");
        }
    }
    return report;
}

std::int64_t resident_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
    return -1;
}

} // namespace kafkit::integration
