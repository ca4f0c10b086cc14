// parse_config_file against kcat 1.7.1 reading the same files with -F (what `-X dump`
// showed it had set, and what it printed on errors).

#include "config_file.hpp"

#include <doctest/doctest.h>

namespace kafkit::cli {
namespace {

std::vector<config_entry> read(std::string_view contents) {
    auto r = parse_config_file(contents, "c.conf");
    REQUIRE_MESSAGE(r.has_value(), r.error());
    return *r;
}

} // namespace

TEST_CASE("config_file: trims lines, skips comments, unescapes \\: and \\=") {
    const auto entries = read("  # indented comment\n"
                              "\t\n"
                              "  client.id=my\\:id\\=2  \r\n"
                              "socket.timeout.ms=1234\n"
                              "#socket.timeout.ms=1\n"
                              "last=no newline");
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].name == "client.id");
    CHECK(entries[0].value == "my:id=2"); // -X dump: client.id = my:id=2
    CHECK(entries[0].line == 3);
    CHECK(entries[1].name == "socket.timeout.ms");
    CHECK(entries[1].value == "1234");
    CHECK(entries[1].line == 4);
    CHECK(entries[2].name == "last");
    CHECK(entries[2].value == "no newline");
    CHECK(entries[2].line == 6);
}

TEST_CASE("config_file: nothing is trimmed around '='") {
    // kcat: % ERROR: c1.conf:3: No such configuration property: "client.id "
    const auto entries = read("# comment\n\n   client.id = x\n");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].name == "client.id ");
    CHECK(entries[0].value == " x");
    CHECK(entries[0].line == 3);
    CHECK(config_file_failure("c1.conf", 3, "No such configuration property: \"client.id \"").stderr_text ==
          "% ERROR: c1.conf:3: No such configuration property: \"client.id \"\n\n");
}

TEST_CASE("config_file: Java client properties are converted or dropped") {
    const auto entries = read("ssl.endpoint.identification.algorithm=none\n"
                              "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule   required "
                              "username=\"u1\" password=\"p w\";\n");
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].name == "sasl.username");
    CHECK(entries[0].value == "u1");
    CHECK(entries[1].name == "sasl.password");
    CHECK(entries[1].value == "p w");
    CHECK(entries[1].line == 2);

    // An empty username does not match: kcat hands the property to librdkafka, which says
    // "Java JAAS configuration is not supported, see ...".
    const auto kept = read("sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                           "username=\"\" password=\"x\"\n");
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].name == "sasl.jaas.config");
}

TEST_CASE("config_file: a line without a name fails with kcat's message") {
    CHECK(parse_config_file("client.id=a\nnoequals\n", "c3.conf").error() ==
          "% ERROR: c3.conf:2: expected property=value\n\n");
    CHECK(parse_config_file("client.id=a\n=v\n", "c4.conf").error() ==
          "% ERROR: c4.conf:2: expected property=value\n\n");
}

TEST_CASE("config_file: a line longer than 511 bytes goes on as the next line") {
    // kcat read "client.id=" + 600 x's as two lines and failed on the second.
    const std::string contents = "client.id=" + std::string(600, 'x') + "\n";
    CHECK(parse_config_file(contents, "c7.conf").error() == "% ERROR: c7.conf:2: expected property=value\n\n");
    const std::string fits = "client.id=" + std::string(500, 'x') + "\n";
    const auto entries = read(fits);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].value.size() == 500);
}

TEST_CASE("config_file: a file kcat cannot open") {
    CHECK(config_file_open_failure("nope.conf", "No such file or directory").stderr_text ==
          "% ERROR: Failed to open nope.conf: No such file or directory\n");
}

} // namespace kafkit::cli
