// parse_delimiter against kcat 1.7.1: the consume outputs are in kcat_format_test; here
// the delimiter bytes themselves, checked by producing with `kcat -P -D <arg>` and
// consuming with -f '[%s]\n'.

#include "delimiters.hpp"

#include <doctest/doctest.h>

namespace kafkit::cli {
namespace {

std::string delim(std::string_view arg) {
    auto d = parse_delimiter(arg);
    REQUIRE_MESSAGE(d.has_value(), d.error());
    return *d;
}

} // namespace

TEST_CASE("delimiters: \\n, \\t and \\x are replaced, \\r is not") {
    CHECK(delim("").empty());
    CHECK(delim(",") == ",");
    CHECK(delim("\\n") == "\n");
    CHECK(delim("\\t\\n\\n") == "\t\n\n");
    CHECK(delim("\\x54!\\x45\\x53T") == "T!EST");
    // printf 'a\\rb\nc' | kcat -P -D '\r' produced "a" and "b\nc".
    CHECK(delim("\\r") == "\\r");
}

TEST_CASE("delimiters: \\x reads with strtoul base 16 and keeps the low byte") {
    CHECK(delim("\\x4142") == "B");
    CHECK(delim("\\x 20") == " ");  // white space skipped: kcat -P -D '\x 20' split "x y"
    CHECK(delim("\\x-bf") == "A");  // a sign: -0xbf is ...41
    CHECK(delim("\\x0x41") == "A"); // a 0x prefix
    CHECK(delim("a\\x00b") == "a\013");
    CHECK(delim("\\x5cn") == "\n"); // the backslash it makes starts a new "\n"
}

TEST_CASE("delimiters: the result ends at a NUL") {
    CHECK(delim("ab\\x00").size() == 2);
    CHECK(delim("\\x00").empty()); // kcat -P -D '\x00': Message delimiter -D must not be empty
    CHECK(empty_produce_delimiter_failure().stderr_text ==
          "% ERROR: Message delimiter -D must not be empty when producing\n");
}

TEST_CASE("delimiters: \\x without a hex digit fails with kcat's message") {
    CHECK(parse_delimiter("\\xZZ").error() == "% ERROR: Delimiter \\xZZ expects hex number\n");
    CHECK(parse_delimiter("\\x").error() == "% ERROR: Delimiter \\x expects hex number\n");
    CHECK(parse_delimiter("a\\nb\\xq").error() == "% ERROR: Delimiter \\xq expects hex number\n");
}

} // namespace kafkit::cli
