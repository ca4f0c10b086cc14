#include "perf_options.hpp"

#include "latency_stamp.hpp"

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
std::string read_properties_file(const std::string& path, std::string_view flag, property_list& out) {
    std::ifstream in(path);
    if (!in) return "cannot read " + std::string(flag) + " file " + path;
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

// The --producer.config / --consumer.config file, then the NAME=VALUE arguments over it.
properties_or_error file_then_arguments(const std::string& file, std::string_view flag,
                                        const std::vector<std::string>& arguments) {
    properties_or_error result;
    if (!file.empty()) {
        result.error = read_properties_file(file, flag, result.properties);
        if (!result.error.empty()) return result;
    }
    for (const auto& prop : arguments) {
        const auto eq = prop.find('=');
        if (eq == std::string::npos || eq == 0) {
            result.error = "Invalid property: " + prop;
            return result;
        }
        result.properties.emplace_back(prop.substr(0, eq), prop.substr(eq + 1));
    }
    return result;
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

std::string check_combination(const consume_options& o) {
    if (o.messages <= 0) return "--messages should be greater than zero";
    if (o.timeout_ms <= 0) return "--timeout should be greater than zero";
    if (o.topic.empty()) return "--topic must not be empty";
    return {};
}

std::string check_combination(const latency_options& o) {
    if (o.messages <= 0) return "--messages should be greater than zero";
    if (o.throughput <= 0) return "--throughput should be greater than zero";
    if (o.record_size < latency_stamp_size)
        return "--record-size should be at least " + std::to_string(latency_stamp_size) +
               " (the send time and number every record carries)";
    if (o.warmup_records < 0) return "--warmup-records should not be negative";
    if (o.timeout_ms <= 0) return "--timeout should be greater than zero";
    if (o.topic.empty()) return "--topic must not be empty";
    return {};
}

void add_produce_command(CLI::App& app, produce_options& o, std::int32_t& record_size) {
    CLI::App* produce = app.add_subcommand("produce", "produce records and report throughput and latency");
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
}

void add_consume_command(CLI::App& app, consume_options& o) {
    CLI::App* consume = app.add_subcommand("consume", "consume records and report throughput and CPU per record");
    consume->add_option("--bootstrap-server", o.bootstrap_server, "HOST:PORT[,...] of the brokers")->required();
    consume->add_option("--topic", o.topic, "consume messages from this topic")->required();
    consume->add_option("--messages", o.messages, "number of messages to consume")->required();
    consume->add_option("--group", o.group,
                        "subscribe as a member of this group; without it every partition of the topic is "
                        "assigned from its beginning");
    consume->add_option("--consumer-props", o.consumer_props,
                        "PROP-NAME=PROP-VALUE ...: consumer properties, over those of --consumer.config");
    consume->add_option("--consumer.config", o.consumer_config, "consumer config properties file");
    consume->add_option("--timeout", o.timeout_ms,
                        "give up (exit 1) when no message arrives for this many milliseconds (default 10000)");
    consume->add_flag("--json", o.json, "print the final figures as one JSON object");
}

void add_latency_command(CLI::App& app, latency_options& o) {
    CLI::App* latency = app.add_subcommand(
        "latency", "produce records at a fixed rate, consume them in the same process and report "
                   "end-to-end latency percentiles");
    latency->add_option("--bootstrap-server", o.bootstrap_server, "HOST:PORT[,...] of the brokers")
        ->required();
    latency
        ->add_option("--topic", o.topic,
                     "a new topic: every partition is assigned from its beginning")
        ->required();
    latency->add_option("--messages", o.messages, "number of records measured")->required();
    latency->add_option("--throughput", o.throughput, "records/sec, sent evenly")->required();
    latency->add_option("--record-size", o.record_size, "value size in bytes (at least 16)")
        ->required();
    latency->add_option("--warmup-records", o.warmup_records,
                        "records sent and awaited before the measured ones, not measured "
                        "(default 100; at least one per partition unless 0)");
    latency->add_option("--producer-props", o.producer_props,
                        "PROP-NAME=PROP-VALUE ...: producer properties");
    latency->add_option("--consumer-props", o.consumer_props,
                        "PROP-NAME=PROP-VALUE ...: consumer properties");
    latency->add_option("--timeout", o.timeout_ms,
                        "give up (exit 1) when no record arrives for this many milliseconds "
                        "(default 10000)");
    latency->add_flag("--json", o.json, "print the final figures as one JSON object");
}

} // namespace

void add_perf_subcommands(CLI::App& app, perf_flags& flags) {
    add_produce_command(app, flags.produce, flags.record_size);
    add_consume_command(app, flags.consume);
    add_latency_command(app, flags.latency);
}

parsed_command_line checked_command_line(const CLI::App& chosen, perf_flags& flags, const std::string& tool) {
    std::string problem;
    if (chosen.get_name() == "produce") {
        if (chosen.get_option("--record-size")->count() > 0) flags.produce.record_size = flags.record_size;
        problem = check_combination(flags.produce);
    } else if (chosen.get_name() == "consume") {
        problem = check_combination(flags.consume);
    } else {
        problem = check_combination(flags.latency);
    }
    parsed_command_line parsed;
    if (!problem.empty()) {
        std::cerr << tool << ": " << problem << "\n" << chosen.help();
        parsed.exit_code = 1;
        return parsed;
    }
    if (chosen.get_name() == "produce")
        parsed.produce = std::move(flags.produce);
    else if (chosen.get_name() == "consume")
        parsed.consume = std::move(flags.consume);
    else
        parsed.latency = std::move(flags.latency);
    return parsed;
}

parsed_command_line parse_command_line(int argc, char** argv, const std::string& tool,
                                       const std::string& client_name) {
    CLI::App app{tool + ": producer and consumer benchmarks with " + client_name +
                 " (the flags and output of Kafka's kafka-producer-perf-test and kafka-consumer-perf-test)"};
    app.require_subcommand(1);
    perf_flags flags;
    add_perf_subcommands(app, flags);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        parsed_command_line parsed;
        parsed.exit_code = app.exit(e);
        return parsed;
    }
    return checked_command_line(*app.get_subcommands().front(), flags, tool);
}

properties_or_error load_producer_properties(const produce_options& options) {
    auto result = file_then_arguments(options.producer_config, "--producer.config", options.producer_props);
    if (!result.error.empty()) return result;
    if (!has_property(result.properties, "client.id")) result.properties.emplace_back("client.id", "perf-producer-client");
    return result;
}

properties_or_error load_consumer_properties(const consume_options& options) {
    auto result = file_then_arguments(options.consumer_config, "--consumer.config", options.consumer_props);
    if (!result.error.empty()) return result;
    auto& list = result.properties;
    list.emplace_back("bootstrap.servers", options.bootstrap_server);
    if (!options.group.empty()) list.emplace_back("group.id", options.group);
    if (!has_property(list, "client.id")) list.emplace_back("client.id", "perf-consumer-client");
    if (!has_property(list, "auto.offset.reset")) list.emplace_back("auto.offset.reset", "earliest");
    if (!has_property(list, "enable.auto.commit")) list.emplace_back("enable.auto.commit", "false");
    return result;
}

const std::string* find_property(const property_list& properties, std::string_view name) {
    const auto last = std::find_if(properties.rbegin(), properties.rend(), [&](const auto& p) { return p.first == name; });
    return last == properties.rend() ? nullptr : &last->second;
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
