// The golden corpus: frames kcat, confluent-kafka-python, kafka-python and librdkafka's mock
// cluster wrote. Each must decode completely, re-encode to the same bytes and hold the
// stated number of records.

#include "corpus_test_support.hpp"
#include "kafkit/codec/roundtrip.hpp"
#include "kafkit/protocol/error.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

using namespace kafkit::codec;

namespace {

// librdkafka 2.0.2's mock answers an OffsetFetch (v2-v5) for all of a group's offsets with
// Topics as a null array (length -1), which OffsetFetchResponse.json does not allow ("Topics"
// has no nullableVersions; Kafka's own reader throws "non-nullable field topics was
// serialized as null"). Such frames sit in kafka-python.jsonl although they break the
// schema: the codec must refuse them as it refuses nonconformant.jsonl.
bool is_null_offset_fetch_topics(const corpus_frame& frame) {
    if (frame.api_key != 9 || frame.dir != direction::response || frame.api_version < 2 || frame.api_version > 5) {
        return false;
    }
    const std::size_t topics = 4 + (frame.api_version >= 3 ? 4 : 0); // correlation id, ThrottleTimeMs
    return frame.bytes.size() >= topics + 4 &&
           std::all_of(frame.bytes.begin() + topics, frame.bytes.begin() + topics + 4,
                       [](std::uint8_t b) { return b == 0xff; });
}

struct corpus_totals {
    std::size_t frames = 0;
    std::size_t passed = 0;
    std::size_t schema_violations = 0;
    std::size_t batches = 0;
    std::size_t records = 0;
    std::int64_t expected_records = 0;
    std::set<std::string> codecs;
    std::set<int> magic;
};

corpus_totals check_file(const std::string& name) {
    corpus_totals totals;
    for (const auto& frame : testing::read_frames(name)) {
        ++totals.frames;
        const roundtrip_outcome outcome = check_corpus_frame(frame);
        INFO(frame.file << ":" << frame.line << " api " << frame.api_key << " v" << frame.api_version << " "
                        << to_string(frame.dir));
        if (is_null_offset_fetch_topics(frame)) {
            CHECK(outcome.status == frame_status::decode_failed);
            CHECK(outcome.error == kafkit::errc::malformed_frame);
            ++totals.schema_violations;
            continue;
        }
        CHECK_MESSAGE(outcome.passed(), outcome.reason);
        if (!outcome.passed()) continue;
        ++totals.passed;
        totals.batches += outcome.records.batches;
        totals.records += outcome.records.records;
        if (frame.records) totals.expected_records += frame.records->records;
        totals.codecs.insert(outcome.records.codecs.begin(), outcome.records.codecs.end());
        totals.magic.insert(outcome.records.magic.begin(), outcome.records.magic.end());
    }
    return totals;
}

} // namespace

TEST_CASE("corpus: kcat's frames and the mock's answers round-trip byte for byte") {
    if (!testing::corpus_available()) return;
    const auto totals = check_file("kcat.jsonl");
    CHECK(totals.frames > 2000);
    CHECK(totals.passed == totals.frames);
    CHECK(totals.schema_violations == 0);
    CHECK(totals.records > 0);
}

TEST_CASE("corpus: confluent-kafka-python's frames and the mock's answers round-trip byte for byte") {
    if (!testing::corpus_available()) return;
    const auto totals = check_file("confluent-kafka-python.jsonl");
    CHECK(totals.frames > 2000);
    CHECK(totals.passed == totals.frames);
    CHECK(totals.schema_violations == 0);
    CHECK(totals.records > 0);
}

TEST_CASE("corpus: kafka-python's frames and the mock's answers round-trip byte for byte") {
    if (!testing::corpus_available()) return;
    const auto totals = check_file("kafka-python.jsonl");
    CHECK(totals.frames > 2000);
    if (totals.schema_violations > 0) {
        MESSAGE(totals.schema_violations << " OffsetFetch responses with null Topics refused (librdkafka mock "
                                            "bug; they belong in nonconformant.jsonl)");
    }
    CHECK(totals.passed + totals.schema_violations == totals.frames);
    CHECK(totals.records > 0);
}

TEST_CASE("corpus: all of it is read, every codec and record format is met, every record counted") {
    if (!testing::corpus_available()) return;
    corpus_totals all;
    for (const char* name : {"kcat.jsonl", "confluent-kafka-python.jsonl", "kafka-python.jsonl"}) {
        const auto totals = check_file(name);
        all.frames += totals.frames;
        all.passed += totals.passed;
        all.schema_violations += totals.schema_violations;
        all.batches += totals.batches;
        all.records += totals.records;
        all.expected_records += totals.expected_records;
        all.codecs.insert(totals.codecs.begin(), totals.codecs.end());
        all.magic.insert(totals.magic.begin(), totals.magic.end());
    }
    MESSAGE(all.frames << " frames, " << all.batches << " record batches, " << all.records << " records");
    CHECK(all.frames > 7000); // an empty or half-read corpus cannot pass
    CHECK(all.passed + all.schema_violations == all.frames);
    CHECK(all.schema_violations <= 5); // the known mock replies, nothing else
    CHECK(static_cast<std::int64_t>(all.records) == all.expected_records);
    CHECK(all.records > 1000);
    CHECK(all.codecs == std::set<std::string>{"gzip", "lz4", "none", "snappy", "zstd"});
    CHECK(all.magic == std::set<int>{0, 1, 2});
}
