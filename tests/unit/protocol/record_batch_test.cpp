#include "kafkit/protocol/crc32c.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

using namespace kafkit::protocol;
using kafkit::errc;

namespace {

bytes_view view(const std::vector<std::uint8_t>& v) { return {v.data(), v.size()}; }
std::optional<bytes_view> text(std::string_view s) { return bytes_view::of(s); }

const std::array<record_header, 3> repeated_headers = {
    record_header{"trace", text("a")}, record_header{"empty", std::nullopt}, record_header{"trace", text("b")}};

record_batch_options full_options(compression_codec codec) {
    record_batch_options o;
    o.base_offset = 1000;
    o.partition_leader_epoch = 7;
    o.producer_id = 123456789;
    o.producer_epoch = 3;
    o.base_sequence = 42;
    o.codec = codec;
    o.transactional = true;
    return o;
}

// Four records covering null and empty keys and values, and headers with repeated keys.
std::vector<std::uint8_t> sample_batch(compression_codec codec) {
    record_batch_builder builder(full_options(codec));
    builder.append(1700000000000, std::nullopt, text("first"));
    builder.append(1700000000005, text(""), std::nullopt, repeated_headers);
    builder.append(1699999999990, text("k3"), text(""));
    builder.append(1700000000002, text("key-4"), text(std::string(300, 'v')), {repeated_headers.data(), 1});
    std::vector<std::uint8_t> out;
    REQUIRE(builder.finish(out).has_value());
    return out;
}

record_batch read_one(bytes_view bytes, record_batch_read_options options = {}) {
    record_batch_reader reader(bytes, options);
    record_batch batch;
    auto more = reader.next(batch);
    REQUIRE(more.has_value());
    REQUIRE(*more);
    CHECK(reader.position() == bytes.size());
    return batch;
}

void check_sample_records(const record_batch& batch) {
    const auto records = batch.records();
    REQUIRE(records.size() == 4);
    CHECK(records[0].offset == 1000);
    CHECK(records[3].offset == 1003);
    CHECK(records[0].timestamp == 1700000000000);
    CHECK(records[1].timestamp == 1700000000005);
    CHECK(records[2].timestamp == 1699999999990);
    CHECK_FALSE(records[0].key.has_value());
    REQUIRE(records[1].key.has_value());
    CHECK(records[1].key->empty());
    CHECK(records[0].value == text("first"));
    CHECK_FALSE(records[1].value.has_value());
    REQUIRE(records[2].value.has_value());
    CHECK(records[2].value->empty());
    CHECK(records[3].value == text(std::string(300, 'v')));
    REQUIRE(records[1].headers.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(records[1].headers[i] == repeated_headers[i]);
    CHECK(records[0].headers.empty());
    REQUIRE(records[3].headers.size() == 1);
    CHECK(records[3].headers[0] == repeated_headers[0]);
    for (const record& r : records) CHECK(r.magic == 2);
}

} // namespace

TEST_CASE("record batch: a one-record batch has the wire layout of the Kafka protocol") {
    record_batch_options o;
    o.base_offset = 5;
    record_batch_builder builder(o);
    builder.append(77, std::nullopt, text("v"));
    auto bytes = builder.finish();
    REQUIRE(bytes.has_value());
    // Record: length 7, attributes 0, timestamp delta 0, offset delta 0, null key,
    // value of length 1, no headers (varints zig-zag encoded).
    const std::vector<std::uint8_t> record = {0x0e, 0x00, 0x00, 0x00, 0x01, 0x02, 'v', 0x00};
    REQUIRE(bytes->size() == record_batch_header_size + record.size());
    const std::vector<std::uint8_t> header = {
        0, 0, 0, 0, 0, 0, 0, 5,            // base offset
        0, 0, 0, 57,                       // batch length: 49 + 8
        0xff, 0xff, 0xff, 0xff,            // partition leader epoch -1
        2,                                 // magic
        0, 0, 0, 0,                        // crc (checked below)
        0, 0,                              // attributes
        0, 0, 0, 0,                        // last offset delta
        0, 0, 0, 0, 0, 0, 0, 77,           // base timestamp
        0, 0, 0, 0, 0, 0, 0, 77,           // max timestamp
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // producer id -1
        0xff, 0xff,                        // producer epoch -1
        0xff, 0xff, 0xff, 0xff,            // base sequence -1
        0, 0, 0, 1};                       // records count
    std::vector<std::uint8_t> got(bytes->begin(), bytes->end());
    const std::uint32_t crc = crc32c(bytes->subview(21));
    CHECK(got[17] == (crc >> 24));
    CHECK(got[20] == (crc & 0xff));
    std::fill(got.begin() + 17, got.begin() + 21, 0);
    CHECK(std::vector<std::uint8_t>(got.begin(), got.begin() + 61) == header);
    CHECK(std::vector<std::uint8_t>(got.begin() + 61, got.end()) == record);
}

TEST_CASE("record batch: every header field and record round-trips, and re-encoding is byte-identical") {
    const auto bytes = sample_batch(compression_codec::none);
    const record_batch batch = read_one(view(bytes));
    const record_batch_header& h = batch.header();
    CHECK(h.base_offset == 1000);
    CHECK(h.batch_length == static_cast<std::int32_t>(bytes.size() - 12));
    CHECK(h.partition_leader_epoch == 7);
    CHECK(h.magic == 2);
    CHECK(h.codec() == compression_codec::none);
    CHECK(h.is_transactional());
    CHECK_FALSE(h.is_control());
    CHECK(h.timestamp_kind() == timestamp_type::create_time);
    CHECK(h.last_offset_delta == 3);
    CHECK(h.last_offset() == 1003);
    CHECK(h.base_timestamp == 1700000000000);
    CHECK(h.max_timestamp == 1700000000005);
    CHECK(h.producer_id == 123456789);
    CHECK(h.producer_epoch == 3);
    CHECK(h.base_sequence == 42);
    CHECK(h.record_count == 4);
    CHECK(batch.raw() == view(bytes));
    check_sample_records(batch);

    record_batch_builder again(options_from(h));
    for (const record& r : batch.records()) again.append(r);
    auto rewritten = again.finish();
    REQUIRE(rewritten.has_value());
    CHECK(*rewritten == view(bytes));
}

TEST_CASE("record batch: the same records compressed by each codec decode to the same records") {
    for (compression_codec codec : {compression_codec::none, compression_codec::gzip, compression_codec::snappy,
                                    compression_codec::lz4, compression_codec::zstd}) {
        CAPTURE(to_string(codec));
        const auto bytes = sample_batch(codec);
        const record_batch batch = read_one(view(bytes));
        CHECK(batch.header().codec() == codec);
        check_sample_records(batch);
    }
}

TEST_CASE("record batch: views stay valid when decoded compressed batches are moved") {
    const auto bytes = sample_batch(compression_codec::zstd);
    std::vector<record_batch> batches;
    for (int i = 0; i < 20; ++i) batches.push_back(read_one(view(bytes))); // reallocates as it grows
    record_batch moved = std::move(batches[7]);
    check_sample_records(moved);
    batches[3] = std::move(moved);
    check_sample_records(batches[3]);
    check_sample_records(batches[19]);
}

TEST_CASE("record batch: a changed byte under the CRC is errc::crc_mismatch unless checks are skipped") {
    auto bytes = sample_batch(compression_codec::none);
    bytes[bytes.size() - 10] ^= 0x01; // inside the last record's value
    record_batch_reader reader(view(bytes));
    record_batch batch;
    CHECK(reader.next(batch).error() == errc::crc_mismatch);
    CHECK(reader.next(batch).error() == errc::crc_mismatch); // the reader stays failed
    CHECK(batch.records().empty());
    const record_batch unchecked = read_one(view(bytes), {crc_check::skip, default_max_decompressed_size});
    CHECK(unchecked.records().size() == 4);

    // The base offset and leader epoch are outside the CRC: a broker rewrites them.
    auto moved = sample_batch(compression_codec::none);
    moved[7] = 0x99; // base offset 1000 (0x3e8) becomes 0x399
    CHECK(read_one(view(moved)).records()[0].offset == 0x399);
}

TEST_CASE("record batch: two batches then a truncated third read as two, the rest reported incomplete") {
    std::vector<std::uint8_t> blob = sample_batch(compression_codec::none);
    const auto second = sample_batch(compression_codec::lz4);
    blob.insert(blob.end(), second.begin(), second.end());
    const std::size_t complete = blob.size();
    const auto third = sample_batch(compression_codec::gzip);
    blob.insert(blob.end(), third.begin(), third.begin() + 40);

    auto batches = read_record_batches(view(blob));
    REQUIRE(batches.has_value());
    REQUIRE(batches->size() == 2);
    CHECK(batches->at(1).header().codec() == compression_codec::lz4);
    check_sample_records(batches->at(1));

    record_batch_reader reader(view(blob));
    record_batch batch;
    CHECK(*reader.next(batch));
    CHECK(*reader.next(batch));
    CHECK_FALSE(*reader.next(batch));
    CHECK(reader.incomplete());
    CHECK(reader.position() == complete);
    CHECK(reader.remaining().size() == 40);

    record_batch_reader whole(view(second));
    CHECK(*whole.next(batch));
    CHECK_FALSE(*whole.next(batch));
    CHECK_FALSE(whole.incomplete());
}

TEST_CASE("record batch: every truncation of a batch is incomplete, never a batch or a crash") {
    const auto bytes = sample_batch(compression_codec::none);
    for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
        record_batch_reader reader({bytes.data(), cut});
        record_batch batch;
        auto more = reader.next(batch);
        REQUIRE(more.has_value());
        CHECK_FALSE(*more);
        CHECK(reader.incomplete());
    }
}

