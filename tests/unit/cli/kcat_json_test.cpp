// render_json_envelope against `kcat -C -t t1 -e -q -J` for the captured records.

#include "captured_records.hpp"
#include "json_text.hpp"
#include "kcat_json.hpp"

#include <doctest/doctest.h>

namespace kafkit::cli {

using namespace std::string_view_literals;
using test::captured_records;

TEST_CASE("kcat_json: -J prints kcat's envelope for every record") {
    const auto format = kcat_format::parse("\\n"); // kcat's format for -J is the -D delimiter
    REQUIRE(format.has_value());
    std::string out;
    for (const auto& r : captured_records()) {
        render_json_envelope(r, node_id(1), out);
        out.append(format->json_trailer());
    }
    CHECK(out ==
          "{\"topic\":\"t1\",\"partition\":0,\"offset\":0,\"tstype\":\"create\",\"ts\":1796232447565,\"broker\":1,\"key\":\"k1\",\"payload\":\"v1\"}\n"
          "{\"topic\":\"t1\",\"partition\":0,\"offset\":1,\"tstype\":\"create\",\"ts\":1796232447565,\"broker\":1,\"key\":null,\"payload\":\"nokeyline\"}\n"
          "{\"topic\":\"t1\",\"partition\":0,\"offset\":2,\"tstype\":\"create\",\"ts\":1796232447565,\"broker\":1,\"key\":\"\",\"payload\":\"emptykey\"}\n"
          "{\"topic\":\"t1\",\"partition\":0,\"offset\":3,\"tstype\":\"create\",\"ts\":1796232447565,\"broker\":1,\"key\":\"k4\",\"payload\":\"\"}\n"
          "{\"topic\":\"t1\",\"partition\":0,\"offset\":4,\"tstype\":\"create\",\"ts\":1796232447579,\"broker\":1,\"key\":\"k5\",\"payload\":null}\n"
          "{\"topic\":\"t1\",\"partition\":0,\"offset\":5,\"tstype\":\"create\",\"ts\":1796232447579,\"broker\":1,\"key\":null,\"payload\":\"v6\"}\n"
          "{\"topic\":\"t1\",\"partition\":0,\"offset\":6,\"tstype\":\"create\",\"ts\":1796232447590,\"broker\":1,\"headers\":[\"a\",\"1\",\"b\",\"two\",\"c\",null,\"d\",\"\",\"a\",\"again\"],\"key\":null,\"payload\":\"hv1\"}\n"
          "{\"topic\":\"t1\",\"partition\":0,\"offset\":7,\"tstype\":\"create\",\"ts\":1796232447603,\"broker\":1,\"key\":\"bk\\\"\\\\\",\"payload\":\"bin\\u0000ary\\u0001\\u001F\\\"\\\\/\177\303\251\377\\tq\\r\\n\"}\n"sv);
}

TEST_CASE("kcat_json: the text after each object comes from -D or -f") {
    // -J -D ',' -o 4 -c 2
    const auto comma = kcat_format::parse(",");
    REQUIRE(comma.has_value());
    std::string out;
    for (const auto& r : captured_records(4, 2)) {
        render_json_envelope(r, node_id(1), out);
        out.append(comma->json_trailer());
    }
    CHECK(out == "{\"topic\":\"t1\",\"partition\":0,\"offset\":4,\"tstype\":\"create\",\"ts\":1796232447579,\"broker\":1,\"key\":\"k5\",\"payload\":null},"
                 "{\"topic\":\"t1\",\"partition\":0,\"offset\":5,\"tstype\":\"create\",\"ts\":1796232447579,\"broker\":1,\"key\":null,\"payload\":\"v6\"},");
    // -J -f 'XY%s' -o 6 -c 1, and -J -D '%oab' (a token first: nothing after the object).
    const auto xy = kcat_format::parse("XY%s");
    const auto token_first = kcat_format::parse("%oab");
    REQUIRE(xy.has_value());
    REQUIRE(token_first.has_value());
    const auto hv1 = captured_records(6, 1)[0];
    const std::string object =
        "{\"topic\":\"t1\",\"partition\":0,\"offset\":6,\"tstype\":\"create\",\"ts\":1796232447590,\"broker\":1,\"headers\":[\"a\",\"1\",\"b\",\"two\",\"c\",null,\"d\",\"\",\"a\",\"again\"],\"key\":null,\"payload\":\"hv1\"}";
    std::string a;
    render_json_envelope(hv1, node_id(1), a);
    a.append(xy->json_trailer());
    CHECK(a == object + "XY");
    std::string b;
    render_json_envelope(hv1, node_id(1), b);
    b.append(token_first->json_trailer());
    CHECK(b == object);
}

TEST_CASE("kcat_json: no timestamp leaves out tstype and ts; logappend and an unknown broker") {
    auto r = captured_records(0, 1)[0];
    r.timestamp_kind = timestamp_type::not_available;
    std::string out;
    render_json_envelope(r, node_id(-1), out);
    CHECK(out == R"({"topic":"t1","partition":0,"offset":0,"broker":-1,"key":"k1","payload":"v1"})");
    r.timestamp_kind = timestamp_type::log_append_time;
    out.clear();
    render_json_envelope(r, node_id(3), out);
    CHECK(out ==
          R"({"topic":"t1","partition":0,"offset":0,"tstype":"logappend","ts":1796232447565,"broker":3,"key":"k1","payload":"v1"})");
}

TEST_CASE("kcat_json: broker is the node the record came from") {
    // kcat -C -t multi -p 2 -e -J -c 1 on the three-broker cluster, where broker 3 leads
    // multi [2]. -Z and -K change nothing in -J output.
    consumer_record r;
    r.topic = "multi";
    r.partition = partition_id(2);
    r.offset = record_offset(0);
    r.timestamp_ms = 1796233086710;
    r.timestamp_kind = timestamp_type::create_time;
    r.value = "a";
    std::string out;
    render_json_envelope(r, node_id(3), out);
    CHECK(out ==
          R"({"topic":"multi","partition":2,"offset":0,"tstype":"create","ts":1796233086710,"broker":3,"key":null,"payload":"a"})");
}

TEST_CASE("kcat_json: strings are escaped as yajl escapes them") {
    std::string out;
    append_json_string(out, "\b\f\x7f/\x1f\x01\xe9"sv);
    CHECK(out == "\"\\b\\f\x7f/\\u001F\\u0001\xe9\""sv);
    out.clear();
    append_json_c_string(out, "ab\0cd"sv);
    CHECK(out == "\"ab\"");
    out.clear();
    append_json_string(out, "ab\0cd"sv);
    CHECK(out == "\"ab\\u0000cd\"");
}

} // namespace kafkit::cli
