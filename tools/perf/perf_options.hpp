#pragma once
// The command line of the benchmarks: `produce` (kafka-producer-perf-test's flags),
// `consume` (kafka-consumer-perf-test's) and `latency` (a producer and a consumer in one
// process), each plus --json; the client properties merged from the file and the command
// line, and the payloads the producers send.

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace kafkit::perf {

/// Client properties in the order they take effect (later entries win).
using property_list = std::vector<std::pair<std::string, std::string>>;

/// What `produce` was asked to do.
struct produce_options {
    std::string topic;                      ///< --topic
    std::int64_t num_records = 0;           ///< --num-records (> 0)
    std::optional<std::int32_t> record_size; ///< --record-size (> 0), or
    std::string payload_file;               ///< --payload-file: payloads to pick from at random
    std::string payload_delimiter = "\n";   ///< --payload-delimiter
    double throughput = -1;                 ///< --throughput records/s (<= 0: unthrottled)
    std::vector<std::string> producer_props; ///< --producer-props NAME=VALUE ...
    std::string producer_config;            ///< --producer.config FILE
    bool print_metrics = false;             ///< --print-metrics
    bool json = false;                      ///< --json: final figures as one JSON object
};

/// What `consume` was asked to do.
struct consume_options {
    std::string bootstrap_server;            ///< --bootstrap-server HOST:PORT[,...]
    std::string topic;                       ///< --topic
    std::int64_t messages = 0;               ///< --messages: stop after this many records (> 0)
    std::string group;                       ///< --group: subscribe as this group; empty: assign
    std::vector<std::string> consumer_props; ///< --consumer-props NAME=VALUE ...
    std::string consumer_config;             ///< --consumer.config FILE
    std::int64_t timeout_ms = 10000;         ///< --timeout: longest wait for a record (> 0)
    bool json = false;                       ///< --json: final figures as one JSON object
};

/// What `latency` was asked to do: --messages records at --throughput records/s, read
/// back by a consumer with every partition of the topic assigned from its beginning (so the
/// topic should be new), after --warmup-records that are read back but not measured.
struct latency_options {
    std::string bootstrap_server;            ///< --bootstrap-server HOST:PORT[,...]
    std::string topic;                       ///< --topic
    std::int64_t messages = 0;               ///< --messages measured (> 0)
    double throughput = 0;                   ///< --throughput records/s (> 0)
    std::int32_t record_size = 0;            ///< --record-size (>= latency_stamp_size)
    std::int64_t warmup_records = 100;       ///< --warmup-records (>= 0)
    std::vector<std::string> producer_props; ///< --producer-props NAME=VALUE ...
    std::vector<std::string> consumer_props; ///< --consumer-props NAME=VALUE ...
    std::int64_t timeout_ms = 10000;         ///< --timeout: longest wait for a record (> 0)
    bool json = false;                       ///< --json: final figures as one JSON object
};

/// The outcome of reading the command line: the options of the subcommand to run (exactly
/// one set), or none and an exit code (0 after --help, non-zero after an error already
/// printed to stderr).
struct parsed_command_line {
    std::optional<produce_options> produce;
    std::optional<consume_options> consume;
    std::optional<latency_options> latency;
    int exit_code = 0;
};

/// Where the flags of the subcommands add_perf_subcommands adds are written while CLI11
/// parses them.
struct perf_flags {
    produce_options produce;
    std::int32_t record_size = 0; ///< --record-size; checked_command_line moves it into produce
    consume_options consume;
    latency_options latency;
};

/// Adds `produce`, `consume` and `latency` with their flags (as parse_command_line reads
/// them) to `app`, writing into `flags`, which must outlive `app`. `kafkit perf` puts them
/// under its own command tree this way.
void add_perf_subcommands(CLI::App& app, perf_flags& flags);

/// After a successful parse, the options of `chosen` (one of the subcommands
/// add_perf_subcommands added) once their combination is checked; or none and exit_code 1
/// after printing the problem, prefixed with `tool`, and `chosen`'s usage to stderr.
[[nodiscard]] parsed_command_line checked_command_line(const CLI::App& chosen, perf_flags& flags,
                                                       const std::string& tool);

/// Parses `<tool> produce FLAGS` the way kafka-producer-perf-test reads its flags (--topic,
/// --num-records, --throughput required; exactly one of --record-size and --payload-file;
/// at least one of --producer-props and --producer.config), and `<tool> consume FLAGS` as
/// kafka-consumer-perf-test (--bootstrap-server, --topic, --messages required), and
/// `<tool> latency FLAGS` (--bootstrap-server, --topic, --messages, --throughput and
/// --record-size required). Prints usage errors itself.
[[nodiscard]] parsed_command_line parse_command_line(int argc, char** argv, const std::string& tool,
                                                     const std::string& client_name);

/// The producer properties: the --producer.config file's, then --producer-props over them,
/// then client.id=perf-producer-client when neither set it (as the Java tool does). Returns
/// the error text instead when the file cannot be read or a NAME=VALUE has no '='.
struct properties_or_error {
    property_list properties;
    std::string error; ///< empty on success
};
[[nodiscard]] properties_or_error load_producer_properties(const produce_options& options);

/// The consumer properties: the --consumer.config file's, then --consumer-props over them,
/// then bootstrap.servers from --bootstrap-server and group.id from --group over both (as
/// the Java tool sets them), then, where none of those set them, client.id=
/// perf-consumer-client, auto.offset.reset=earliest and enable.auto.commit=false.
[[nodiscard]] properties_or_error load_consumer_properties(const consume_options& options);

/// The value of `name` in `properties` (the last entry wins), or nullptr.
[[nodiscard]] const std::string* find_property(const property_list& properties, std::string_view name);

/// Hands out record values without work per record: --record-size values are windows on a
/// block of random capital letters (as the Java tool's, and too large for a 64 KB
/// compression window to see repeats); --payload-file values are picked at random.
class payload_source {
public:
    /// Builds the block or reads the file; check error() afterwards.
    explicit payload_source(const produce_options& options);
    /// Why the payloads could not be prepared (empty when they were).
    [[nodiscard]] const std::string& error() const noexcept { return error_; }
    /// How many payloads --payload-file held (0 with --record-size).
    [[nodiscard]] std::size_t file_payloads() const noexcept { return payloads_.size(); }
    /// The value of record number `index`; the view lives as long as this object.
    [[nodiscard]] std::string_view next(std::int64_t index);

private:
    std::string block_;
    std::size_t record_size_ = 0;
    std::vector<std::string> payloads_;
    std::minstd_rand pick_{0};
    std::string error_;
};

} // namespace kafkit::perf
