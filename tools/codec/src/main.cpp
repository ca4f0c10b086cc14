// kafkit-codec: checks the protocol codec against captured frames, decodes frames to JSON,
// lists the APIs the codec knows, and runs the codec benchmarks.

#include "kafkit/codec/commands.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace {

using namespace kafkit::codec;

void add_roundtrip(CLI::App& app, roundtrip_options& options, bool& expect_failure) {
    auto* cmd = app.add_subcommand("roundtrip", "Decode and re-encode every frame of corpus files (JSON lines)");
    cmd->add_option("files", options.files, "Corpus files (*.jsonl)")->required()->check(CLI::ExistingFile);
    cmd->add_flag("--expect-failure", expect_failure,
                  "Every frame must be refused with a clean decode error (for nonconformant.jsonl)");
}

void add_decode(CLI::App& app, decode_options& options, bool& request, bool& response, bool& body_only) {
    auto* cmd = app.add_subcommand("decode", "Decode one frame and print it as JSON");
    cmd->add_option("--api-key", options.api_key, "API key")->required();
    cmd->add_option("--version", options.api_version, "API version (for a response: of its request)")->required();
    auto* side = cmd->add_option_group("direction", "Which side wrote the frame");
    side->add_flag("--request", request, "The frame is a request");
    side->add_flag("--response", response, "The frame is a response");
    side->require_option(1);
    cmd->add_flag("--body-only", body_only, "The input is the body alone, without a header");
    cmd->add_flag("--compact", options.compact, "Print the JSON on one line");
    cmd->add_option("hex", options.hex, "The frame without its size prefix, as hex; - or nothing reads stdin");
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"kafkit-codec: the kafkit protocol codec from the command line"};
    app.require_subcommand(1);

    roundtrip_options roundtrip;
    bool expect_failure = false;
    add_roundtrip(app, roundtrip, expect_failure);

    decode_options decode;
    bool request = false;
    bool response = false;
    bool body_only = false;
    add_decode(app, decode, request, response, body_only);

    app.add_subcommand("apis", "List the API keys, names, versions and first flexible versions");
    int per_case_ms = 200;
    auto* bench = app.add_subcommand("bench", "Run the record codec benchmarks and print a table");
    bench->add_option("--per-case-ms", per_case_ms, "Milliseconds to run each case")
        ->capture_default_str()
        ->check(CLI::Range(1, 60000));

    CLI11_PARSE(app, argc, argv);

    if (app.got_subcommand("roundtrip")) {
        roundtrip.expect = expect_failure ? corpus_expectation::refused : corpus_expectation::conforms;
        return roundtrip_command(roundtrip, std::cout);
    }
    if (app.got_subcommand("decode")) {
        decode.dir = response ? direction::response : direction::request;
        decode.part = body_only ? frame_part::body_only : frame_part::whole_frame;
        return decode_command(decode, std::cin, std::cout, std::cerr);
    }
    if (app.got_subcommand("apis")) return apis_command(std::cout);
    return bench_command(std::chrono::milliseconds(per_case_ms), std::cout);
}
