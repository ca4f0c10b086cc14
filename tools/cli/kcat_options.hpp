#pragma once
// kcat's -H name=value (a header for every produced record) and -X name=value (a client
// property) arguments.

#include "parse_result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kafkit::cli {

/// A -H header.
struct header_arg {
    std::string name;
    std::optional<std::string> value; ///< nullopt: a null value ("-H name")
};

/// Reads -H as kcat 1.7: "name=value" splits at the first '=' (the value may be empty or
/// hold more '='; nothing is trimmed), "name" alone is a header with a null value. Fails
/// for "" and "=value": "% ERROR: Expected -H \"name=value..\" or -H \"name\"\n".
[[nodiscard]] parse_result<header_arg> parse_header_arg(std::string_view arg);

/// What a -X argument asks for.
enum class property_arg_kind : std::uint8_t {
    set,  ///< "name=value"
    list, ///< "list" or "help": print the properties and exit 0
    dump, ///< "dump": print the configuration and exit 0
};

/// A -X argument.
struct property_arg {
    property_arg_kind kind = property_arg_kind::set;
    std::string name;  ///< set: the text before the first '=' (may be empty)
    std::string value; ///< set: the text after it
};

/// Reads -X as kcat 1.7. kcat sends a "topic."-prefixed name to the topic configuration
/// and any other name to the topic configuration first, then the global one; unknown
/// names are the caller's to reject (librdkafka's words: "% ERROR: No such configuration
/// property: \"<name>\"\n"). Fails without '=' with kcat's own line, which has no
/// "ERROR:": "% Expected -X property=value, not <arg>, use -X list to display available
/// properties\n".
[[nodiscard]] parse_result<property_arg> parse_property_arg(std::string_view arg);

} // namespace kafkit::cli
