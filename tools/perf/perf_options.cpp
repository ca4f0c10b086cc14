#include "perf_options.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

namespace kafkit::perf {
namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\f");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\f");
    return s.substr(first, last - first + 1);
}

// java.util.Properties' line format, less its escapes: "name=value", "name: value" or
// "name value", '#' and '!' comments, a trailing backslash continuing the line.
std::string read_properties_file(const std::string& path, property_list& out) {
    std::ifstream in(path);
    if (!in) return "cannot read --producer.config file " + path;
    std::string line;
    std::string logical;
    while (std::getline(in, line)) {
        const std::string_view piece = logical.empty() ? trim(line) : std::string_view(line);
        if (logical.empty() && (piece.empty() || piece.front() == '#' || piece.front() == '!')) continue;
        if (!piece.empty() && piece.back() == '\\') {
            logical.append(trim(piece.substr(0, piece.size() - 1)));
            continue;
        }
        logical.append(trim(piece));
        const auto split = logical.find_first_of("=: \t");
        const std::string_view name = trim(std::string_view(logical).substr(0, split));
        std::string_view value;
        if (split != std::string::npos) {
            value = trim(std::string_view(logical).substr(split + 1));
            if (!value.empty() && (value.front() == '=' || value.front() == ':')) value = trim(value.substr(1));
        }
        out.emplace_back(std::string(name), std::string(value));
        logical.clear();
    }
    return {};
}

bool has_property(const property_list& list, std::string_view name) {
    return std::any_of(list.begin(), list.end(), [&](const auto& p) { return p.first == name; });
}

// CLI11 cannot express "one of these two is required" across a pair of options.
std::string check_combination(const produce_options& o) {
    if (o.num_records <= 0) return "--num-records should be greater than zero";
    if (o.record_size && *o.record_size <= 0) return "--record-size should be greater than zero";
    if (!o.record_size && o.payload_file.empty()) return "either --record-size or --payload-file must be specified";
    if (o.producer_props.empty() && o.producer_config.empty())
        return "Either --producer-props or --producer.config must be specified.";
    return {};
}

} // namespace

parsed_command_line parse_command_line(int argc, char** argv, const std::string& tool,
                                       const std::string& client_name) {
    CLI::App app{tool + ": producer benchmark with " + client_name +
                 " (the flags and output of Kafka's kafka-producer-perf-test)"};
    app.require_subcommand(1);
    CLI::App* produce = app.add_subcommand("produce", "produce records and report throughput and latency");
    produce_options o;
    std::int32_t record_size = 0;
    produce->add_option("--topic", o.topic, "produce messages to this topic")->required();
    produce->add_option("--num-records", o.num_records, "number of messages to produce")->required();
    auto* size = produce->add_option("--record-size", record_size, "message size in bytes");
    auto* file = produce->add_option("--payload-file", o.payload_file,
                                     "file to read the message payloads from (one is picked at random per message)");
    size->excludes(file);
    produce->add_option("--payload-delimiter", o.payload_delimiter,
                        "delimiter of the payloads in --payload-file (default: a new line)");
    produce->add_option("--throughput", o.throughput,
                        "throttle to approximately THROUGHPUT messages/sec; -1 disables throttling")
        ->required();
    produce->add_option("--producer-props", o.producer_props,
                        "PROP-NAME=PROP-VALUE ...: producer properties, over those of --producer.config");
    produce->add_option("--producer.config", o.producer_config, "producer config properties file");
    produce->add_flag("--print-metrics", o.print_metrics, "print the producer's metrics at the end of the test");
    produce->add_flag("--json", o.json, "print the final figures as one JSON object (progress goes to stderr)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return {std::nullopt, app.exit(e)};
    }
    if (size->count() > 0) o.record_size = record_size;
    if (auto problem = check_combination(o); !problem.empty()) {
        std::cerr << tool << ": " << problem << "\n" << produce->help();
        return {std::nullopt, 1};
    }
    return {std::move(o), 0};
}

properties_or_error load_producer_properties(const produce_options& options) {
    properties_or_error result;
    if (!options.producer_config.empty()) {
        result.error = read_properties_file(options.producer_config, result.properties);
        if (!result.error.empty()) return result;
    }
    for (const auto& prop : options.producer_props) {
        const auto eq = prop.find('=');
        if (eq == std::string::npos || eq == 0) {
            result.error = "Invalid property: " + prop;
            return result;
        }
        result.properties.emplace_back(prop.substr(0, eq), prop.substr(eq + 1));
    }
    if (!has_property(result.properties, "client.id")) result.properties.emplace_back("client.id", "perf-producer-client");
    return result;
}

payload_source::payload_source(const produce_options& options) {
    if (options.record_size) {
        record_size_ = static_cast<std::size_t>(*options.record_size);
        // 4 MiB of letters: consecutive records differ over far more than lz4's 64 KB window.
        block_.resize(std::max<std::size_t>(std::size_t{4} << 20, 2 * record_size_));
        std::minstd_rand letters(0);
        for (auto& c : block_) c = static_cast<char>('A' + letters() % 26);
        return;
    }
    std::ifstream in(options.payload_file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    const std::string all = text.str();
    if (!in || all.empty()) {
        error_ = "File does not exist or empty file provided: " + options.payload_file;
        return;
    }
    const std::string& delimiter = options.payload_delimiter.empty() ? std::string("\n") : options.payload_delimiter;
    for (std::size_t start = 0; start <= all.size();) {
        const auto end = all.find(delimiter, start);
        const auto stop = end == std::string::npos ? all.size() : end;
        if (stop > start) payloads_.push_back(all.substr(start, stop - start));
        if (end == std::string::npos) break;
        start = end + delimiter.size();
    }
    if (payloads_.empty()) error_ = "no payloads in " + options.payload_file;
}

std::string_view payload_source::next(std::int64_t index) {
    if (!payloads_.empty()) return payloads_[pick_() % payloads_.size()];
    const std::size_t windows = block_.size() - record_size_ + 1;
    const std::size_t offset = (static_cast<std::size_t>(index) * record_size_) % windows;
    return std::string_view(block_).substr(offset, record_size_);
}

} // namespace kafkit::perf
