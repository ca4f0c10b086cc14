// kcat_format against kcat 1.7.1's output for the captured records (captured_records.hpp):
// each expected string is what `kcat -C -t t1 -e -q <flags>` wrote to stdout.

#include "captured_records.hpp"
#include "delimiters.hpp"
#include "kcat_format.hpp"

#include <doctest/doctest.h>

#include <string>

namespace kafkit::cli {
namespace {

using namespace std::string_view_literals;
using test::captured_records;
using test::render_all;

kcat_format parsed(std::string_view text, null_rendering nulls = null_rendering::empty) {
    auto f = kcat_format::parse(text, nulls);
    REQUIRE_MESSAGE(f.has_value(), f.error());
    return std::move(f).value();
}

/// The format kcat builds from -D and -K arguments (as typed on the command line).
kcat_format from_args(std::string_view d, std::optional<std::string_view> k = std::nullopt,
                      null_rendering nulls = null_rendering::empty) {
    auto delim = parse_delimiter(d);
    REQUIRE(delim.has_value());
    std::optional<std::string> key_delim;
    if (k) {
        auto kd = parse_delimiter(*k);
        REQUIRE(kd.has_value());
        key_delim = *kd;
    }
    auto f = kcat_format::from_delimiters(*delim, key_delim ? std::optional<std::string_view>(*key_delim)
                                                            : std::nullopt, nulls);
    REQUIRE_MESSAGE(f.has_value(), f.error());
    return std::move(f).value();
}

} // namespace

TEST_CASE("kcat_format: every token prints the records as kcat does") {
    // -f '%o|%k|%K|%s|%S|%T|%h|%t|%p\n'
    const auto out = render_all(parsed("%o|%k|%K|%s|%S|%T|%h|%t|%p\\n"), captured_records());
    CHECK(out == "0|k1|2|v1|2|1796232447565||t1|0\n"
                 "1||-1|nokeyline|9|1796232447565||t1|0\n"
                 "2||0|emptykey|8|1796232447565||t1|0\n"
                 "3|k4|2||0|1796232447565||t1|0\n"
                 "4|k5|2||-1|1796232447579||t1|0\n"
                 "5||-1|v6|2|1796232447579||t1|0\n"
                 "6||-1|hv1|3|1796232447590|a=1,b=two,c=NULL,d=,a=again|t1|0\n"
                 "7|bk\"\\|4|bin\000ary\001\037\"\\/\177\303\251\377\tq\015\n"
                 "|20|1796232447603||t1|0\n"sv);
}

TEST_CASE("kcat_format: %R is the value length as a big-endian int32, -1 for null") {
    // -f '%%|%R|\n'
    const auto out = render_all(parsed("%%|%R|\\n"), captured_records());
    CHECK(out == "%|\000\000\000\002|\n"
                 "%|\000\000\000\t|\n"
                 "%|\000\000\000\010|\n"
                 "%|\000\000\000\000|\n"
                 "%|\377\377\377\377|\n"
                 "%|\000\000\000\002|\n"
                 "%|\000\000\000\003|\n"
                 "%|\000\000\000\024|\n"sv);
}

TEST_CASE("kcat_format: without -f a record is its value and the -D delimiter") {
    // no -f, no -D
    CHECK(render_all(from_args("\\n"), captured_records()) ==
          "v1\nnokeyline\nemptykey\n\n\nv6\nhv1\nbin\000ary\001\037\"\\/\177\303\251\377\tq\015\n\n"sv);
    CHECK(kcat_format::default_format_text("\n", std::nullopt) == "%s\n");
    // -D '\r': parse_delimiter leaves it, the format's escapes make it a CR.
    CHECK(render_all(from_args("\\r"), captured_records()) ==
          "v1\015nokeyline\015emptykey\015\015\015v6\015hv1\015bin\000ary\001\037\"\\/\177\303\251\377\tq\015\n"
          "\015"sv);
    // -D '%o': the delimiter is parsed as a format, so it prints each offset.
    CHECK(render_all(from_args("%o"), captured_records()) ==
          "v10nokeyline1emptykey234v65hv16bin\000ary\001\037\"\\/\177\303\251\377\tq\015\n7"sv);
    // -D '\x4142': the low byte of 0x4142.
    CHECK(render_all(from_args("\\x4142"), captured_records()) ==
          "v1BnokeylineBemptykeyBBBv6Bhv1Bbin\000ary\001\037\"\\/\177\303\251\377\tq\015\nB"sv);
    // -D 'a\x00b': \x reads "00b" as hex 0x0b.
    CHECK(render_all(from_args("a\\x00b"), captured_records()) ==
          "v1a\013nokeylinea\013emptykeya\013a\013a\013v6a\013hv1a\013bin\000ary\001\037\"\\/\177\303\251\377\tq"
          "\015\na\013"sv);
    // -D '\101': the format reads \101 as decimal 101, 'e'.
    CHECK(render_all(from_args("\\101"), captured_records()) ==
          "v1enokeylineeemptykeyeeev6ehv1ebin\000ary\001\037\"\\/\177\303\251\377\tq\015\ne"sv);
    // -D '\\n': parse_delimiter makes "\<LF>", the format drops the backslash.
    CHECK(render_all(from_args("\\\\n"), captured_records()) ==
          "v1\nnokeyline\nemptykey\n\n\nv6\nhv1\nbin\000ary\001\037\"\\/\177\303\251\377\tq\015\n\n"sv);
}

TEST_CASE("kcat_format: -K prints the key and its delimiter first, -Z prints NULL for nothing") {
    // -K :
    CHECK(render_all(from_args("\\n", ":"), captured_records()) ==
          "k1:v1\n:nokeyline\n:emptykey\nk4:\nk5:\n:v6\n:hv1\n"
          "bk\"\\:bin\000ary\001\037\"\\/\177\303\251\377\tq\015\n\n"sv);
    // -K : -Z: an empty key or value prints NULL as a null one does.
    CHECK(render_all(from_args("\\n", ":", null_rendering::null_string), captured_records()) ==
          "k1:v1\nNULL:nokeyline\nNULL:emptykey\nk4:NULL\nk5:NULL\nNULL:v6\nNULL:hv1\n"
          "bk\"\\:bin\000ary\001\037\"\\/\177\303\251\377\tq\015\n\n"sv);
    // -f '[%k|%s]\n' -Z
    CHECK(render_all(parsed("[%k|%s]\\n", null_rendering::null_string), captured_records()) ==
          "[k1|v1]\n[NULL|nokeyline]\n[NULL|emptykey]\n[k4|NULL]\n[k5|NULL]\n[NULL|v6]\n[NULL|hv1]\n"
          "[bk\"\\|bin\000ary\001\037\"\\/\177\303\251\377\tq\015\n]\n"sv);
}

TEST_CASE("kcat_format: the format built from -D/-K is cut to 63 characters") {
    // -K with 70 'K's: "%k" and 61 of them fit, so no %s is left.
    const std::string key_delim(70, 'K');
    CHECK(kcat_format::default_format_text("\n", key_delim) == "%k" + std::string(61, 'K'));
    CHECK(render_all(from_args("\\n", key_delim), captured_records(5, 1)) == std::string(61, 'K'));
    // A cut that leaves a lone '%' fails as kcat would.
    const std::string d = std::string(60, 'D') + "%s";
    const auto f = kcat_format::from_delimiters(d, std::nullopt);
    REQUIRE_FALSE(f.has_value());
    CHECK(f.error() == "% ERROR: Empty formatter\n");
}

TEST_CASE("kcat_format: backslash escapes in literal text follow kcat's fmt_add") {
    const auto v6 = captured_records(5, 1);
    // \x41 'A', \xff "ff" (a non-digit after \x is itself), \x4142 'B', "\x|" '|', \xg 'g',
    // \0x41 'A' (strtoul base 0), \012 octal LF, \12 decimal 12, \q 'q', \\ '\', \" '"'.
    CHECK(render_all(parsed(R"(\x41\xff\x4142|\x|\xg|\0x41|\012|\12|\q|\\|\"|\n)"), v6) ==
          "AffB||g|A|\n|\014|q|\\|\"|\n");
    // A NUL from an escape ends the literal it is in, not the format.
    CHECK(render_all(parsed(R"(A\x00-B|%s\n)"), v6) == "Av6\n");
    CHECK(render_all(parsed(R"(q\0xg|%s\n)"), v6) == "qv6\n");
    // strtoul saturates: the low byte of ULONG_MAX.
    CHECK(render_all(parsed(R"(\x41414141414141414141414141%s\n)"), v6) == "\377v6\n");
    // "\x" at the end of a literal ends it.
    CHECK(render_all(parsed(R"(a\x%sb\n)"), v6) == "av6b\n");
    // A backslash before '%' stays, "%%" is '%'.
    CHECK(render_all(parsed(R"(\%s|\n)"), captured_records(5, 2)) == "\\v6|\n\\hv1|\n");
    CHECK(render_all(parsed(R"(%k%%%s\n)"), captured_records(5, 2)) == "%v6\n%hv1\n");
    CHECK(render_all(parsed(""), v6).empty());
}

TEST_CASE("kcat_format: literals are merged, tokens kept in order") {
    const auto f = parsed("a%%b%s\\n%k");
    REQUIRE(f.parts().size() == 4);
    CHECK(f.parts()[0].field == format_field::literal);
    CHECK(f.parts()[0].text == "a%b");
    CHECK(f.parts()[1].field == format_field::value);
    CHECK(f.parts()[2].text == "\n");
    CHECK(f.parts()[3].field == format_field::key);
    CHECK_FALSE(f.fails_on_write());
}

TEST_CASE("kcat_format: unknown tokens, a trailing % and too many parts fail with kcat's words") {
    CHECK(kcat_format::parse("%H").error() == "% ERROR: Unsupported formatter: %H\n");
    CHECK(kcat_format::parse("%e").error() == "% ERROR: Unsupported formatter: %e\n");
    CHECK(kcat_format::parse("%s %x").error() == "% ERROR: Unsupported formatter: %x\n");
    CHECK(kcat_format::parse("ab%").error() == "% ERROR: Empty formatter\n");
    std::string many;
    for (int i = 0; i < 129; ++i) many += "%o";
    CHECK(kcat_format::parse(many).error() == "% ERROR: Too many formatters & strings (KC_FMT_MAX_SIZE=128)\n");
    // 128 parts are allowed: kcat printed 128 times "5" for offset 5.
    many.resize(256);
    CHECK(render_all(parsed(many), captured_records(5, 1)) == std::string(128, '5'));
}

TEST_CASE("kcat_format: a literal that escapes empty fails at the first record") {
    // kcat -f '\09|%s\n' prints nothing and exits 1 with:
    // "% ERROR: Write error for message of 2 bytes in t1 [0] at offset 5: No such file or directory"
    const auto f = parsed(R"(x%o\09|%s\n)");
    CHECK(f.fails_on_write());
    const auto v6 = captured_records(5, 1);
    std::string out;
    CHECK_FALSE(f.render(v6[0], out));
    CHECK(out == "x5"); // what comes before the empty literal is written
    CHECK(kcat_fatal(write_error_message(v6[0], "No such file or directory")).stderr_text ==
          "% ERROR: Write error for message of 2 bytes in t1 [0] at offset 5: No such file or directory\n");
    // A -J trailer is not written when empty, so -J does not fail.
    CHECK(f.json_trailer() == "x");
}

TEST_CASE("kcat_format: %T is -1 for a record without a timestamp") {
    auto r = captured_records(0, 1)[0];
    r.timestamp_kind = timestamp_type::not_available;
    std::string out;
    CHECK(parsed("%T|%o").render(r, out));
    CHECK(out == "-1|0");
}

TEST_CASE("kcat_format: %h stops a header value and a name at a NUL, as kcat's printf does") {
    const std::array<header, 2> headers{{{"n\0x"sv, "ab\0cd"sv}, {"e", ""}}};
    auto r = captured_records(0, 1)[0];
    r.headers = headers;
    std::string out;
    CHECK(parsed("%h").render(r, out));
    CHECK(out == "n=ab,e=");
}

TEST_CASE("kcat_format: the -J trailer is the first part's text when it is a literal") {
    CHECK(parsed("\\n").json_trailer() == "\n");
    CHECK(parsed("XY%s").json_trailer() == "XY");
    CHECK(parsed("%%ab").json_trailer() == "%");
    CHECK(parsed("%oab").json_trailer().empty());
    CHECK(parsed("").json_trailer().empty());
}

} // namespace kafkit::cli
