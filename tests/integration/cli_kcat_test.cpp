// `kafkit` in kcat mode against kcat itself, on kafkit-broker: the same topics consumed by
// both with the same -f formats, -J, the default -D/-K output and each -o form give the
// same bytes; -L, -L -J and -Q the same text (the broker that answered excepted); what
// kafkit produces with each option reads back through kcat as kcat's own produce would.
// And bad input: a clear message on stderr, a non-zero exit, no hang.

#include "child_command.hpp"

#include "kafkit/testcontainers/reference_cluster.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using namespace kafkit::integration;
using namespace std::chrono_literals;

namespace {

const std::string kafkit_bin = KAFKIT_CLI_BIN;

/// Three brokers; topics created by producing get three partitions.
kafkit::testcontainers::reference_cluster_options three_brokers() {
    kafkit::testcontainers::reference_cluster_options options;
    options.brokers = 3;
    options.extra_args = {"--partitions", "3"};
    return options;
}

struct cli_fixture {
    kafkit::testcontainers::reference_cluster cluster{three_brokers()};
    std::string b = " -b " + cluster.bootstrap_servers() + " ";

    command_result kcat(const std::string& args, const std::string& input = {}) const {
        return run(feed(input) + "kcat" + b + args, 30s);
    }
    command_result kafkit(const std::string& args, const std::string& input = {}) const {
        return run(feed(input) + kafkit_bin + b + args, 30s);
    }
    /// Both tools with the same arguments; their outputs must match.
    void same_output(const std::string& args, bool sort_lines = false) const {
        CAPTURE(args);
        const auto expected = kcat(args);
        const auto actual = kafkit(args);
        REQUIRE_MESSAGE(expected.status == 0, expected.err);
        CHECK_MESSAGE(actual.status == 0, actual.err);
        CHECK(actual.status == expected.status);
        if (sort_lines) CHECK(sorted(actual.out) == sorted(expected.out));
        else CHECK(actual.out == expected.out);
    }

private:
    static std::string feed(const std::string& input) {
        if (input.empty()) return "</dev/null "; // never the test's own stdin
        std::string quoted = "'";
        for (char c : input) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return "printf '%s' " + quoted + "' | ";
    }
    static std::string sorted(const std::string& text) {
        std::vector<std::string> lines;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        std::sort(lines.begin(), lines.end());
        std::string out;
        for (const auto& l : lines) out += l + "\n";
        return out;
    }
};

/// Drops the "originating broker" kcat names: either tool may ask any broker.
std::string without_originating_broker(const std::string& text) {
    static const std::regex text_form(R"(\(from broker \d+: [^)]*\))");
    static const std::regex json_form(R"("originating_broker":\{[^}]*\},)");
    return std::regex_replace(std::regex_replace(text, text_form, "(from broker)"), json_form, "");
}

/// Records with keys, a null key, an empty value, headers (one with a null value) and
/// bytes that need escaping, produced by kcat to `topic`.
void produce_sample_with_kcat(const cli_fixture& f, const std::string& topic) {
    const auto r = f.kcat("-P -t " + topic + " -K : -H trace=abc -H empty -H 'q=\"quoted\"'",
                          "alice:one\nbob:two\n:no key\ncarol:\nnokey line\ndave:tab\there \\ back\n");
    REQUIRE_MESSAGE(r.status == 0, r.err);
}

void check_stored_needs_group(const cli_fixture& f) {
    const auto r = f.kafkit("-C -t grouped -o stored -e");
    CHECK(r.status == 1);
    CHECK(r.err.find("-o stored needs a group") != std::string::npos);
}

} // namespace

TEST_CASE_FIXTURE(cli_fixture, "cli: -L and -L -J list the cluster as kcat does") {
    produce_sample_with_kcat(*this, "listed");
    for (const auto* args : {"-L", "-L -J", "-L -t listed", "-L -J -t listed", "-L -t missing", "-L -J -t missing"}) {
        CAPTURE(args);
        const auto expected = kcat(args);
        const auto actual = kafkit(args);
        CHECK_MESSAGE(actual.status == expected.status, actual.err);
        CHECK(without_originating_broker(actual.out) == without_originating_broker(expected.out));
    }
}

TEST_CASE_FIXTURE(cli_fixture, "cli: consuming gives kcat's bytes for every format, -J and the default output") {
    produce_sample_with_kcat(*this, "sample");
    // One partition at a time: the order across partitions is the tools' own.
    for (int p = 0; p < 3; ++p) {
        const std::string part = " -C -t sample -e -q -p " + std::to_string(p) + " ";
        same_output(part + "-f 'Topic %t [%p] at offset %o: key %k (%K): %s (%S) headers %h ts %T\\n'");
        same_output(part + "-f '%R%s|%k%%\\t\\x41\\n'");
        same_output(part + "-J");
        same_output(part);
        same_output(part + "-K '\\t' -D '|'");
        same_output(part + "-Z -f '[%k][%s]\\n'");
    }
    same_output("-C -t sample -e -q -f '%p %o %k\\n'", true);
    same_output("-C -t sample -e -q -J", true);
}

