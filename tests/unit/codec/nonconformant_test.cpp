// nonconformant.jsonl: what real peers put on the wire that breaks the schema. Each frame
// must be refused with an error: never a crash, never a silent partial decode.

#include "corpus_test_support.hpp"
#include "kafkit/codec/roundtrip.hpp"
#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/messages/visit.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>

using namespace kafkit::codec;
using kafkit::protocol::bytes_view;

namespace {

// The library's own entry point for responses, beside the tool's round trip.
std::error_code library_decode_error(const corpus_frame& frame) {
    std::error_code error;
    const bytes_view bytes(frame.bytes.data(), frame.bytes.size());
    kafkit::protocol::visit_api(frame.api_key, [&](auto request_tag, auto response_tag) {
        if (frame.dir == direction::response) {
            using response = typename decltype(response_tag)::type;
            error = kafkit::protocol::decode_response_frame<response>(bytes, frame.api_version).error();
        } else {
            using request = typename decltype(request_tag)::type;
            auto parts = kafkit::protocol::read_request_frame(bytes);
            error = parts ? kafkit::protocol::decode<request>(parts->body, frame.api_version).error() : parts.error();
        }
    });
    return error;
}

} // namespace

TEST_CASE("nonconformant corpus: every frame is refused with a clean decode error") {
    if (!testing::corpus_available()) return;
    const auto frames = testing::read_frames("nonconformant.jsonl");
    CHECK(frames.size() >= 400);

    std::map<std::string, int> refused_by_api;
    for (const auto& frame : frames) {
        INFO(frame.file << ":" << frame.line);
        const auto outcome = roundtrip_frame(frame.dir, frame.api_key, frame.api_version,
                                             bytes_view(frame.bytes.data(), frame.bytes.size()));
        CHECK(outcome.status == frame_status::decode_failed);
        CHECK(outcome.error);
        CHECK_FALSE(outcome.reason.empty());
        CHECK_FALSE(outcome.v0_fallback);
        CHECK(outcome.offset <= frame.bytes.size());
        CHECK(library_decode_error(frame));
        if (outcome.status == frame_status::decode_failed) {
            ++refused_by_api[std::to_string(frame.api_key) + " v" + std::to_string(frame.api_version)];
        }
    }
    // The three kinds the corpus README names: the mock's hand-made ApiVersions v3 error
    // reply, Produce v5 responses without LogStartOffset, replies to acks=0 Produce.
    CHECK(refused_by_api["18 v3"] > 0);
    CHECK(refused_by_api["0 v5"] > 0);
}

TEST_CASE("nonconformant corpus: the mock's ApiVersions v3 error reply fails the v0 fallback too") {
    if (!testing::corpus_available()) return;
    int seen = 0;
    for (const auto& frame : testing::read_frames("nonconformant.jsonl")) {
        if (frame.api_key != 18 || frame.dir != direction::response) continue;
        ++seen;
        INFO(frame.file << ":" << frame.line);
        const bytes_view bytes(frame.bytes.data(), frame.bytes.size());
        auto decoded = kafkit::protocol::decode_response_frame<kafkit::protocol::api_versions_response>(
            bytes, frame.api_version);
        CHECK_FALSE(decoded.has_value());
    }
    CHECK(seen > 0);
}