TEST_CASE("record batch: a batch whose length is cut to each size fails cleanly") {
    for (compression_codec codec : {compression_codec::none, compression_codec::snappy}) {
        const auto bytes = sample_batch(codec);
        for (std::size_t cut = 12; cut < bytes.size(); ++cut) {
            CAPTURE(cut);
            std::vector<std::uint8_t> shortened(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut));
            const auto length = static_cast<std::uint32_t>(cut - 12);
            for (int i = 0; i < 4; ++i) shortened[8 + i] = static_cast<std::uint8_t>(length >> (24 - 8 * i));
            if (shortened.size() < 17) continue; // too short to carry a magic: a partial batch
            record_batch_reader reader(view(shortened), {crc_check::skip, default_max_decompressed_size});
            record_batch batch;
            auto more = reader.next(batch);
            CHECK_FALSE(more.has_value());
        }
    }
}

TEST_CASE("record batch: any single corrupted byte gives an error or a decodable batch, never a crash") {
    const auto bytes = sample_batch(compression_codec::none);
    std::size_t crc_failures = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        for (std::uint8_t flip : {std::uint8_t{0x01}, std::uint8_t{0x80}, std::uint8_t{0xff}}) {
            auto corrupt = bytes;
            corrupt[i] ^= flip;
            for (crc_check check : {crc_check::verify, crc_check::skip}) {
                record_batch_reader reader(view(corrupt), {check, 1 << 20});
                record_batch batch;
                auto more = reader.next(batch);
                if (more && *more) {
                    CHECK(batch.records().size() <= 4);
                } else if (!more && more.error() == errc::crc_mismatch) {
                    ++crc_failures;
                }
            }
        }
    }
    // Every byte from the attributes on is covered by the CRC.
    CHECK(crc_failures >= 3 * (bytes.size() - 21));
}

