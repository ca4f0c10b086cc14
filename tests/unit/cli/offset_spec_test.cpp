// parse_offset_spec and parse_offset_query against what kcat 1.7.1 did with each argument
// on the captured topic t1 (offsets 0..7): `kcat -C -t t1 -e -f '%o,' -o <arg>` and
// `kcat -Q -t <arg>`.

#include "offset_spec.hpp"

#include <doctest/doctest.h>

#include <limits>

namespace kafkit::cli {
namespace {

void check_spec(std::string_view arg, offset_kind kind, std::int64_t value, bool whole = true) {
    CAPTURE(arg);
    const offset_spec s = parse_offset_spec(arg);
    CHECK(s.kind == kind);
    CHECK(s.value == value);
    CHECK(s.whole_number == whole);
}

} // namespace

TEST_CASE("offset_spec: the words, absolute offsets and tails") {
    check_spec("beginning", offset_kind::beginning, 0); // printed 0,1,...,7
    check_spec("end", offset_kind::end, 0);             // printed nothing
    check_spec("stored", offset_kind::stored, 0);
    check_spec("3", offset_kind::absolute, 3);  // 3,4,5,6,7
    check_spec("-2", offset_kind::tail, 2);     // 6,7
    check_spec("-100", offset_kind::tail, 100); // 0..7
    check_spec("100", offset_kind::absolute, 100);
}

TEST_CASE("offset_spec: kcat reads any other text with strtoll and says nothing") {
    check_spec("abc", offset_kind::absolute, 0, false);       // 0..7
    check_spec("BEGINNING", offset_kind::absolute, 0, false); // the words are case-sensitive
    check_spec("5x", offset_kind::absolute, 5, false);        // 5,6,7
    check_spec("-0", offset_kind::absolute, 0);               // 0..7
    check_spec("+5", offset_kind::absolute, 5);               // 5,6,7
    check_spec(" 6", offset_kind::absolute, 6);               // 6,7
    check_spec("0x3", offset_kind::absolute, 0, false);       // base 10: 0..7
    check_spec("", offset_kind::absolute, 0, false);
    check_spec("99999999999999999999", offset_kind::absolute, std::numeric_limits<std::int64_t>::max());
    check_spec("-9223372036854775808", offset_kind::tail, std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("offset_spec: s@ and e@ timestamps") {
    check_spec("s@1796232447579", offset_kind::start_timestamp, 1796232447579);
    check_spec("s@abc", offset_kind::start_timestamp, 0, false); // 0: no timestamp, 0..7
    check_spec("s@", offset_kind::start_timestamp, 0, false);
    check_spec("e@1", offset_kind::stop_timestamp, 1); // stopped before offset 0
    check_spec("e@abc", offset_kind::stop_timestamp, 0, false);
}

TEST_CASE("offset_spec: -o arguments add up, the last of each kind winning") {
    consume_offsets o;
    CHECK_FALSE(o.start.has_value());
    apply_offset_spec(o, parse_offset_spec("s@100"));
    apply_offset_spec(o, parse_offset_spec("5"));
    apply_offset_spec(o, parse_offset_spec("e@200"));
    apply_offset_spec(o, parse_offset_spec("-3"));
    REQUIRE(o.start.has_value());
    CHECK(o.start->kind == offset_kind::tail);
    CHECK(o.start->value == 3);
    CHECK(o.start_timestamp_ms == 100);
    CHECK(o.stop_timestamp_ms == 200);
    apply_offset_spec(o, parse_offset_spec("s@0")); // back to none
    CHECK(o.start_timestamp_ms == 0);
    CHECK(timestamp_in_group_mode_failure().stderr_text ==
          "% ERROR: -o ..@ timestamps can't be used with -G mode\n\n");
}

TEST_CASE("offset_spec: -Q -t topic:partition:timestamp") {
    auto q = parse_offset_query("t1:0:1796232447579"); // kcat answered: t1 [0] offset 4
    REQUIRE(q.has_value());
    CHECK(q->topic == "t1");
    CHECK(q->partition == partition_id(0));
    CHECK(q->timestamp_ms == 1796232447579);

    q = parse_offset_query("t1:0x0:-1"); // base 0 for both numbers
    REQUIRE(q.has_value());
    CHECK(q->partition == partition_id(0));
    CHECK(q->timestamp_ms == -1);

    q = parse_offset_query("t1: 0: 7"); // white space before a number is skipped
    REQUIRE(q.has_value());
    CHECK(q->timestamp_ms == 7);

    q = parse_offset_query("t1:0:5x"); // text after the number is ignored
    REQUIRE(q.has_value());
    CHECK(q->timestamp_ms == 5);

    q = parse_offset_query(":0:0"); // an empty topic passes (the query then times out)
    REQUIRE(q.has_value());
    CHECK(q->topic.empty());

    q = parse_offset_query("t:010:0x10:junk");
    REQUIRE(q.has_value());
    CHECK(q->partition == partition_id(8));
    CHECK(q->timestamp_ms == 16);

    q = parse_offset_query("t:-1:0");
    REQUIRE(q.has_value());
    CHECK(q->partition == partition_id(-1));
}

TEST_CASE("offset_spec: a -Q -t without two colons and two numbers fails as kcat does") {
    for (std::string_view bad : {"t1", "t1:0", "t1:x:0", "t1:0:x", "a:b:0:5", "t1:0:"}) {
        CAPTURE(bad);
        CHECK(parse_offset_query(bad).error() == "% ERROR: -t: expected \"topic:partition:offset_or_timestamp\"\n");
    }
}

} // namespace kafkit::cli
