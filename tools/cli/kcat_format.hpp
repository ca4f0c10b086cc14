#pragma once
// kcat's -f output format: parsed once into parts (literal text and %-tokens), then
// rendered per consumed record into a caller's buffer. The parse follows kcat 1.7's
// fmt_parse/fmt_add exactly (escapes, errors, its limit of 128 parts), because a format
// string must print the same bytes under `kafkit` as under kcat. Also the format kcat
// builds from -D/-K when there is no -f.

#include "parse_result.hpp"

#include "kafkit/consumer_record.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::cli {

/// What one part of a format prints.
enum class format_field : std::uint8_t {
    literal,           ///< the part's text
    value,             ///< %s: the value's bytes; nothing for a null or empty value
    value_length,      ///< %S: the value's length, -1 for null
    value_length_be32, ///< %R: %S as 4 bytes, a big-endian int32
    key,               ///< %k: the key's bytes; nothing for a null or empty key
    key_length,        ///< %K: the key's length, -1 for null
    topic,             ///< %t
    partition,         ///< %p
    offset,            ///< %o
    timestamp,         ///< %T: milliseconds, -1 when the record has none
    headers,           ///< %h: name=value,name=value ("NULL" for a null value)
};

/// One part of a parsed format.
struct format_part {
    format_field field = format_field::literal;
    std::string text; ///< for literals: the bytes, escapes already applied
};

/// kcat's -Z: how %k and %s print a key or value of length 0 (null or empty alike).
enum class null_rendering : std::uint8_t {
    empty,       ///< print nothing (kcat's default)
    null_string, ///< print "NULL"
};

/// A parsed -f format. Immutable after parsing; render() may run on any thread.
class kcat_format {
public:
    /// Parses a -f argument as kcat 1.7 does. Text between tokens gets kcat's backslash
    /// escapes: \n \r \t; \x followed by a decimal digit reads a hex number (strtoul, so
    /// "\x4142" is 'B'), \x followed by anything else is that character ("\xff" is "ff");
    /// \ followed by a digit reads a C number, decimal unless 0/0x-prefixed ("\12" is '\f',
    /// "\012" '\n'), keeping the low byte; \ followed by any other character is that
    /// character; a trailing \ stays. A text cut short by a NUL byte ends there. "%%" is
    /// "%". The text is read up to its first NUL (a C string).
    /// Fails as kcat does: "% ERROR: Unsupported formatter: %<c>\n" for an unknown token
    /// (kcat 1.7 has no %H nor %e), "% ERROR: Empty formatter\n" for a trailing '%', and
    /// "% ERROR: Too many formatters & strings (KC_FMT_MAX_SIZE=128)\n" past 128 parts.
    [[nodiscard]] static parse_result<kcat_format> parse(std::string_view format,
                                                         null_rendering nulls = null_rendering::empty);

    /// The format kcat uses in consume mode without -f or -J: "%k<key_delimiter>%s<delimiter>"
    /// with -K, else "%s<delimiter>", where the delimiters are parse_delimiter()'s output.
    /// Built the way kcat builds it: each delimiter cut at its first NUL, the format text cut
    /// to 63 bytes (kcat's 64-byte buffer), then parsed as a -f format, so escapes and '%'
    /// in a delimiter are interpreted a second time (-D '%o' prints offsets, -D '\r' a CR).
    /// With -J, kcat instead parses the -f argument or else the -D delimiter with parse().
    [[nodiscard]] static parse_result<kcat_format>
    from_delimiters(std::string_view delimiter, std::optional<std::string_view> key_delimiter,
                    null_rendering nulls = null_rendering::empty);

    /// The text kcat builds for from_delimiters() (before parsing it).
    [[nodiscard]] static std::string default_format_text(std::string_view delimiter,
                                                         std::optional<std::string_view> key_delimiter);

    /// Appends `record` as this format prints it to `out`. Returns false when kcat would
    /// fail writing this record: the format holds a literal that escapes turned into
    /// nothing (such as "\0"), which kcat's fwrite reports as a write error at the first
    /// record - `out` then has the parts before it; the caller prints
    /// write_error_message() and exits with status 1. Returns true otherwise.
    [[nodiscard]] bool render(const consumer_record& record, std::string& out) const;

    /// The parts, adjacent literals merged (kcat prints the same bytes for them). A format
    /// whose render() fails ends just before the empty literal.
    [[nodiscard]] std::span<const format_part> parts() const noexcept { return parts_; }

    /// What kcat writes after each -J object: the first part's text when it is a literal
    /// (so "\n" for the default -D), else nothing.
    [[nodiscard]] std::string_view json_trailer() const noexcept { return json_trailer_; }

    /// True when render() fails for every record (see render()).
    [[nodiscard]] bool fails_on_write() const noexcept { return fails_on_write_; }

private:
    kcat_format() = default;

    std::vector<format_part> parts_;
    std::string json_trailer_;
    null_rendering nulls_ = null_rendering::empty;
    bool fails_on_write_ = false;
};

/// kcat's message for a record it failed to write, for kcat_fatal(): "Write error for
/// message of <value length> bytes in <topic> [<partition>] at offset <offset>: <reason>",
/// where kcat's reason is strerror(errno).
[[nodiscard]] std::string write_error_message(const consumer_record& record, std::string_view reason);

} // namespace kafkit::cli
