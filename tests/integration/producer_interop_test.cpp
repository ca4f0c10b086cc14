// Records kafkit wrote with every codec, keys, headers and timestamps, read back by two
// readers nobody here wrote: kcat (its JSON output) and confluent-kafka-python (a small
// script printing JSON lines), each a child process with a bounded run time.

#include "child_command.hpp"
#include "producer_test_support.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <functional>
#include <map>
#include <sstream>

using namespace kafkit::integration;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr std::size_t records_per_codec = 60;
constexpr std::int32_t partitions = 3;
constexpr std::array<const char*, 5> codecs{"none", "gzip", "snappy", "lz4", "zstd"};

std::optional<std::string> from_hex(const json& j) {
    if (j.is_null()) return std::nullopt;
    const auto hex = j.get<std::string>();
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

std::optional<std::string> text_or_null(const json& j) {
    if (j.is_null()) return std::nullopt;
    return j.get<std::string>();
}

std::optional<std::string> text_or_null(const json& j, const char* field) {
    if (!j.contains(field)) return std::nullopt;
    return text_or_null(j[field]);
}

/// kcat -J: {"partition", "offset", "tstype", "ts", "headers": [name, value, ...], "key",
/// "payload"}.
read_record from_kcat(const json& j) {
    read_record r;
    r.partition = j.at("partition").get<std::int32_t>();
    r.offset = j.at("offset").get<std::int64_t>();
    r.key = text_or_null(j, "key");
    r.value = text_or_null(j, "payload");
    if (j.contains("headers"))
        for (std::size_t i = 0; i + 1 < j["headers"].size(); i += 2)
            r.headers.emplace_back(j["headers"][i].get<std::string>(),
                                   text_or_null(j["headers"][i + 1]));
    r.timestamp_ms = j.at("ts").get<std::int64_t>();
    r.log_append_time = j.at("tstype").get<std::string>() != "create";
    return r;
}

/// read_with_confluent.py: hex bytes, "timestamp_type" 1 is CreateTime.
read_record from_confluent(const json& j) {
    read_record r;
    r.partition = j.at("partition").get<std::int32_t>();
    r.offset = j.at("offset").get<std::int64_t>();
    r.key = from_hex(j.at("key"));
    r.value = from_hex(j.at("value"));
    for (const auto& h : j.at("headers"))
        r.headers.emplace_back(h.at(0).get<std::string>(), from_hex(h.at(1)));
    r.timestamp_ms = j.at("timestamp").get<std::int64_t>();
    r.log_append_time = j.at("timestamp_type").get<int>() != 1;
    return r;
}

/// One JSON object per line of `out`, each turned into a record.
std::vector<read_record> parse_lines(const std::string& out, read_record (*parse)(const json&)) {
    std::vector<read_record> records;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty() && line.front() == '{') records.push_back(parse(json::parse(line)));
    return records;
}

struct produced {
    std::vector<sample_record> sent;
    std::vector<delivery_outcome> outcomes;
    std::int64_t from_ms = 0;
    std::int64_t to_ms = 0;
};

/// Writes records_per_codec samples with each codec to `topic`, one producer per codec.
produced produce_every_codec(kafkit::testcontainers::cluster& cluster, const std::string& topic,
                             bool binary) {
    produced p;
    const auto samples = sample_records(records_per_codec, binary);
    for (std::size_t c = 0; c < codecs.size(); ++c)
        p.sent.insert(p.sent.end(), samples.begin(), samples.end());
    delivery_log log(p.sent.size());
    p.from_ms = wall_clock_ms();
    for (std::size_t c = 0; c < codecs.size(); ++c) {
        kafkit::producer producer(producer_config(cluster, {{"compression.type", codecs[c]}}));
        std::vector<kafkit::header> headers;
        for (std::size_t i = 0; i < records_per_codec; ++i) {
            const auto n = c * records_per_codec + i;
            REQUIRE_FALSE(producer.send(view_of(topic, p.sent[n], headers), log.callback(n)));
        }
        REQUIRE_FALSE(producer.flush(10s));
    }
    p.to_ms = wall_clock_ms();
    REQUIRE(log.wait_all(1s));
    p.outcomes = log.outcomes();
    for (const auto& o : p.outcomes)
        REQUIRE_FALSE(o.error);
    return p;
}

/// Every record the reader returned is the one kafkit's callback placed there, intact,
/// and the reader returned all of them.
void check_read_back(const produced& p, const std::vector<read_record>& read) {
    std::map<std::pair<std::int32_t, std::int64_t>, std::size_t> where;
    for (std::size_t n = 0; n < p.outcomes.size(); ++n)
        where[{p.outcomes[n].partition, p.outcomes[n].offset}] = n;
    CHECK(read.size() == p.sent.size());
    std::vector<int> seen(p.sent.size(), 0);
    for (const auto& r : read) {
        INFO("read " << r.partition << "@" << r.offset);
        auto it = where.find({r.partition, r.offset});
        REQUIRE(it != where.end());
        INFO("record " << it->second
                       << ", compression.type=" << codecs[it->second / records_per_codec]);
        ++seen[it->second];
        CHECK(difference(p.sent[it->second], r, p.from_ms, p.to_ms) == "");
    }
    for (std::size_t n = 0; n < seen.size(); ++n) {
        INFO("record " << n);
        CHECK(seen[n] == 1);
    }
}

/// Writes every codec's samples (with binary ones if `binary`) to a new topic, runs the
/// reader `command` makes for the bootstrap servers and topic, and checks what it printed.
void check_reader(const std::string& prefix, bool binary,
                  const std::function<std::string(const std::string&, const std::string&)>& command,
                  read_record (*parse)(const json&)) {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const auto topic = new_topic(*cluster, prefix, partitions);
    const auto p = produce_every_codec(*cluster, topic, binary);
    const auto result = run(command(cluster->bootstrap_servers(), topic), 30s);
    INFO("stderr: " << result.err);
    REQUIRE(result.status == 0);
    check_read_back(p, parse_lines(result.out, parse));
}

} // namespace

TEST_CASE("producer interop: kcat reads what kafkit wrote with every codec, keys, headers and "
          "timestamps") {
    // kcat's JSON carries text only: no binary samples.
    check_reader(
        "interop-kcat", false,
        [](const std::string& bootstrap, const std::string& topic) {
            return "kcat -b " + bootstrap + " -C -t " + topic + " -e -J";
        },
        from_kcat);
}

TEST_CASE("producer interop: confluent-kafka-python reads what kafkit wrote with every codec, "
          "keys, headers and timestamps") {
    // Debian's python3-confluent-kafka belongs to /usr/bin/python3, not to a python3 on PATH.
    check_reader(
        "interop-confluent", true,
        [](const std::string& bootstrap, const std::string& topic) {
            return std::string("/usr/bin/python3 ") + KAFKIT_CONFLUENT_READER + " " + bootstrap +
                   " 25 " + topic;
        },
        from_confluent);
}
