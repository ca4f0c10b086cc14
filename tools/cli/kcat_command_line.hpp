#pragma once
// The kcat-compatible command line of `kafkit`: kcat 1.7's flags, read with POSIX getopt
// and the same option string so that bundling (-Ce), attached values (-o-10) and argument
// permutation behave exactly as under kcat, then checked as kcat checks them (mode
// auto-selection, a missing -t). Values are read by the kcat_* parsers of this library.

#include "config_file.hpp"
#include "kcat_options.hpp"
#include "offset_spec.hpp"
#include "parse_result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::cli {

/// kcat's modes: -P, -C, -G <group>, -L, -Q.
enum class kcat_mode : char { produce = 'P', consume = 'C', group = 'G', metadata = 'L', query = 'Q' };

/// Everything a kcat command line asks for.
struct kcat_command {
    kcat_mode mode = kcat_mode::consume;
    bool mode_auto_selected = false; ///< no mode flag: chosen by whether stdin is a terminal
    std::string brokers;             ///< -b
    std::vector<std::string> topics; ///< -t (several for -C), or the topics after -G
    std::optional<std::int32_t> partition; ///< -p; -1 in produce mode is the random partitioner
    std::string group_id;                  ///< -G
    std::string delimiter = "\n";          ///< -D, escapes applied
    std::optional<std::string> key_delimiter; ///< -K, escapes applied
    std::optional<std::string> fixed_key;     ///< -k
    std::vector<header_arg> headers;          ///< -H
    std::optional<std::int64_t> count;        ///< -c
    std::optional<std::string> compression;   ///< -z
    std::vector<property_arg> properties;     ///< -X name=value, in order
    std::optional<std::string> config_file;   ///< -F
    std::optional<std::string> format;        ///< -f
    bool json = false;                        ///< -J
    bool exit_at_end = false;                 ///< -e
    bool exit_on_error = true;                ///< cleared by -E
    bool unbuffered = false;                  ///< -u
    bool tee = false;                         ///< -T
    bool line_mode = false;                   ///< -l
    bool null_for_empty = false;              ///< -Z
    bool print_offset = false;                ///< -O (kcat 1.7 accepts it and prints nothing more)
    int verbosity = 1;                        ///< -q sets 0, each -v adds one
    std::int32_t metadata_timeout_s = 5;      ///< -m
    consume_offsets offsets;                  ///< -o, all of them
    std::vector<offset_query> queries;        ///< -Q -t topic:partition:timestamp
    std::vector<std::string> files;           ///< -P: files to send
    bool print_version = false;               ///< -V
    bool print_help = false;                  ///< -h
    bool list_properties = false;             ///< -X list
    bool dump_properties = false;             ///< -X dump
};

/// The outcome of reading a command line: the command, or what to print to stderr and the
/// exit status (1, as kcat exits for every usage error).
using kcat_parse = parse_result<kcat_command>;

/// Reads argv as kcat 1.7 does. `stdin_is_terminal` decides the mode when no mode flag is
/// given (consume from a terminal, else produce). Unknown flags, a missing value, a bad
/// number or -o syntax, a missing -t: "Error: <reason>" plus a pointer to --help, or kcat's
/// "% ERROR: ..." line. Unlike kcat, -o takes only whole numbers and its words ("-o foo"
/// is an error, not offset 0).
[[nodiscard]] kcat_parse parse_kcat_command_line(int argc, char** argv, bool stdin_is_terminal);

/// The usage text of kcat mode (`kafkit -h`).
[[nodiscard]] std::string kcat_usage();

} // namespace kafkit::cli
