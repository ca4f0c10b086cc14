#pragma once
// kcat's -D and -K arguments: the escapes it replaces in a delimiter.

#include "parse_result.hpp"

#include <string>
#include <string_view>

namespace kafkit::cli {

/// Reads a -D/-K argument as kcat 1.7's parse_delim: repeatedly replaces the first "\n"
/// with a newline, else the first "\t" with a tab, else the first "\x" with the low byte
/// of strtoul(base 16) of what follows (which may skip white space, take a sign and a 0x
/// prefix: "\x41" is 'A', "\x4142" 'B', "\x-bf" 'A'), until none is left - a byte made by
/// "\x5c" can start a new escape. "\r" is not replaced here (the consumer's format
/// replaces it later, the producer splits on the two characters). The result ends at its
/// first NUL, as kcat keeps its strlen().
/// Fails with "% ERROR: Delimiter <rest> expects hex number\n" when no hex digit follows a
/// "\x", <rest> being the text from that backslash on.
[[nodiscard]] parse_result<std::string> parse_delimiter(std::string_view arg);

/// kcat's complaint about an empty -D in produce mode: "% ERROR: Message delimiter -D must
/// not be empty when producing\n".
[[nodiscard]] kcat_failure empty_produce_delimiter_failure();

} // namespace kafkit::cli
