#include "kafkit/codec/json_render.hpp"
#include "kafkit/codec/roundtrip.hpp"
#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/messages/metadata.hpp"
#include "kafkit/protocol/messages/produce.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <doctest/doctest.h>

#include <string_view>
#include <vector>

using namespace kafkit::codec;
using namespace kafkit::protocol;

namespace {

bytes_view view(const std::vector<std::uint8_t>& v, std::size_t skip = 0) {
    return {v.data() + skip, v.size() - skip};
}

bytes_view text(std::string_view s) { return bytes_view::of(s); }

// A Produce v9 request frame (no size prefix) whose one partition holds `records`.
std::vector<std::uint8_t> produce_frame(const std::vector<std::uint8_t>& records) {
    produce_request request;
    request.acks = -1;
    request.timeout_ms = 30000;
    auto& topic = request.topic_data.emplace_back();
    topic.name = "orders";
    auto& partition = topic.partition_data.emplace_back();
    partition.index = 2;
    partition.records = view(records);
    std::vector<std::uint8_t> frame;
    REQUIRE(encode_request_frame(request, 9, 11, "roundtrip-test", frame).has_value());
    frame.erase(frame.begin(), frame.begin() + 4);
    return frame;
}

// Two batches: three gzip records (one with headers), then one uncompressed record.
std::vector<std::uint8_t> two_batches() {
    std::vector<std::uint8_t> records;
    record_batch_options options;
    options.base_offset = 100;
    options.codec = compression_codec::gzip;
    record_batch_builder builder(options);
    const record_header headers[] = {{"trace", text("abc")}, {"empty", std::nullopt}};
    builder.append(1000, text("k1"), text("v1"), headers);
    builder.append(1001, std::nullopt, text("v2"));
    builder.append(1002, text("k3"), std::nullopt);
    REQUIRE(builder.finish(records).has_value());
    record_batch_options plain;
    plain.base_offset = 103;
    builder.reset(plain);
    builder.append(2000, text("k4"), text("v4"));
    REQUIRE(builder.finish(records).has_value());
    return records;
}

} // namespace

TEST_CASE("roundtrip: a frame that decodes but does not re-encode the same is reported with the offset") {
    metadata_request request;
    request.allow_auto_topic_creation = true;
    std::vector<std::uint8_t> frame;
    REQUIRE(encode_request_frame(request, 4, 1, "c", frame).has_value());
    frame.erase(frame.begin(), frame.begin() + 4);
    REQUIRE(roundtrip_frame(direction::request, 3, 4, view(frame)).passed());

    // A bool byte of 2 reads as true but is written back as 1.
    REQUIRE(frame.back() == 0x01);
    frame.back() = 0x02;
    const auto outcome = roundtrip_frame(direction::request, 3, 4, view(frame));
    CHECK(outcome.status == frame_status::bytes_differ);
    CHECK(outcome.offset == frame.size() - 1);
    CHECK(outcome.reason.find("re-encoded bytes differ at offset " + std::to_string(frame.size() - 1)) == 0);
}

TEST_CASE("roundtrip: the record batches of a records field are decoded and counted") {
    const auto records = two_batches();
    const auto frame = produce_frame(records);
    const auto outcome = roundtrip_frame(direction::request, 0, 9, view(frame));
    REQUIRE_MESSAGE(outcome.passed(), outcome.reason);
    CHECK(outcome.records.fields == 1);
    CHECK(outcome.records.batches == 2);
    CHECK(outcome.records.records == 4);
    CHECK(outcome.records.crc_bad == 0);
    CHECK(outcome.records.magic == std::vector<int>{2});
    CHECK(outcome.records.codecs == std::vector<std::string>{"gzip", "none"});
}

TEST_CASE("roundtrip: a corpus line's record count, codecs and bad CRCs must match what is found") {
    corpus_frame frame;
    frame.dir = direction::request;
    frame.api_key = 0;
    frame.api_version = 9;
    frame.bytes = produce_frame(two_batches());
    frame.records = expected_records{4, {2}, {"gzip", "none"}, 0};
    CHECK(check_corpus_frame(frame).passed());

    frame.records->records = 5;
    auto outcome = check_corpus_frame(frame);
    CHECK(outcome.status == frame_status::records_mismatch);
    CHECK(outcome.reason == "records: decoded 4, corpus expects 5");

    frame.records = expected_records{4, {2}, {"none", "zstd"}, 0};
    CHECK(check_corpus_frame(frame).reason == "record codecs: decoded [gzip,none], corpus expects [none,zstd]");
    frame.records = expected_records{4, {2}, {}, 1};
    CHECK(check_corpus_frame(frame).reason == "bad CRCs: found 0, corpus expects 1");
}

TEST_CASE("roundtrip: record data that does not decode fails the frame, with the field's offset") {
    auto records = two_batches();
    records[16] = 7; // the first batch's magic byte: no such format
    const auto frame = produce_frame(records);
    const auto outcome = roundtrip_frame(direction::request, 0, 9, view(frame));
    CHECK(outcome.status == frame_status::records_failed);
    CHECK(outcome.error);
    CHECK(outcome.reason.find("records field Records at offset ") == 0);
}

TEST_CASE("roundtrip: a bad CRC is counted, not fatal") {
    auto records = two_batches();
    // The last record ends with its value "v4" and a header count of 0: change the value.
    REQUIRE(records[records.size() - 2] == '4');
    records[records.size() - 2] = '5';
    const auto outcome = roundtrip_frame(direction::request, 0, 9, view(produce_frame(records)));
    REQUIRE_MESSAGE(outcome.passed(), outcome.reason);
    CHECK(outcome.records.crc_bad == 1);
    CHECK(outcome.records.records == 4);
}

TEST_CASE("json: a records field renders as its batches and records") {
    const auto records = two_batches();
    const auto frame = produce_frame(records);
    const auto rendered = render_frame(direction::request, 0, 9, view(frame), frame_part::whole_frame);
    REQUIRE_MESSAGE(rendered.json.has_value(), rendered.reason);
    const auto& field = (*rendered.json)["body"]["TopicData"][0]["PartitionData"][0]["Records"];
    CHECK(field["size"] == records.size());
    REQUIRE(field["batches"].size() == 2);
    const auto& first = field["batches"][0];
    CHECK(first["magic"] == 2);
    CHECK(first["codec"] == "gzip");
    CHECK(first["base_offset"] == 100);
    CHECK(first["crc_ok"] == true);
    REQUIRE(first["records"].size() == 3);
    CHECK(first["records"][0]["offset"] == 100);
    CHECK(first["records"][0]["timestamp"] == 1000);
    CHECK(first["records"][0]["key"] == "6b31");
    CHECK(first["records"][0]["key_text"] == "k1");
    CHECK(first["records"][0]["value_text"] == "v1");
    REQUIRE(first["records"][0]["headers"].size() == 2);
    CHECK(first["records"][0]["headers"][0]["key"] == "trace");
    CHECK(first["records"][0]["headers"][0]["value_text"] == "abc");
    CHECK(first["records"][0]["headers"][1]["value"].is_null());
    CHECK(first["records"][1]["key"].is_null());
    CHECK(first["records"][2]["value"].is_null());
    CHECK(field["batches"][1]["records"][0]["offset"] == 103);
    CHECK(field["batches"][1]["codec"] == "none");
}
