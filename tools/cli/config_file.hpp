#pragma once
// kcat's -F configuration file (also $KCAT_CONFIG and ~/.config/kcat.conf): property=value
// lines, read as kcat 1.7's read_conf_file reads them, Java client quirks included.

#include "parse_result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kafkit::cli {

/// A property set by a configuration file.
struct config_entry {
    std::string name;
    std::string value;
    int line = 0; ///< the 1-based line it came from, for config_file_failure()
};

/// Reads the contents of configuration file `path` as kcat 1.7, returning its properties
/// in file order. kcat reads lines with a 512-byte fgets, so a line longer than 511 bytes
/// goes on as the next line, and a line ends at a NUL. Each line is trimmed of C white
/// space at both ends; empty lines and lines starting with '#' are skipped; "\:" and "\="
/// lose their backslash (Java properties files escape them); the name is the text before
/// the first '=' and the value the rest, neither trimmed further ("a = b" names "a ").
/// Java client properties: ssl.endpoint.identification.algorithm is dropped, and a
/// sasl.jaas.config of PlainLoginModule with username="u" password="p" becomes
/// sasl.username and sasl.password (any other sasl.jaas.config is kept, for the caller
/// to reject as kcat's librdkafka does).
/// Fails with "% ERROR: <path>:<line>: expected property=value\n\n" for a line with no
/// '=' or nothing before it.
[[nodiscard]] parse_result<std::vector<config_entry>> parse_config_file(std::string_view contents,
                                                                        std::string_view path);

/// kcat's complaint about a property of a configuration file that cannot be set:
/// "% ERROR: <path>:<line>: <reason>\n\n".
[[nodiscard]] kcat_failure config_file_failure(std::string_view path, int line, std::string_view reason);

/// kcat's complaint about a -F file it cannot open: "% ERROR: Failed to open <path>:
/// <reason>\n", the reason being strerror(errno).
[[nodiscard]] kcat_failure config_file_open_failure(std::string_view path, std::string_view reason);

} // namespace kafkit::cli
