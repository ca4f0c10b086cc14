#include "kafkit/codec/commands.hpp"
#include "kafkit/codec/corpus.hpp"
#include "kafkit/protocol/error.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace kafkit::codec;

TEST_CASE("corpus: hex parses in either case, ignores spaces, and refuses odd or bad digits") {
    auto bytes = parse_hex("00 1aFF\n7f");
    REQUIRE(bytes.has_value());
    CHECK(*bytes == std::vector<std::uint8_t>{0x00, 0x1a, 0xff, 0x7f});
    CHECK(to_hex(kafkit::protocol::bytes_view(bytes->data(), bytes->size())) == "001aff7f");
    CHECK(parse_hex("abc").error() == kafkit::errc::malformed_frame);
    CHECK(parse_hex("zz").error() == kafkit::errc::malformed_frame);
    CHECK(parse_hex("").has_value());
}

TEST_CASE("corpus: a line gives direction, key, version, bytes and the expected records") {
    auto frame = parse_corpus_line(
        R"({"direction": "response", "api_key": 1, "api_version": 11, "hex": "0000000c",)"
        R"( "records": {"records": 7, "crc_bad": 0, "magic": [2, 1], "codecs": ["zstd", "gzip"]}})");
    REQUIRE(frame.has_value());
    CHECK(frame->dir == direction::response);
    CHECK(frame->api_key == 1);
    CHECK(frame->api_version == 11);
    CHECK(frame->bytes == std::vector<std::uint8_t>{0, 0, 0, 0x0c});
    REQUIRE(frame->records.has_value());
    CHECK(frame->records->records == 7);
    CHECK(frame->records->magic == std::vector<int>{1, 2});
    CHECK(frame->records->codecs == std::vector<std::string>{"gzip", "zstd"});

    auto plain = parse_corpus_line(R"({"direction": "request", "api_key": 3, "api_version": 0, "hex": ""})");
    REQUIRE(plain.has_value());
    CHECK_FALSE(plain->records.has_value());
}

TEST_CASE("corpus: lines without the required keys, or with bad values, are refused") {
    CHECK_FALSE(parse_corpus_line("not json").has_value());
    CHECK_FALSE(parse_corpus_line(R"({"direction": "sideways", "api_key": 3, "api_version": 0, "hex": ""})"));
    CHECK_FALSE(parse_corpus_line(R"({"direction": "request", "api_version": 0, "hex": ""})"));
    CHECK_FALSE(parse_corpus_line(R"({"direction": "request", "api_key": 70000, "api_version": 0, "hex": ""})"));
    CHECK_FALSE(parse_corpus_line(R"({"direction": "request", "api_key": 3, "api_version": 0, "hex": "0g"})"));
}

TEST_CASE("corpus: the roundtrip command lists each failure by file and line, then the totals") {
    const auto path = std::filesystem::temp_directory_path() / "kafkit_codec_corpus_reading_test.jsonl";
    {
        std::ofstream out(path);
        // Metadata v0 request for all topics, as kcat sends it; then the same cut short.
        out << R"({"direction": "request", "api_key": 3, "api_version": 0, "hex": "0003000000000003000772646b61666b6100000000"})"
            << "\n\n"
            << R"({"direction": "request", "api_key": 3, "api_version": 0, "hex": "0003000000000003000772646b61666b61000000"})"
            << "\nnot json\n";
    }
    std::ostringstream text;
    const auto totals = run_roundtrip({{path.string()}, corpus_expectation::conforms}, text);
    CHECK(totals.passed == 1);
    CHECK(totals.failed == 2);
    const std::string output = text.str();
    CHECK(output.find(path.string() + ":3: Metadata(3) v0 request: body (MetadataRequest v0): input truncated") !=
          std::string::npos);
    CHECK(output.find(path.string() + ":4: unreadable corpus line") != std::string::npos);
    CHECK(output.find("\n1 passed, 2 failed\n") != std::string::npos);

    std::ostringstream refused;
    const auto inverted = run_roundtrip({{path.string()}, corpus_expectation::refused}, refused);
    CHECK(inverted.passed == 1); // the truncated frame was refused
    CHECK(inverted.failed == 2); // the good frame decoded, the bad line is unreadable
    CHECK(refused.str().find(":1: Metadata(3) v0 request: decoded and re-encoded although nonconformant") !=
          std::string::npos);
    std::filesystem::remove(path);

    std::ostringstream missing;
    CHECK(roundtrip_command({{"/nonexistent/kafkit.jsonl"}, corpus_expectation::conforms}, missing) == 1);
    CHECK(missing.str().find("0 passed, 1 failed") != std::string::npos);
}

TEST_CASE("corpus: the apis command lists every API with versions and first flexible version") {
    std::ostringstream out;
    CHECK(apis_command(out) == 0);
    const std::string table = out.str();
    CHECK(table.find("KEY  NAME") == 0);
    CHECK(table.find("\n0    Produce                       0-11      9\n") != std::string::npos);
    CHECK(table.find("\n17   SaslHandshake                 0-1       -\n") != std::string::npos);
    CHECK(table.find("\n18   ApiVersions") != std::string::npos);
}
