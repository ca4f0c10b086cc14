#pragma once
// The fixture of the `kafkit <command>` tests: a three-broker kafkit-broker, the kafkit
// binary under test, and the independent tools that read the state back (kcat, and
// confluent-kafka-python / kafka-python through cli_admin_confluent.py).

#include "child_command.hpp"

#include "kafkit/testcontainers/reference_cluster.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace kafkit::integration {

using namespace std::chrono_literals;

inline const std::string kafkit_bin = KAFKIT_CLI_BIN;

/// A command-line word in single quotes for the shell.
inline std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Three brokers that create no topic by themselves: kcat -L -t asking about a topic must
/// not bring it into being.
inline kafkit::testcontainers::reference_cluster_options three_brokers() {
    kafkit::testcontainers::reference_cluster_options options;
    options.brokers = 3;
    options.extra_args = {"--partitions", "3", "--auto-create-topics", "false"};
    return options;
}

/// A table as kafkit (and Kafka's tools) print it: a header line, then rows of cells
/// separated by spaces; each row as header -> cell.
inline std::vector<std::map<std::string, std::string>> parse_table(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> headers;
    std::vector<std::map<std::string, std::string>> rows;
    for (std::string line; std::getline(in, line);) {
        std::istringstream cells(line);
        std::vector<std::string> row;
        for (std::string c; cells >> c;) row.push_back(c);
        if (row.empty()) continue;
        if (headers.empty() || row == headers) {
            headers = row;
            continue;
        }
        REQUIRE_MESSAGE(row.size() == headers.size(), line);
        std::map<std::string, std::string> r;
        for (std::size_t i = 0; i < row.size(); ++i) r[headers[i]] = row[i];
        rows.push_back(std::move(r));
    }
    return rows;
}

struct cli_admin_fixture {
    kafkit::testcontainers::reference_cluster cluster{three_brokers()};
    std::string bootstrap = cluster.bootstrap_servers();

    /// `kafkit ARGS -b BOOTSTRAP`.
    [[nodiscard]] command_result kafkit(const std::string& args) const {
        return run(kafkit_bin + " " + args + " -b " + bootstrap, 60s);
    }
    /// `kafkit ARGS`, nothing added.
    [[nodiscard]] static command_result kafkit_alone(const std::string& args) { return run(kafkit_bin + " " + args, 60s); }
    /// `kafkit ARGS --output json -b BOOTSTRAP`, which must succeed, parsed.
    [[nodiscard]] nlohmann::json kafkit_json(const std::string& args) const {
        const auto r = kafkit(args + " --output json");
        CAPTURE(args);
        REQUIRE_MESSAGE(r.status == 0, r.err);
        return nlohmann::json::parse(r.out);
    }
    /// kafkit ARGS, which must succeed; its stdout.
    [[nodiscard]] std::string kafkit_ok(const std::string& args) const {
        const auto r = kafkit(args);
        CAPTURE(args);
        REQUIRE_MESSAGE(r.status == 0, r.err);
        return r.out;
    }
    [[nodiscard]] command_result kcat(const std::string& args, const std::string& input = {}) const {
        const std::string feed = input.empty() ? "" : "printf '%s' " + quoted(input) + " | ";
        return run(feed + "kcat -b " + bootstrap + " " + args, 30s);
    }
    /// kcat -L -J of `topic`.
    [[nodiscard]] nlohmann::json kcat_metadata(const std::string& topic) const {
        const auto r = kcat("-L -J -t " + topic);
        REQUIRE_MESSAGE(r.status == 0, r.err);
        return nlohmann::json::parse(r.out);
    }
    /// `n` records "v0".."v<n-1>" to `partition` of `topic`, produced by kcat.
    void produce(const std::string& topic, int partition, int n) const {
        std::string lines;
        for (int i = 0; i < n; ++i) {
            // Appended piece by piece: g++ 12 warns (-Wrestrict) on "v" + std::to_string(i) here.
            lines += 'v';
            lines += std::to_string(i);
            lines += '\n';
        }
        const auto r = kcat("-P -t " + topic + " -p " + std::to_string(partition), lines);
        REQUIRE_MESSAGE(r.status == 0, r.err);
    }
    /// cli_admin_confluent.py COMMAND ARGS: the independent peers' answer.
    [[nodiscard]] nlohmann::json peer(const std::string& command, const nlohmann::json& args) const {
        const auto r = run("/usr/bin/python3 " KAFKIT_CLI_ADMIN_PEER " " + bootstrap + " " + command + " " +
                               quoted(args.dump()),
                           60s);
        CAPTURE(command);
        REQUIRE_MESSAGE(r.status == 0, r.err);
        return nlohmann::json::parse(r.out);
    }
    /// The group's committed offsets of `topic`'s first `partitions` partitions, by
    /// confluent-kafka-python: "partition" -> offset.
    [[nodiscard]] std::map<std::string, std::int64_t> committed(const std::string& group, const std::string& topic,
                                                                int partitions) const {
        return peer("committed", {{"group", group}, {"topic", topic}, {"partitions", partitions}})
            .get<std::map<std::string, std::int64_t>>();
    }
};

} // namespace kafkit::integration
