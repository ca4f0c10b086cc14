#include "kcat_command_line.hpp"

#include "delimiters.hpp"

#include <unistd.h>

#include <charconv>
#include <cstring>

namespace kafkit::cli {
namespace {

/// kcat 1.7's option letters; a ':' follows those taking a value.
constexpr const char* option_string = ":PCG:LQt:p:b:z:o:eED:K:k:H:Od:qvF:X:c:Tuf:ZlVhs:r:Jm:";

kcat_failure usage_error(const std::string& reason) {
    return kcat_failure{"Error: " + reason + "\nRun 'kafkit -h' for usage.\n"};
}

/// A whole decimal integer within [min, max], or nullopt.
std::optional<std::int64_t> whole_number(const char* text, std::int64_t min, std::int64_t max) {
    std::int64_t v = 0;
    const char* end = text + std::strlen(text);
    auto [ptr, ec] = std::from_chars(text, end, v);
    if (ec != std::errc() || ptr != end || ptr == text || v < min || v > max) return std::nullopt;
    return v;
}

/// Applies one option to `cmd`; a failure when its value is bad.
std::optional<kcat_failure> apply_option(kcat_command& cmd, int opt, const char* arg, bool& mode_given,
                                         std::vector<std::string>& raw_topics) {
    auto set_mode = [&](kcat_mode m) {
        cmd.mode = m;
        mode_given = true;
    };
    switch (opt) {
    case 'P': set_mode(kcat_mode::produce); break;
    case 'C': set_mode(kcat_mode::consume); break;
    case 'L': set_mode(kcat_mode::metadata); break;
    case 'Q': set_mode(kcat_mode::query); break;
    case 'G':
        set_mode(kcat_mode::group);
        cmd.group_id = arg;
        break;
    case 't': raw_topics.emplace_back(arg); break;
    case 'p': {
        const auto p = whole_number(arg, -1, INT32_MAX);
        if (!p) return usage_error(std::string("-p expects a partition number, not \"") + arg + "\"");
        cmd.partition = static_cast<std::int32_t>(*p);
        break;
    }
    case 'b': cmd.brokers = arg; break;
    case 'z': cmd.compression = arg; break;
    case 'o': {
        const auto spec = parse_offset_spec(arg);
        if (!spec.whole_number)
            return kcat_fatal(std::string("Invalid offset \"") + arg +
                              "\": expected beginning, end, stored, <offset>, -<count>, s@<ms> or e@<ms>");
        apply_offset_spec(cmd.offsets, spec);
        break;
    }
    case 'e': cmd.exit_at_end = true; break;
    case 'E': cmd.exit_on_error = false; break;
    case 'D': {
        auto d = parse_delimiter(arg);
        if (!d) return kcat_failure{d.error()};
        cmd.delimiter = std::move(*d);
        break;
    }
    case 'K': {
        auto d = parse_delimiter(arg);
        if (!d) return kcat_failure{d.error()};
        cmd.key_delimiter = std::move(*d);
        break;
    }
    case 'k': cmd.fixed_key = arg; break;
    case 'H': {
        auto h = parse_header_arg(arg);
        if (!h) return kcat_failure{h.error()};
        cmd.headers.push_back(std::move(*h));
        break;
    }
    case 'O': cmd.print_offset = true; break;
    // kafkit logs by level, not by librdkafka's debug contexts: any -d turns debug logs on.
    case 'd': cmd.properties.push_back({property_arg_kind::set, "log_level", "debug"}); break;
    case 'q': cmd.verbosity = 0; break;
    case 'v': ++cmd.verbosity; break;
    case 'F': cmd.config_file = arg; break;
    case 'X': {
        auto p = parse_property_arg(arg);
        if (!p) return kcat_failure{p.error()};
        if (p->kind == property_arg_kind::list) cmd.list_properties = true;
        else if (p->kind == property_arg_kind::dump) cmd.dump_properties = true;
        else cmd.properties.push_back(std::move(*p));
        break;
    }
    case 'c': {
        const auto c = whole_number(arg, 0, INT64_MAX);
        if (!c) return usage_error(std::string("-c expects a count, not \"") + arg + "\"");
        cmd.count = *c;
        break;
    }
    case 'T': cmd.tee = true; break;
    case 'u': cmd.unbuffered = true; break;
    case 'f': cmd.format = arg; break;
    case 'Z': cmd.null_for_empty = true; break;
    case 'l': cmd.line_mode = true; break;
    case 'V': cmd.print_version = true; break;
    case 'h': cmd.print_help = true; break;
    case 'J': cmd.json = true; break;
    case 'm': {
        const auto m = whole_number(arg, 1, 3600);
        if (!m) return usage_error(std::string("-m expects a timeout in seconds, not \"") + arg + "\"");
        cmd.metadata_timeout_s = static_cast<std::int32_t>(*m);
        break;
    }
    case 's':
    case 'r':
        return kcat_fatal(std::string("-") + static_cast<char>(opt) +
                          " (deserializers and schema registry) is not supported by kafkit");
    default: break;
    }
    return std::nullopt;
}

} // namespace

kcat_parse parse_kcat_command_line(int argc, char** argv, bool stdin_is_terminal) {
    kcat_command cmd;
    bool mode_given = false;
    std::vector<std::string> raw_topics;
    optind = 0; // glibc: full re-initialisation, so the parser can run more than once
    opterr = 0;
    for (int opt; (opt = ::getopt(argc, argv, option_string)) != -1;) {
        if (opt == '?') return usage_error(std::string("unknown option -") + static_cast<char>(optopt));
        if (opt == ':') return usage_error(std::string("option -") + static_cast<char>(optopt) + " requires a value");
        if (auto failure = apply_option(cmd, opt, optarg, mode_given, raw_topics)) return std::move(*failure);
    }
    std::vector<std::string> rest(argv + optind, argv + argc);
    if (cmd.print_help || cmd.print_version || cmd.list_properties || cmd.dump_properties) return cmd;

    if (!mode_given) {
        cmd.mode = stdin_is_terminal ? kcat_mode::consume : kcat_mode::produce;
        cmd.mode_auto_selected = true;
    }
    if (cmd.mode == kcat_mode::query) {
        for (const auto& t : raw_topics) {
            auto q = parse_offset_query(t);
            if (!q) return kcat_failure{q.error()};
            cmd.queries.push_back(std::move(*q));
        }
        if (cmd.queries.empty()) return usage_error("-t <topic>:<partition>:<timestamp> missing");
    } else {
        cmd.topics = std::move(raw_topics);
    }
    switch (cmd.mode) {
    case kcat_mode::produce:
        if (cmd.topics.empty()) return usage_error("-t <topic> missing");
        if (cmd.topics.size() > 1) return usage_error("produce mode takes one -t <topic>");
        if (cmd.delimiter.empty()) return empty_produce_delimiter_failure();
        if (cmd.line_mode && rest.size() > 1) return usage_error("-l takes one file");
        cmd.files = std::move(rest);
        break;
    case kcat_mode::consume:
        for (auto& t : rest) cmd.topics.push_back(std::move(t));
        if (cmd.topics.empty()) return usage_error("-t <topic> missing");
        break;
    case kcat_mode::group:
        for (auto& t : rest) cmd.topics.push_back(std::move(t));
        if (cmd.topics.empty()) return usage_error("-G <group> expects the topics to subscribe to");
        if (cmd.offsets.start_timestamp_ms != 0 || cmd.offsets.stop_timestamp_ms != 0)
            return timestamp_in_group_mode_failure();
        break;
    case kcat_mode::metadata:
        if (cmd.topics.size() > 1) return usage_error("-L takes at most one -t <topic>");
        break;
    case kcat_mode::query: break;
    }
    return cmd;
}

std::string kcat_usage() {
    return R"(Usage: kafkit <options> [file1 file2 .. | topic1 topic2 ..]
       kafkit <command> ...   (admin commands: kafkit --help)

kafkit's kcat-compatible mode: the same flags, output and exit codes as kcat 1.7.

Modes:
  -P                 Produce records read from stdin or files
  -C                 Consume records of partitions to stdout
  -G <group-id>      Consume as a member of a consumer group; the topics follow the options
  -L                 List brokers, topics and partitions (metadata)
  -Q                 Query the offsets of timestamps (-t topic:partition:timestamp)
  Without a mode: -C when stdin is a terminal, else -P.

General:
  -b <brokers>       Bootstrap servers, host[:port],.. (or bootstrap.servers in -F/-X)
  -t <topic>         The topic to produce to, consume or list
  -p <partition>     One partition (produce: -1 lets the partitioner choose)
  -X <name=value>    A client property (see docs/configuration.md); -X list lists them
  -F <file>          Read properties from a file of name=value lines ($KCAT_CONFIG,
                     ~/.config/kcat.conf otherwise)
  -m <seconds>       Timeout of metadata requests (default 5)
  -c <count>         Stop after this many records
  -D <delim>         Record delimiter (default \n; \t \n \xNN escapes)
  -K <delim>         Key delimiter
  -q                 Quiet: no informational messages on stderr
  -v                 More messages
  -E                 Do not exit on non-fatal errors
  -d <contexts>      Debug logging (log_level=debug; the contexts are not told apart)
  -V                 Print the version
  -h                 This help

Produce (-P):
  -z <codec>         Compression: none, gzip, snappy, lz4, zstd
  -k <key>           The key of every record (a -K key takes precedence)
  -H <name=value>    A header of every record (may repeat)
  -l                 Split a file into records by the delimiter, as stdin is
  -T                 Echo what is sent to stdout
  -Z                 Send empty values as null
  file ...           Send each file as one record (with -l: one file, split)

Consume (-C, -G):
  -o <offset>        Where to start: beginning, end, stored, <offset>, -<count> before
                     the end, s@<ms> (first record at or after), e@<ms> (stop before)
  -e                 Exit when every partition is at its end
  -f <format>        Output format: %t topic, %p partition, %o offset, %k key, %K key
                     length, %s value, %S value length, %R value length as a big-endian
                     int32, %T timestamp, %h headers (n=v,..), %% a percent sign;
                     \n \r \t \xNN escapes
  -J                 One JSON object per record
  -Z                 Print empty and null keys and values as NULL
  -u                 Unbuffered output

Examples:
  kafkit -b localhost:9092 -L
  printf 'k1:v1\nk2:v2\n' | kafkit -b localhost:9092 -P -t orders -K:
  kafkit -b localhost:9092 -C -t orders -e -f '%p %o %k %s\n'
  kafkit -b localhost:9092 -G my-group orders
)";
}

} // namespace kafkit::cli