TEST_CASE("record batch: a record count that disagrees with the records is malformed") {
    for (std::int32_t count : {3, 5, 1000000, -1}) {
        CAPTURE(count);
        auto bytes = sample_batch(compression_codec::none);
        for (int i = 0; i < 4; ++i) bytes[57 + i] = static_cast<std::uint8_t>(static_cast<std::uint32_t>(count) >> (24 - 8 * i));
        record_batch_reader reader(view(bytes), {crc_check::skip, default_max_decompressed_size});
        record_batch batch;
        auto more = reader.next(batch);
        REQUIRE_FALSE(more.has_value());
        CHECK((more.error() == errc::malformed_frame || more.error() == errc::truncated));
    }
}

TEST_CASE("record batch: an unknown magic or an impossible length is malformed") {
    auto bytes = sample_batch(compression_codec::none);
    bytes[16] = 3;
    record_batch batch;
    CHECK(record_batch_reader(view(bytes)).next(batch).error() == errc::malformed_frame);
    bytes[16] = 2;
    bytes[8] = bytes[9] = bytes[10] = 0;
    bytes[11] = 13; // less than the smallest message
    CHECK(record_batch_reader(view(bytes)).next(batch).error() == errc::malformed_frame);
    bytes[11] = 30; // room for a legacy message, not for a v2 header
    CHECK(record_batch_reader(view(bytes)).next(batch).error() == errc::malformed_frame);
    CHECK(read_record_batch_header(bytes_view(bytes.data(), 60)).error() == errc::truncated);
}

