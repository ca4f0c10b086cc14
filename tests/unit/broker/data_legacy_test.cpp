// Old clients: Produce v0-2 with legacy message sets (stored as v2 batches, as Kafka 3.x
// stores everything) and Fetch v0-3 answered in the message format they read.

#include "data/legacy_records.hpp"
#include "data_support.hpp"
#include "kafkit/protocol/crc32c.hpp"

using namespace kafkit;
using namespace kafkit::testing::data;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

namespace {

void put_be(std::vector<std::uint8_t>& out, std::uint64_t v, std::size_t bytes) {
    for (std::size_t i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * (bytes - 1 - i))));
}

/// One uncompressed legacy message, written by hand (independent of the broker's writer).
void legacy_message(std::vector<std::uint8_t>& out, std::int8_t magic, std::int64_t offset, std::int64_t timestamp,
                    const std::string& key, const std::string& value) {
    std::vector<std::uint8_t> body;
    body.push_back(static_cast<std::uint8_t>(magic));
    body.push_back(0); // attributes: no compression, CreateTime
    if (magic == 1) put_be(body, static_cast<std::uint64_t>(timestamp), 8);
    put_be(body, key.size(), 4);
    body.insert(body.end(), key.begin(), key.end());
    put_be(body, value.size(), 4);
    body.insert(body.end(), value.begin(), value.end());
    put_be(out, static_cast<std::uint64_t>(offset), 8);
    put_be(out, body.size() + 4, 4);
    put_be(out, crc32(bytes_view(body.data(), body.size())), 4);
    out.insert(out.end(), body.begin(), body.end());
}

} // namespace

TEST_CASE("legacy: Produce v2 message sets are stored as one v2 batch and read back by every Fetch") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "old", 1);
    std::vector<std::uint8_t> set;
    legacy_message(set, 1, 0, 1600000000001, "k0", "v0");
    legacy_message(set, 1, 1, 1600000000002, "k1", "v1");
    auto r = produce(client, "old", 0, set, 2);
    CHECK(r.error_code == 0);
    CHECK(r.base_offset == 0);
    std::vector<std::uint8_t> magic0;
    legacy_message(magic0, 0, 0, 0, "k2", "v2");
    CHECK(produce(client, "old", 0, magic0, 0).base_offset == 2);

    // v4+: v2 batches, as converted.
    auto modern = fetch_records(client, "old", 0, 0, 11);
    REQUIRE(modern.size() == 3);
    CHECK(modern[0].magic == 2);
    CHECK(modern[1].key == std::optional<std::string>("k1"));
    CHECK(modern[1].timestamp == 1600000000002);
    CHECK(modern[2].timestamp == -1); // magic 0 has no timestamp

    // v2-3 read magic 1, v0-1 magic 0 (with absolute offsets), from the fetch offset on.
    auto v3 = fetch_records(client, "old", 0, 1, 3);
    REQUIRE(v3.size() == 2);
    CHECK(v3[0].magic == 1);
    CHECK(v3[0].offset == 1);
    CHECK(v3[0].value == std::optional<std::string>("v1"));
    CHECK(v3[0].timestamp == 1600000000002);
    auto v0 = fetch_records(client, "old", 0, 0, 0);
    REQUIRE(v0.size() == 3);
    CHECK(v0[2].magic == 0);
    CHECK(v0[2].offset == 2);
    CHECK(v0[2].key == std::optional<std::string>("k2"));

    // Produce v3+ only takes v2 batches.
    CHECK(produce(client, "old", 0, set, 3).error_code == code(kafka_errc::invalid_record));
    // A bad CRC in a legacy message is CORRUPT_MESSAGE.
    set[20] ^= 1;
    CHECK(produce(client, "old", 0, set, 2).error_code == code(kafka_errc::corrupt_message));
}

TEST_CASE("legacy: down-conversion keeps keys, values and timestamps; headers are dropped") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "convert", 1);
    std::vector<test_record> records{{"a", "1", 11, {{"h", "x"}}}, {std::nullopt, std::nullopt, 12, {}}};
    record_batch_options gzip;
    gzip.codec = compression_codec::gzip;
    REQUIRE(produce(client, "convert", 0, make_batch(records, gzip)).error_code == 0);
    auto got = fetch_records(client, "convert", 0, 0, 2);
    REQUIRE(got.size() == 2);
    CHECK(got[0].key == std::optional<std::string>("a"));
    CHECK(got[0].headers.empty());
    CHECK(got[0].timestamp == 11);
    CHECK_FALSE(got[1].key.has_value());
    CHECK_FALSE(got[1].value.has_value());
}

TEST_CASE("legacy: byte limits cut converted message sets at message boundaries") {
    std::vector<std::uint8_t> set;
    std::vector<std::size_t> ends;
    auto batch = make_batch(numbered(3));
    broker::down_convert(bytes_view(batch.data(), batch.size()), 1, 1, set, ends);
    REQUIRE(ends.size() == 2); // the record below offset 1 is left out
    auto whole = set;
    broker::cut_message_set(whole, ends, ends[0] + 3, false);
    CHECK(whole.size() == ends[0]);
    auto first = set;
    broker::cut_message_set(first, ends, 5, true);
    CHECK(first.size() == ends[0]);
    auto partial = set;
    broker::cut_message_set(partial, ends, 5, false);
    CHECK(partial.size() == 5);
}
