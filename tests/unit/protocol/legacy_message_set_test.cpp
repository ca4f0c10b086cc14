#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <ostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace kafkit::protocol;
using kafkit::errc;

namespace {

using bytes = std::vector<std::uint8_t>;

bytes_view view(const bytes& v) { return {v.data(), v.size()}; }
std::optional<bytes_view> text(std::string_view s) { return bytes_view::of(s); }

template <class T>
void put_be(bytes& out, T value) {
    const auto v = static_cast<std::make_unsigned_t<T>>(value);
    for (std::size_t i = sizeof(T); i-- > 0;) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void put_nullable(bytes& out, std::optional<bytes_view> b) {
    if (!b) {
        put_be<std::int32_t>(out, -1);
        return;
    }
    put_be(out, static_cast<std::int32_t>(b->size()));
    out.insert(out.end(), b->begin(), b->end());
}

// One legacy message, written by hand from the format: offset, size, then the CRC32 (zlib's)
// of magic, attributes, [timestamp], key and value.
bytes message(std::int64_t offset, std::int8_t magic, std::int8_t attributes, std::int64_t timestamp,
              std::optional<bytes_view> key, std::optional<bytes_view> value) {
    bytes body;
    body.push_back(static_cast<std::uint8_t>(magic));
    body.push_back(static_cast<std::uint8_t>(attributes));
    if (magic == 1) put_be(body, timestamp);
    put_nullable(body, key);
    put_nullable(body, value);
    bytes out;
    put_be(out, offset);
    put_be(out, static_cast<std::int32_t>(body.size() + 4));
    put_be(out, static_cast<std::uint32_t>(::crc32(0, body.data(), static_cast<uInt>(body.size()))));
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

bytes concat(std::initializer_list<bytes> parts) {
    bytes out;
    for (const bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

bytes compressed(compression_codec codec, const bytes& in) {
    bytes out;
    REQUIRE(compress(codec, view(in), out).has_value());
    return out;
}

std::vector<record_batch> read_all(const bytes& blob, record_batch_read_options options = {}) {
    auto batches = read_record_batches(view(blob), options);
    REQUIRE(batches.has_value());
    return std::move(*batches);
}

// A magic 1 wrapper around three messages at relative offsets 0..2.
bytes magic1_wrapper(compression_codec codec, std::int8_t extra_attributes, std::int64_t wrapper_offset) {
    const bytes inner = concat({message(0, 1, 0, 1000, text("k0"), text("v0")),
                                message(1, 1, 0, 1001, std::nullopt, text("v1")),
                                message(2, 1, 0, 1002, text(""), std::nullopt)});
    const bytes packed = compressed(codec, inner);
    const auto attributes = static_cast<std::int8_t>(static_cast<std::int8_t>(codec) | extra_attributes);
    return message(wrapper_offset, 1, attributes, 2000, std::nullopt, bytes_view(packed.data(), packed.size()));
}

} // namespace

TEST_CASE("legacy message set: magic 0 messages read with offsets, keys, values and no timestamp") {
    const bytes blob = concat({message(5, 0, 0, 0, text("key"), text("value")),
                               message(6, 0, 0, 0, std::nullopt, text("")),
                               message(7, 0, 0, 0, text(""), std::nullopt)});
    const auto batches = read_all(blob);
    REQUIRE(batches.size() == 3);
    const record& first = batches[0].records()[0];
    CHECK(first.offset == 5);
    CHECK(first.key == text("key"));
    CHECK(first.value == text("value"));
    CHECK(first.timestamp == no_timestamp);
    CHECK(first.magic == 0);
    CHECK(first.headers.empty());
    CHECK_FALSE(batches[1].records()[0].key.has_value());
    CHECK(batches[1].records()[0].value == text(""));
    CHECK(batches[2].records()[0].key == text(""));
    CHECK_FALSE(batches[2].records()[0].value.has_value());
    const record_batch_header& h = batches[1].header();
    CHECK(h.magic == 0);
    CHECK(h.base_offset == 6);
    CHECK(h.record_count == 1);
    CHECK(h.producer_id == -1);
    CHECK(h.batch_length == 14); // crc, magic, attributes, two lengths, one empty value
}

TEST_CASE("legacy message set: magic 1 messages carry their timestamp and timestamp type") {
    const bytes blob = concat({message(40, 1, 0, 1600000000000, text("a"), text("b")),
                               message(41, 1, 0x08, 1600000000009, text("c"), text("d"))});
    const auto batches = read_all(blob);
    REQUIRE(batches.size() == 2);
    CHECK(batches[0].records()[0].timestamp == 1600000000000);
    CHECK(batches[0].header().timestamp_kind() == timestamp_type::create_time);
    CHECK(batches[1].records()[0].offset == 41);
    CHECK(batches[1].records()[0].timestamp == 1600000000009);
    CHECK(batches[1].header().timestamp_kind() == timestamp_type::log_append_time);
    CHECK(batches[1].header().max_timestamp == 1600000000009);
    CHECK(batches[1].records()[0].magic == 1);
}

TEST_CASE("legacy message set: a gzip magic 1 wrapper yields its inner messages at absolute offsets") {
    const bytes blob = magic1_wrapper(compression_codec::gzip, 0, 102);
    const auto batches = read_all(blob);
    REQUIRE(batches.size() == 1);
    const auto records = batches[0].records();
    REQUIRE(records.size() == 3);
    CHECK(records[0].offset == 100);
    CHECK(records[1].offset == 101);
    CHECK(records[2].offset == 102);
    CHECK(records[0].timestamp == 1000); // create time: the inner timestamps
    CHECK(records[2].timestamp == 1002);
    CHECK(records[0].key == text("k0"));
    CHECK(records[0].value == text("v0"));
    CHECK_FALSE(records[1].key.has_value());
    CHECK(records[2].key == text(""));
    CHECK_FALSE(records[2].value.has_value());
    const record_batch_header& h = batches[0].header();
    CHECK(h.codec() == compression_codec::gzip);
    CHECK(h.base_offset == 100);
    CHECK(h.last_offset() == 102);
    CHECK(h.record_count == 3);
    CHECK(h.max_timestamp == 2000);
}

TEST_CASE("legacy message set: a log-append-time wrapper gives its timestamp to the inner messages") {
    for (compression_codec codec : {compression_codec::snappy, compression_codec::lz4}) {
        CAPTURE(to_string(codec));
        const auto batches = read_all(magic1_wrapper(codec, 0x08, 52));
        REQUIRE(batches.size() == 1);
        REQUIRE(batches[0].records().size() == 3);
        for (const record& r : batches[0].records()) CHECK(r.timestamp == 2000);
        CHECK(batches[0].records()[0].offset == 50);
    }
}

TEST_CASE("legacy message set: magic 0 wrapper offsets are the inner messages' own") {
    const bytes inner = concat({message(30, 0, 0, 0, text("x"), text("1")), message(31, 0, 0, 0, text("y"), text("2"))});
    const bytes packed = compressed(compression_codec::gzip, inner);
    const bytes blob = message(31, 0, 1, 0, std::nullopt, bytes_view(packed.data(), packed.size()));
    const auto batches = read_all(blob);
    REQUIRE(batches.size() == 1);
    REQUIRE(batches[0].records().size() == 2);
    CHECK(batches[0].records()[0].offset == 30);
    CHECK(batches[0].records()[1].offset == 31);
    CHECK(batches[0].records()[1].value == text("2"));
    CHECK(batches[0].records()[1].timestamp == no_timestamp);
}

TEST_CASE("legacy message set: a wrong CRC32 is errc::crc_mismatch, inner messages included") {
    bytes blob = message(1, 1, 0, 5, text("key"), text("value"));
    blob.back() ^= 0x20;
    record_batch batch;
    CHECK(record_batch_reader(view(blob)).next(batch).error() == errc::crc_mismatch);
    CHECK(read_all(blob, {crc_check::skip, default_max_decompressed_size}).size() == 1);

    bytes inner = message(0, 1, 0, 5, text("k"), text("v"));
    inner[20] ^= 0x01; // the timestamp
    const bytes packed = compressed(compression_codec::gzip, inner);
    const bytes wrapper = message(0, 1, 1, 5, std::nullopt, bytes_view(packed.data(), packed.size()));
    CHECK(record_batch_reader(view(wrapper)).next(batch).error() == errc::crc_mismatch);
}

TEST_CASE("legacy message set: nested compression, mixed magic and empty wrappers are malformed") {
    const bytes inner_wrapper = magic1_wrapper(compression_codec::gzip, 0, 2);
    const bytes nested = compressed(compression_codec::gzip, inner_wrapper);
    const bytes mixed = compressed(compression_codec::gzip, message(0, 0, 0, 0, text("k"), text("v")));
    const bytes empty = compressed(compression_codec::gzip, {});
    for (const bytes* value : {&nested, &mixed, &empty}) {
        const bytes blob = message(9, 1, 1, 0, std::nullopt, bytes_view(value->data(), value->size()));
        record_batch batch;
        CHECK(record_batch_reader(view(blob)).next(batch).error() == errc::malformed_frame);
    }
    const bytes null_value = message(9, 1, 1, 0, std::nullopt, std::nullopt);
    record_batch batch;
    CHECK(record_batch_reader(view(null_value)).next(batch).error() == errc::malformed_frame);
}

TEST_CASE("legacy message set: legacy messages and v2 batches mix in one records blob") {
    record_batch_builder builder;
    builder.append(77, text("v2"), text("batch"));
    bytes blob = message(3, 0, 0, 0, text("old"), text("message"));
    REQUIRE(builder.finish(blob).has_value());
    const bytes tail = magic1_wrapper(compression_codec::zstd, 0, 12);
    blob.insert(blob.end(), tail.begin(), tail.end());
    blob.insert(blob.end(), tail.begin(), tail.begin() + 20); // cut off, as a fetch may be

    record_batch_reader reader(view(blob));
    record_batch batch;
    std::vector<std::int8_t> magics;
    while (*reader.next(batch)) magics.push_back(batch.header().magic);
    CHECK(magics == std::vector<std::int8_t>{0, 2, 1});
    CHECK(reader.incomplete());
}

TEST_CASE("legacy message set: every truncated or corrupted wrapper fails cleanly") {
    const bytes blob = magic1_wrapper(compression_codec::gzip, 0, 2);
    for (std::size_t i = 0; i < blob.size(); ++i) {
        bytes corrupt = blob;
        corrupt[i] ^= 0x41;
        for (crc_check check : {crc_check::verify, crc_check::skip}) {
            record_batch batch;
            auto more = record_batch_reader(view(corrupt), {check, 1 << 20}).next(batch);
            if (check == crc_check::verify && i >= 16) CHECK_FALSE(more.has_value());
            if (more && *more) CHECK(batch.records().size() <= 3);
        }
    }
}
