#pragma once
// NAME=VALUE text as the admin commands read it: the arguments of -X, --config and
// `configs set`, and the --command-config file (a Java properties file, as Kafka's
// shell tools take for their client).

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kafkit::admin_cli {

using property = std::pair<std::string, std::string>;

/// Splits "name=value" at its first '='; throws usage_error naming `flag` when there is no
/// '=' or no name.
[[nodiscard]] property split_property(std::string_view text, std::string_view flag);

/// Each "name=value" of `texts` by name (a later one wins); throws usage_error as
/// split_property does.
[[nodiscard]] std::map<std::string, std::string> property_map(const std::vector<std::string>& texts,
                                                              std::string_view flag);

/// The properties of the file at `path` in file order, read as java.util.Properties reads
/// them: '#' and '!' comment lines, the name ending at the first '=', ':' or white space
/// (white space around the separator dropped), a trailing backslash continuing the line,
/// the escapes \t \n \r \f \\ and a backslash before any other character keeping that
/// character. Throws usage_error when the file cannot be read.
[[nodiscard]] std::vector<property> read_properties_file(const std::string& path);

} // namespace kafkit::admin_cli