TEST_CASE("record batch: decompressed size past the limit is errc::too_large") {
    record_batch_options o;
    o.codec = compression_codec::zstd;
    record_batch_builder builder(o);
    const std::string zeros(10000, '\0');
    for (int i = 0; i < 300; ++i) builder.append(i, std::nullopt, text(zeros));
    auto bytes = builder.finish();
    REQUIRE(bytes.has_value());
    CHECK(bytes->size() < 10000);
    record_batch batch;
    CHECK(record_batch_reader(*bytes, {crc_check::verify, 1 << 20}).next(batch).error() == errc::too_large);
    CHECK(*record_batch_reader(*bytes, {crc_check::verify, 4 << 20}).next(batch));
    CHECK(batch.records().size() == 300);
}

TEST_CASE("record batch: control batches carry commit and abort markers") {
    record_batch_options o = full_options(compression_codec::none);
    o.control = true;
    record_batch_builder builder(o);
    const auto commit = encode_end_txn_marker(control_record_type::commit, 17);
    const auto abort = encode_end_txn_marker(control_record_type::abort, -2);
    builder.append(5, bytes_view(commit.key), bytes_view(commit.value));
    builder.append(6, bytes_view(abort.key), bytes_view(abort.value));
    std::vector<std::uint8_t> bytes;
    REQUIRE(builder.finish(bytes).has_value());
    const record_batch batch = read_one(view(bytes));
    CHECK(batch.header().is_control());
    CHECK(batch.header().is_transactional());
    auto first = read_control_record(batch.records()[0]);
    REQUIRE(first.has_value());
    CHECK(first->type == control_record_type::commit);
    CHECK(first->coordinator_epoch == 17);
    auto second = read_control_record(batch.records()[1]);
    REQUIRE(second.has_value());
    CHECK(second->type == control_record_type::abort);
    CHECK(second->coordinator_epoch == -2);
    CHECK(std::vector<std::uint8_t>(commit.key.begin(), commit.key.end()) == std::vector<std::uint8_t>{0, 0, 0, 1});

    record not_control;
    not_control.key = text("ab");
    CHECK(read_control_record(not_control).error() == errc::malformed_frame);
}

TEST_CASE("record batch: under log append time every record reads the batch's max timestamp") {
    record_batch_options o;
    o.timestamp_kind = timestamp_type::log_append_time;
    o.max_timestamp = 1800000000000;
    record_batch_builder builder(o);
    builder.append(100, std::nullopt, text("a"));
    builder.append(200, std::nullopt, text("b"));
    auto bytes = builder.finish();
    REQUIRE(bytes.has_value());
    const record_batch batch = read_one(*bytes);
    CHECK(batch.header().timestamp_kind() == timestamp_type::log_append_time);
    CHECK(batch.header().base_timestamp == 100);
    for (const record& r : batch.records()) CHECK(r.timestamp == 1800000000000);
}

TEST_CASE("record batch: a reset builder writes a fresh batch and an empty blob has no batches") {
    record_batch_builder builder(full_options(compression_codec::lz4));
    builder.append(1, text("old"), text("old"));
    REQUIRE(builder.finish().has_value());
    builder.reset({});
    CHECK(builder.record_count() == 0);
    builder.append(9, text("new"), std::nullopt);
    auto bytes = builder.finish();
    REQUIRE(bytes.has_value());
    const record_batch batch = read_one(*bytes);
    REQUIRE(batch.records().size() == 1);
    CHECK(batch.records()[0].key == text("new"));
    CHECK(batch.header().producer_id == -1);

    auto none = read_record_batches({});
    REQUIRE(none.has_value());
    CHECK(none->empty());
}

TEST_CASE("record batch: read_record_batch_header reads the fixed fields without the records") {
    const auto bytes = sample_batch(compression_codec::snappy);
    auto h = read_record_batch_header(view(bytes));
    REQUIRE(h.has_value());
    CHECK(h->record_count == 4);
    CHECK(h->size_in_bytes() == bytes.size());
    CHECK(h->codec() == compression_codec::snappy);
    CHECK(*h == read_one(view(bytes)).header());
}
