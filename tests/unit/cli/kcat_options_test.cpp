// parse_header_arg and parse_property_arg against kcat 1.7.1: headers produced with
// `kcat -P -H <arg>` and read back with -J; -X errors as kcat printed them.

#include "kcat_options.hpp"

#include <doctest/doctest.h>

namespace kafkit::cli {

TEST_CASE("kcat_options: -H splits at the first '=', a bare name is a null header") {
    auto h = parse_header_arg("a=1");
    REQUIRE(h.has_value());
    CHECK(h->name == "a");
    CHECK(h->value == "1");

    h = parse_header_arg("a=b=c"); // kcat -J showed ["a","b=c"]
    REQUIRE(h.has_value());
    CHECK(h->name == "a");
    CHECK(h->value == "b=c");

    h = parse_header_arg(" sp = v "); // nothing trimmed: [" sp "," v "]
    REQUIRE(h.has_value());
    CHECK(h->name == " sp ");
    CHECK(h->value == " v ");

    h = parse_header_arg("d="); // an empty value: ["d",""]
    REQUIRE(h.has_value());
    CHECK(h->value == "");

    h = parse_header_arg("c"); // a null value: ["c",null]
    REQUIRE(h.has_value());
    CHECK(h->name == "c");
    CHECK_FALSE(h->value.has_value());
}

TEST_CASE("kcat_options: -H with no name fails with kcat's message") {
    CHECK(parse_header_arg("=x").error() == "% ERROR: Expected -H \"name=value..\" or -H \"name\"\n");
    CHECK(parse_header_arg("").error() == "% ERROR: Expected -H \"name=value..\" or -H \"name\"\n");
}

TEST_CASE("kcat_options: -X name=value, list, help and dump") {
    auto x = parse_property_arg("client.id=my=id");
    REQUIRE(x.has_value());
    CHECK(x->kind == property_arg_kind::set);
    CHECK(x->name == "client.id");
    CHECK(x->value == "my=id");

    x = parse_property_arg("client.id=");
    REQUIRE(x.has_value());
    CHECK(x->value.empty());

    x = parse_property_arg("=v"); // kcat passes it on: No such configuration property: ""
    REQUIRE(x.has_value());
    CHECK(x->name.empty());
    CHECK(x->value == "v");

    CHECK(parse_property_arg("list")->kind == property_arg_kind::list);
    CHECK(parse_property_arg("help")->kind == property_arg_kind::list);
    CHECK(parse_property_arg("dump")->kind == property_arg_kind::dump);
}

TEST_CASE("kcat_options: -X without '=' fails with kcat's own line") {
    CHECK(parse_property_arg("client.id").error() ==
          "% Expected -X property=value, not client.id, use -X list to display available properties\n");
    CHECK(parse_property_arg("foo").error() ==
          "% Expected -X property=value, not foo, use -X list to display available properties\n");
}

} // namespace kafkit::cli
