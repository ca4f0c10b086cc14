// render_query_text/json against `kcat -Q [-J] -t multi:2:0 -t multi:0:-1 -t a-first:1:-1
// -t multi:1:0` on the three-broker reference broker (multi [2] holding 3 records,
// a-first [1] one, the other partitions empty).

#include "kcat_query.hpp"

#include <doctest/doctest.h>

#include <vector>

namespace kafkit::cli {
namespace {

/// The answers, in the order the -t arguments asked for them.
std::vector<queried_offset> answers() {
    return {
        {"multi", partition_id(2), 0, 0},
        {"multi", partition_id(0), 0, 0},
        {"a-first", partition_id(1), 1, 0},
        {"multi", partition_id(1), -1, 0},
    };
}

} // namespace

TEST_CASE("kcat_query: -Q prints one line per partition, sorted by topic and partition") {
    std::string out;
    render_query_text(answers(), out);
    CHECK(out == "a-first [1] offset 1\n"
                 "multi [0] offset 0\n"
                 "multi [1] offset -1\n"
                 "multi [2] offset 0\n");
}

TEST_CASE("kcat_query: -Q -J groups the partitions under their topic") {
    std::string out;
    render_query_json(answers(), out);
    CHECK(out == R"({"a-first":{"topic":"a-first","1":{"partition":1,"offset":1}},)"
                 R"("multi":{"topic":"multi","0":{"partition":0,"offset":0},"1":{"partition":1,"offset":-1},)"
                 R"("2":{"partition":2,"offset":0}}})");
}

TEST_CASE("kcat_query: a partition's error follows its offset") {
    const std::vector<queried_offset> one{{"t", partition_id(3), -1, 3}};
    std::string text;
    render_query_text(one, text);
    CHECK(text == "t [3] offset -1: Broker: Unknown topic or partition\n");
    std::string json;
    render_query_json(one, json);
    CHECK(json == R"({"t":{"topic":"t","3":{"partition":3,"offset":-1,"error":"Broker: Unknown topic or partition"}}})");
    std::string empty;
    render_query_json({}, empty);
    CHECK(empty == "{}");
}

} // namespace kafkit::cli