TEST_CASE_FIXTURE(cli_fixture, "cli: each -o form and -c start and stop where kcat does") {
    std::string lines;
    for (int i = 0; i < 20; ++i) lines += "k" + std::to_string(i) + ":v" + std::to_string(i) + "\n";
    REQUIRE(kcat("-P -t offsets -p 0 -K :", lines).status == 0);
    const std::string base = "-C -t offsets -p 0 -e -q -f '%o %k %s\\n' ";
    for (const auto* o : {"beginning", "end", "5", "-3", "s@0", "e@99999999999999", "19", "25"})
        same_output(base + "-o " + o);
    same_output(base + "-c 4");
    same_output(base + "-o 10 -c 2");
    REQUIRE(kcat("-P -t offsets -p 1 -K :", lines).status == 0);
    same_output("-Q -t offsets:0:0 -t offsets:1:-1 -t offsets:2:-2");
    same_output("-Q -J -t offsets:0:99999999999999");
}

TEST_CASE_FIXTURE(cli_fixture, "cli: what kafkit produces with each option reads back through kcat") {
    const std::string read_back = "-C -e -q -f '%p|%k|%s|%h\\n' -t ";
    // -K, -H and a fixed -k: keys choose partitions as librdkafka's partitioner does.
    const std::string input = "a:1\nb:2\nc:3\nnokey\n\nd:\n";
    REQUIRE(kafkit("-P -t by_kafkit -K : -k fixed -H h=v -H n", input).status == 0);
    REQUIRE(kcat("-P -t by_kcat -K : -k fixed -H h=v -H n", input).status == 0);
    CHECK(kcat(read_back + "by_kafkit").out.size() > 0);
    {
        auto ours = kcat(read_back + "by_kafkit").out, theirs = kcat(read_back + "by_kcat").out;
        std::vector<std::string> a, b2;
        std::istringstream ia(ours), ib(theirs);
        for (std::string l; std::getline(ia, l);) a.push_back(l);
        for (std::string l; std::getline(ib, l);) b2.push_back(l);
        std::sort(a.begin(), a.end());
        std::sort(b2.begin(), b2.end());
        CHECK(a == b2);
        CHECK(a.size() == 5); // the empty line is not sent
    }
    // -D, -p, -z, -c and -T (echoing each piece without its delimiter, as kcat does).
    auto tee = kafkit("-P -t delimited -p 2 -D ';' -z lz4 -c 3 -T", "x;y;z;w;");
    REQUIRE_MESSAGE(tee.status == 0, tee.err);
    CHECK(tee.out == "xyz");
    CHECK(kcat("-C -t delimited -p 2 -e -q -f '%o:%s\\n'").out == "0:x\n1:y\n2:z\n");
    // -Z: an empty value is sent as null.
    REQUIRE(kafkit("-P -t nulls -p 0 -K : -Z", "k:\n").status == 0);
    CHECK(kcat("-C -t nulls -p 0 -e -q -f '%k %S\\n'").out == "k -1\n");
    // Files: each a record, or split with -l.
    const auto dir = std::filesystem::temp_directory_path() / ("kafkit-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "one") << "first\nfile";
    std::ofstream(dir / "two") << "second";
    std::ofstream(dir / "lines") << "l1\nl2\nl3";
    REQUIRE(kafkit("-P -t files -p 0 " + (dir / "one").string() + " " + (dir / "two").string()).status == 0);
    CHECK(kcat("-C -t files -p 0 -e -q -f '%o=%s|'").out == "0=first\nfile|1=second|");
    REQUIRE(kafkit("-P -t lines -p 0 -l " + (dir / "lines").string()).status == 0);
    CHECK(kcat("-C -t lines -p 0 -e -q -f '%s,'").out == "l1,l2,l3,");
    std::filesystem::remove_all(dir);
}

TEST_CASE_FIXTURE(cli_fixture, "cli: JSON input takes kcat's -J envelope back, with base64 and hex for bytes") {
    const std::string input =
        R"({"key":"k1","payload":"v1","headers":["h","x","n",null],"partition":1,"ts":1700000000000})" "\n"
        R"({"key":null,"value":"AAEC/w==","encoding":"base64","partition":1})" "\n"
        R"({"key":"6869","payload":"7a","encoding":"hex","headers":{"a":"62"},"partition":1})" "\n";
    const auto produced = kafkit("-P -J -t json_in", input);
    REQUIRE_MESSAGE(produced.status == 0, produced.err);
    CHECK(kcat("-C -t json_in -p 1 -e -q -f '%k|%S|%h|%T\\n'").out ==
          "k1|2|h=x,n=NULL|1700000000000\n|4||" + kcat("-C -t json_in -p 1 -o 1 -c 1 -e -q -f '%T'").out +
              "\nhi|1|a=b|" + kcat("-C -t json_in -p 1 -o 2 -c 1 -e -q -f '%T'").out + "\n");
    CHECK(kcat("-C -t json_in -p 1 -o 1 -c 1 -e -q -f '%s'").out == std::string("\x00\x01\x02\xff", 4));
    // kcat's -J output produced again gives the same records (those that are text: kcat
    // writes other bytes raw, which is not JSON).
    const auto envelope = kcat("-C -t json_in -p 1 -o 0 -c 1 -e -q -J").out + kcat("-C -t json_in -p 1 -o 2 -c 1 -e -q -J").out;
    REQUIRE(kafkit("-P -J -t json_again", envelope).status == 0);
    CHECK(kcat("-C -t json_again -p 1 -e -q -f '%k|%s|%h|%T\\n'").out ==
          kcat("-C -t json_in -p 1 -o 0 -c 1 -e -q -f '%k|%s|%h|%T\\n'").out +
              kcat("-C -t json_in -p 1 -o 2 -c 1 -e -q -f '%k|%s|%h|%T\\n'").out);
    const auto bad = kafkit("-P -J -t json_bad", "{\"payload\": 5}\n");
    CHECK(bad.status == 1);
    CHECK(bad.err.find("\"payload\" must be a string or null") != std::string::npos);
}

TEST_CASE_FIXTURE(cli_fixture, "cli: -G consumes as a group member and commits; the next member goes on from there") {
    std::string lines;
    for (int i = 0; i < 12; ++i) lines += "v" + std::to_string(i) + "\n";
    REQUIRE(kcat("-P -t grouped", lines).status == 0);
    const auto first = kafkit("-G readers -o beginning -e -f '%s\\n' grouped");
    REQUIRE_MESSAGE(first.status == 0, first.err);
    CHECK(std::count(first.out.begin(), first.out.end(), '\n') == 12);
    CHECK(first.err.find("Group readers rebalanced: assigned:") != std::string::npos);
    REQUIRE(kcat("-P -t grouped", "v12\n").status == 0);
    const auto second = kafkit("-G readers -o beginning -e -q -f '%s\\n' grouped");
    REQUIRE_MESSAGE(second.status == 0, second.err);
    CHECK(second.out == "v12\n");
    // -C -o stored starts each partition at the group's committed offset.
    REQUIRE(kcat("-P -t grouped", "v13\n").status == 0);
    const auto stored = kafkit("-C -t grouped -X group.id=readers -o stored -e -q -f '%s\\n'");
    REQUIRE_MESSAGE(stored.status == 0, stored.err);
    CHECK(stored.out == "v13\n");
    check_stored_needs_group(*this);
}

TEST_CASE_FIXTURE(cli_fixture, "cli: bad input is a clear message and a non-zero exit, never a hang") {
    auto check_fails = [&](const std::string& args, const std::string& message) {
        CAPTURE(args);
        const auto r = kafkit(args);
        CHECK(r.status == 1);
        CHECK_MESSAGE(r.err.find(message) != std::string::npos, r.err);
    };
    check_fails("-C -t x -y", "unknown option -y");
    check_fails("-C -t x -o", "option -o requires a value");
    check_fails("-C -t x -o tomorrow -e", "Invalid offset \"tomorrow\"");
    check_fails("-C -e", "-t <topic> missing");
    check_fails("-C -t does_not_exist -e", "Topic does_not_exist error: Broker: Unknown topic or partition");
    check_fails("-C -t x -f '%Q'", "Unsupported formatter: %Q");
    check_fails("-L -X no.such.property=1", "No such configuration property: \"no.such.property\"");
    check_fails("-P -t x -X linger.ms=soon", "linger.ms");
    check_fails("-C -t x -p many", "-p expects a partition number");
    check_fails("-G g -o s@5 t", "timestamps can't be used with -G");
    const auto missing_partition = kafkit("-P -t three -p 7", "lost?\n");
    CHECK(missing_partition.status == 1);
    CHECK_MESSAGE(missing_partition.err.find("three") != std::string::npos, missing_partition.err);
    const auto unreachable = run(kafkit_bin + " -b 127.0.0.1:1 -L -m 2", 20s);
    CHECK(unreachable.status == 1);
    CHECK(unreachable.err.find("Failed to acquire metadata") != std::string::npos);
    const auto consume_unreachable = run(kafkit_bin + " -b 127.0.0.1:1 -C -t x -e -m 2", 20s);
    CHECK(consume_unreachable.status == 1);
    CHECK(consume_unreachable.err.find("Failed to query metadata for topic x") != std::string::npos);
}

TEST_CASE_FIXTURE(cli_fixture, "cli: a summary line on stderr only when it is a terminal") {
    std::string lines;
    for (int i = 0; i < 50; ++i) lines += "v" + std::to_string(i) + "\n";
    const auto piped = kafkit("-P -t summary -p 0", lines);
    REQUIRE(piped.status == 0);
    CHECK(piped.err.empty());
    // script(1) gives the command a terminal for stdin, stdout and stderr.
    const auto terminal = run("script -qec '" + kafkit_bin + b + "-C -t summary -p 0 -e >/dev/null' /dev/null", 30s);
    REQUIRE_MESSAGE(terminal.status == 0, terminal.err);
    CHECK(terminal.out.find("% Consumed 50 records (") != std::string::npos);
    CHECK(terminal.out.find("Reached end of topic summary [0] at offset 50: exiting") != std::string::npos);
}
