// record_accumulator: records serialized into their partition's open batch at send time,
// batches sealed by batch.size and batch.num.messages, the codec applied, and records of
// topics without a partition count kept until set_partition_count places them. Sealed
// batches are decoded back with the protocol's reader and compared record by record.

#include "producer/record_accumulator.hpp"

#include "config/client_settings.hpp"
#include "kafkit/partitioner.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using kafkit::header;
using kafkit::partition_id;
using kafkit::producer_record;
using kafkit::detail::delivery_target;
using kafkit::detail::estimated_record_size;
using kafkit::detail::partition_queue;
using kafkit::detail::producer_settings;
using kafkit::detail::record_accumulator;
using kafkit::detail::topic_state;
namespace protocol = kafkit::protocol;

namespace {

/// Chooses partition key.size() % count (0 for a null key) and remembers what it was asked.
class recording_partitioner : public kafkit::partitioner {
public:
    partition_id partition(std::string_view, std::optional<kafkit::bytes_ref> key,
                           std::int32_t count) override {
        std::lock_guard lock(mutex);
        keys.emplace_back(key ? std::optional<std::string>(std::string(*key)) : std::nullopt);
        if (fixed) return partition_id(*fixed);
        return partition_id(key ? static_cast<std::int32_t>(key->size()) % count : 0);
    }
    void on_new_batch(std::string_view, partition_id previous, std::int32_t) override {
        std::lock_guard lock(mutex);
        new_batches.push_back(previous.value());
    }

    std::mutex mutex;
    std::vector<std::optional<std::string>> keys;
    std::vector<std::int32_t> new_batches;
    std::optional<std::int32_t> fixed; ///< returned as is when set (out of range on purpose)
};

/// A record as decoded from a sealed batch, owning its bytes.
struct decoded_record {
    std::int64_t offset = 0;
    std::int64_t timestamp = 0;
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
};

std::optional<std::string> text(const std::optional<protocol::bytes_view>& b) {
    if (!b) return std::nullopt;
    return std::string(b->as_string());
}

/// The one batch in `bytes`, its header and records.
std::pair<protocol::record_batch_header, std::vector<decoded_record>>
decode(const std::vector<std::uint8_t>& bytes) {
    auto batches = protocol::read_record_batches(protocol::bytes_view(bytes.data(), bytes.size()));
    REQUIRE(batches.has_value());
    REQUIRE(batches->size() == 1);
    const auto& batch = batches->front();
    std::vector<decoded_record> out;
    for (const auto& r : batch.records()) {
        decoded_record d{r.offset, r.timestamp, text(r.key), text(r.value), {}};
        for (const auto& h : r.headers)
            d.headers.emplace_back(std::string(h.key), text(h.value));
        out.push_back(std::move(d));
    }
    return {batch.header(), std::move(out)};
}

/// Settings with the given limits and no compression.
producer_settings settings_with(std::int32_t batch_size, std::int32_t batch_num_messages) {
    producer_settings s;
    s.client.bootstrap_servers = {{"localhost", 9092}};
    s.batch_size = batch_size;
    s.batch_num_messages = batch_num_messages;
    return s;
}

/// An accumulator with a recording partitioner, a counted wake-up, and helpers to append
/// records and to look at the queues.
struct accumulator_fixture {
    explicit accumulator_fixture(producer_settings s)
        : settings(std::move(s)), partitioner(std::make_shared<recording_partitioner>()),
          accumulator(settings, partitioner, [this] { ++wakes; }) {}

    topic_state& topic(std::string_view name, std::int32_t partitions) {
        bool created = false;
        auto& t = accumulator.topic(name, created);
        if (partitions > 0) CHECK(accumulator.set_partition_count(t, partitions).empty());
        return t;
    }

    /// Appends key/value with one header and timestamp `ts` to `partition`; the callback
    /// records the key in `completed`.
    void append(topic_state& t, std::int32_t partition, const std::string& key,
                const std::string& value, std::int64_t ts) {
        const std::string header_value = "h-" + key;
        const header headers[] = {{"trace", header_value}};
        producer_record r;
        r.topic = t.name;
        r.key = key;
        r.value = value;
        r.headers = headers;
        accumulator.append(t, partition, r, ts, estimated_record_size(r), delivery_target{});
    }

    static partition_queue& queue(topic_state& t, std::int32_t partition) {
        return *t.partitions.at(static_cast<std::size_t>(partition));
    }

    producer_settings settings;
    std::shared_ptr<recording_partitioner> partitioner;
    std::atomic<int> wakes{0};
    record_accumulator accumulator;
};

} // namespace

TEST_CASE("record_accumulator: batch.num.messages seals a batch at that many records, in order") {
    accumulator_fixture f(settings_with(1'000'000, 3));
    auto& t = f.topic("orders", 2);
    for (int i = 0; i < 7; ++i)
        f.append(t, 1, "k" + std::to_string(i), "value-" + std::to_string(i),
                 1'700'000'000'000 + i);

    auto& q = accumulator_fixture::queue(t, 1);
    REQUIRE(q.ready.size() == 2);
    REQUIRE(q.open != nullptr);
    CHECK(q.open->record_count() == 1);
    CHECK(q.queued_records == 7);
    CHECK(accumulator_fixture::queue(t, 0).queued_records == 0);

    int next = 0;
    for (const auto& batch : q.ready) {
        CHECK(batch->sealed());
        CHECK(batch->partition == 1);
        CHECK(batch->record_count() == 3);
        const auto [batch_header, records] = decode(batch->bytes);
        CHECK(batch_header.record_count == 3);
        CHECK(batch_header.base_offset == 0);
        CHECK(batch_header.codec() == protocol::compression_codec::none);
        CHECK(batch_header.producer_id == -1);
        REQUIRE(records.size() == 3);
        for (std::size_t i = 0; i < records.size(); ++i, ++next) {
            const auto key = "k" + std::to_string(next);
            CHECK(records[i].offset == static_cast<std::int64_t>(i));
            CHECK(records[i].key == key);
            CHECK(records[i].value == "value-" + std::to_string(next));
            CHECK(records[i].timestamp == 1'700'000'000'000 + next);
            REQUIRE(records[i].headers.size() == 1);
            CHECK(records[i].headers[0].first == "trace");
            CHECK(records[i].headers[0].second == "h-" + key);
            // The delivery entry keeps what the record's metadata reports.
            CHECK(batch->entries[i].timestamp_ms == 1'700'000'000'000 + next);
            CHECK(batch->entries[i].key_size == static_cast<std::int32_t>(key.size()));
            CHECK(batch->entries[i].value_size ==
                  static_cast<std::int32_t>(6 + std::to_string(next).size()));
        }
    }
    CHECK(next == 6);
    // A sticky partitioner hears of each batch sealed because it was full.
    CHECK(f.partitioner->new_batches == std::vector<std::int32_t>{1, 1});
    CHECK(f.wakes > 0);
}

TEST_CASE("record_accumulator: batch.size seals a batch before the record that would overflow it") {
    // Records of 50 encoded bytes after the 61-byte batch header, each estimated at 72: with
    // 3 in the batch (211 bytes) the 4th's estimate would pass 250, so it opens the next one.
    accumulator_fixture f(settings_with(250, 10'000));
    auto& t = f.topic("orders", 1);
    const std::string value(30, 'v');
    for (int i = 0; i < 10; ++i)
        f.append(t, 0, "k" + std::to_string(i), value, 1000);

    auto& q = accumulator_fixture::queue(t, 0);
    REQUIRE(q.ready.size() == 3);
    REQUIRE(q.open != nullptr);
    CHECK(q.open->record_count() == 1);
    int next = 0;
    for (const auto& batch : q.ready) {
        CHECK(batch->bytes.size() <= 250);
        const auto [batch_header, records] = decode(batch->bytes);
        CHECK(batch_header.record_count == 3);
        for (const auto& r : records)
            CHECK(r.key == "k" + std::to_string(next++));
    }
    CHECK(next == 9);
    // Each batch holds the reservations of its own records.
    std::int64_t reserved = q.open->reserved_bytes;
    for (const auto& batch : q.ready)
        reserved += batch->reserved_bytes;
    CHECK(reserved == q.queued_bytes);
    CHECK(q.queued_bytes == 10 * (21 + 2 + 30 + 10 + 5 + 4));
}

TEST_CASE("record_accumulator: a record larger than batch.size gets a batch of its own") {
    accumulator_fixture f(settings_with(250, 10'000));
    auto& t = f.topic("orders", 1);
    f.append(t, 0, "small", "s", 1);
    f.append(t, 0, "big", std::string(1000, 'b'), 2);
    f.append(t, 0, "after", "a", 3);

    auto& q = accumulator_fixture::queue(t, 0);
    REQUIRE(q.ready.size() == 2);
    const auto [first_header, first] = decode(q.ready[0]->bytes);
    const auto [second_header, second] = decode(q.ready[1]->bytes);
    REQUIRE(first.size() == 1);
    CHECK(first[0].key == "small");
    REQUIRE(second.size() == 1);
    CHECK(second[0].key == "big");
    CHECK(second[0].value == std::string(1000, 'b'));
    REQUIRE(q.open != nullptr);
    CHECK(q.open->record_count() == 1);
}

TEST_CASE("record_accumulator: seal_locked seals the open batch and only that") {
    accumulator_fixture f(settings_with(1'000'000, 10'000));
    auto& t = f.topic("orders", 1);
    auto& q = accumulator_fixture::queue(t, 0);
    {
        std::lock_guard lock(q.mutex);
        CHECK_FALSE(f.accumulator.seal_locked(t, 0, q)); // nothing open
    }
    f.append(t, 0, "a", "1", 5);
    f.append(t, 0, "b", "2", 6);
    {
        std::lock_guard lock(q.mutex);
        CHECK(f.accumulator.seal_locked(t, 0, q));
    }
    CHECK(q.open == nullptr);
    REQUIRE(q.ready.size() == 1);
    const auto [batch_header, records] = decode(q.ready[0]->bytes);
    REQUIRE(records.size() == 2);
    CHECK(records[0].key == "a");
    CHECK(records[1].value == "2");
    CHECK(batch_header.base_timestamp == 5);
    CHECK(batch_header.max_timestamp == 6);
}

TEST_CASE("record_accumulator: compression.type is applied to sealed batches") {
    for (const auto codec : {protocol::compression_codec::gzip, protocol::compression_codec::snappy,
                             protocol::compression_codec::lz4, protocol::compression_codec::zstd}) {
        const auto codec_name = protocol::to_string(codec);
        CAPTURE(codec_name);
        auto s = settings_with(1'000'000, 20);
        s.compression = codec;
        accumulator_fixture f(s);
        CHECK(f.accumulator.batch_options().codec == codec);
        auto& t = f.topic("logs", 1);
        const std::string value(200, 'x');
        for (int i = 0; i < 20; ++i)
            f.append(t, 0, "k" + std::to_string(i), value, 100 + i);

        auto& q = accumulator_fixture::queue(t, 0);
        REQUIRE(q.ready.size() == 1);
        const auto& bytes = q.ready[0]->bytes;
        CHECK(bytes.size() < 20 * 200); // repetitive values shrink
        const auto [batch_header, records] = decode(bytes);
        CHECK(batch_header.codec() == codec);
        REQUIRE(records.size() == 20);
        for (int i = 0; i < 20; ++i) {
            CHECK(records[static_cast<std::size_t>(i)].key == "k" + std::to_string(i));
            CHECK(records[static_cast<std::size_t>(i)].value == value);
            CHECK(records[static_cast<std::size_t>(i)].timestamp == 100 + i);
        }
    }
}

TEST_CASE("record_accumulator: null keys, null values and null header values survive the batch") {
    accumulator_fixture f(settings_with(1'000'000, 1));
    auto& t = f.topic("orders", 1);
    const header headers[] = {{"a", std::nullopt}, {"a", "second"}, {"", ""}};
    producer_record r;
    r.topic = "orders";
    r.headers = headers;
    f.accumulator.append(t, 0, r, 42, estimated_record_size(r), delivery_target{});

    auto& q = accumulator_fixture::queue(t, 0);
    REQUIRE(q.ready.size() == 1);
    CHECK(q.ready[0]->entries[0].key_size == -1);
    CHECK(q.ready[0]->entries[0].value_size == -1);
    const auto [batch_header, records] = decode(q.ready[0]->bytes);
    REQUIRE(records.size() == 1);
    CHECK_FALSE(records[0].key.has_value());
    CHECK_FALSE(records[0].value.has_value());
    using header_pair = std::pair<std::string, std::optional<std::string>>;
    CHECK(records[0].headers ==
          std::vector<header_pair>{{"a", std::nullopt}, {"a", "second"}, {"", ""}});
}

TEST_CASE("record_accumulator: more than 8 headers are kept in order") {
    accumulator_fixture f(settings_with(1'000'000, 1));
    auto& t = f.topic("orders", 1);
    std::vector<std::string> names;
    std::vector<std::string> values;
    for (int i = 0; i < 12; ++i) {
        names.push_back("h" + std::to_string(i));
        values.push_back(names.back() + "-v");
    }
    std::vector<header> headers;
    for (std::size_t i = 0; i < names.size(); ++i)
        headers.push_back({names[i], values[i]});
    producer_record r;
    r.topic = "orders";
    r.value = "v";
    r.headers = headers;
    f.accumulator.append(t, 0, r, 1, estimated_record_size(r), delivery_target{});

    const auto [batch_header, records] =
        decode(accumulator_fixture::queue(t, 0).ready.at(0)->bytes);
    REQUIRE(records.at(0).headers.size() == 12);
    for (std::size_t i = 0; i < 12; ++i) {
        CHECK(records[0].headers[i].first == names[i]);
        CHECK(records[0].headers[i].second == values[i]);
    }
}

TEST_CASE("record_accumulator: topic() creates a topic once and topics() lists it") {
    accumulator_fixture f(settings_with(1000, 10));
    bool created = false;
    auto& a = f.accumulator.topic("a", created);
    CHECK(created);
    auto& again = f.accumulator.topic("a", created);
    CHECK_FALSE(created);
    CHECK(&a == &again);
    f.accumulator.topic("b", created);
    CHECK(created);
    CHECK(a.partition_count == 0);
    std::vector<std::string> names;
    for (auto* t : f.accumulator.topics())
        names.push_back(t->name);
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"a", "b"});
}

TEST_CASE("record_accumulator: pending records are copied and placed by set_partition_count") {
    accumulator_fixture f(settings_with(1'000'000, 10'000));
    auto& t = f.topic("new-topic", 0);
    int callbacks = 0;
    auto add = [&](std::optional<std::int32_t> partition, std::string key, std::string value,
                   std::int64_t ts) {
        std::string header_value = "hv-" + key;
        const header headers[] = {{"h", header_value}};
        producer_record r;
        r.topic = "new-topic";
        if (partition) r.partition = partition_id(*partition);
        r.key = key;
        r.value = value;
        r.headers = headers;
        f.accumulator.add_pending(
            t, r, ts, estimated_record_size(r),
            kafkit::delivery_callback(
                [&callbacks](std::error_code, const kafkit::record_metadata&) { ++callbacks; }));
        // The caller's bytes are gone after the call: the pending record has its own copy.
        key.assign(key.size(), '#');
        value.assign(value.size(), '#');
        header_value.assign(header_value.size(), '#');
    };
    add(2, "explicit", "to-2", 10);
    add(std::nullopt, "abcd", "by-key", 11); // recording partitioner: 4 % 3 = 1
    add(5, "bad", "out-of-range", 12);
    add(std::nullopt, "xyz", "by-key-2", 13); // 3 % 3 = 0
    add(-1, "neg", "negative", 14);
    CHECK(t.has_pending);
    REQUIRE(t.pending.size() == 5);

    auto refused = f.accumulator.set_partition_count(t, 3);
    CHECK(t.partition_count == 3);
    CHECK(t.partitions.size() == 3);
    CHECK_FALSE(t.has_pending);
    CHECK(t.pending.empty());
    REQUIRE(refused.size() == 2);
    CHECK(refused[0].partition == std::optional<std::int32_t>(5));
    CHECK(refused[0].value == std::optional<std::string>("out-of-range"));
    CHECK(refused[0].reserved_bytes == 21 + 3 + 12 + 10 + 1 + 6);
    CHECK(std::holds_alternative<kafkit::delivery_callback>(refused[0].target));
    CHECK(refused[1].partition == std::optional<std::int32_t>(-1));
    CHECK(callbacks == 0); // failing the refused ones is the caller's business

    // Only the records without a partition went through the partitioner.
    CHECK(f.partitioner->keys == std::vector<std::optional<std::string>>{"abcd", "xyz"});

    auto contents = [&](std::int32_t partition) {
        auto& q = accumulator_fixture::queue(t, partition);
        std::lock_guard lock(q.mutex);
        REQUIRE(q.open != nullptr);
        REQUIRE(f.accumulator.seal_locked(t, partition, q));
        return decode(q.ready.back()->bytes).second;
    };
    const auto p0 = contents(0);
    const auto p1 = contents(1);
    const auto p2 = contents(2);
    REQUIRE(p0.size() == 1);
    CHECK(p0[0].key == "xyz");
    CHECK(p0[0].value == "by-key-2");
    CHECK(p0[0].timestamp == 13);
    REQUIRE(p1.size() == 1);
    CHECK(p1[0].key == "abcd");
    CHECK(p1[0].headers.at(0).second == "hv-abcd");
    REQUIRE(p2.size() == 1);
    CHECK(p2[0].key == "explicit");
    CHECK(p2[0].value == "to-2");
    CHECK(p2[0].headers.at(0).first == "h");
    CHECK(p2[0].headers.at(0).second == "hv-explicit");
    CHECK(p2[0].timestamp == 10);
}

TEST_CASE("record_accumulator: set_partition_count grows a topic and keeps its queues") {
    accumulator_fixture f(settings_with(1'000'000, 10'000));
    auto& t = f.topic("orders", 2);
    f.append(t, 1, "k", "v", 1);
    auto* queue_before = t.partitions[1].get();
    CHECK(f.accumulator.set_partition_count(t, 4).empty());
    CHECK(t.partition_count == 4);
    CHECK(t.partitions.size() == 4);
    CHECK(t.partitions[1].get() == queue_before);
    CHECK(queue_before->queued_records == 1);
}

TEST_CASE(
    "record_accumulator: choose_partition passes the key, or none with partitioner.ignore.keys") {
    for (const bool ignore : {false, true}) {
        CAPTURE(ignore);
        auto s = settings_with(1000, 10);
        s.partitioner_ignore_keys = ignore;
        accumulator_fixture f(s);
        auto& t = f.topic("orders", 5);
        producer_record keyed;
        keyed.topic = "orders";
        keyed.key = "abc";
        producer_record keyless;
        keyless.topic = "orders";
        const auto p = f.accumulator.choose_partition(t, keyed);
        f.accumulator.choose_partition(t, keyless);
        CHECK(p == (ignore ? 0 : 3));
        REQUIRE(f.partitioner->keys.size() == 2);
        CHECK(f.partitioner->keys[0] ==
              (ignore ? std::nullopt : std::optional<std::string>("abc")));
        CHECK_FALSE(f.partitioner->keys[1].has_value());
    }
}

TEST_CASE(
    "record_accumulator: choose_partition folds a partitioner's out-of-range answer into range") {
    accumulator_fixture f(settings_with(1000, 10));
    auto& t = f.topic("orders", 3);
    producer_record r;
    r.topic = "orders";
    for (const std::int32_t answer : {7, 3, -1, -5, INT32_MIN}) {
        CAPTURE(answer);
        f.partitioner->fixed = answer;
        const auto p = f.accumulator.choose_partition(t, r);
        CHECK(p >= 0);
        CHECK(p < 3);
        CHECK(p == static_cast<std::int32_t>(static_cast<std::uint32_t>(answer) % 3u));
    }
}

TEST_CASE("record_accumulator: estimated_record_size is the payload plus Kafka's record overhead") {
    producer_record empty;
    CHECK(estimated_record_size(empty) == 21);
    producer_record r;
    r.key = "abc";
    r.value = "hello";
    const header headers[] = {{"h1", "v"}, {"h2", std::nullopt}};
    r.headers = headers;
    // 21 overhead + 3 + 5, each header 10 + its key and value.
    CHECK(estimated_record_size(r) == 21 + 3 + 5 + (10 + 2 + 1) + (10 + 2));
    producer_record empty_payload;
    empty_payload.key = "";
    empty_payload.value = "";
    CHECK(estimated_record_size(empty_payload) == 21);
}

TEST_CASE("record_accumulator: the estimate is never below a record's encoded size") {
    // buffer.memory counts estimates: a batch's bytes must not outgrow what it reserved.
    accumulator_fixture f(settings_with(1'000'000, 10'000));
    auto& t = f.topic("orders", 1);
    for (int i = 0; i < 50; ++i)
        f.append(t, 0, std::string(static_cast<std::size_t>(i), 'k'), std::string(300, 'v'), 1);
    auto& q = accumulator_fixture::queue(t, 0);
    std::lock_guard lock(q.mutex);
    const auto reserved = q.open->reserved_bytes;
    REQUIRE(f.accumulator.seal_locked(t, 0, q));
    CHECK(static_cast<std::int64_t>(q.ready.back()->bytes.size()) - 61 <= reserved);
}

TEST_CASE("record_accumulator: add_pending keeps nothing once the partition count is known") {
    // send() saw no count, metadata arrived before add_pending took the lock: the record
    // must go straight to a batch after the placed ones, not wait behind a placed list.
    accumulator_fixture f(settings_with(1'000'000, 10'000));
    auto& t = f.topic("known", 0);
    producer_record r;
    r.topic = t.name;
    r.value = "v";
    CHECK_FALSE(f.accumulator.add_pending(t, r, 1, estimated_record_size(r), delivery_target{}).has_value());
    CHECK(f.accumulator.set_partition_count(t, 2).empty());
    CHECK(t.partition_count == 2);
    CHECK_FALSE(t.has_pending);
    const auto total = accumulator_fixture::queue(t, 0).queued_records + accumulator_fixture::queue(t, 1).queued_records;
    CHECK(total == 1); // the first pending record was placed

    auto returned = f.accumulator.add_pending(t, r, 2, estimated_record_size(r), delivery_target{});
    CHECK(returned.has_value());
    CHECK_FALSE(t.has_pending);
    CHECK(t.pending.empty());
}

TEST_CASE("record_accumulator: a batch waits while one sealed before it is still being compressed") {
    accumulator_fixture f(settings_with(1'000'000, 10'000));
    auto& t = f.topic("orders", 1);
    partition_queue q;
    CHECK_FALSE(record_accumulator::head_sendable(q)); // nothing ready
    auto batch = std::make_unique<kafkit::detail::producer_batch>(t, 0, f.accumulator.batch_options());
    batch->seal_ticket = 5;
    q.ready.push_back(std::move(batch));
    CHECK(record_accumulator::head_sendable(q));
    q.sealing = {3}; // sealed first, compressing
    CHECK_FALSE(record_accumulator::head_sendable(q));
    q.sealing = {7}; // sealed after it
    CHECK(record_accumulator::head_sendable(q));
}

TEST_CASE("record_accumulator: batches filled by several threads are compressed and queued in seal order, "
          "each thread's records in the order it sent them") {
    auto s = settings_with(1'000'000, 7);
    s.compression = protocol::compression_codec::zstd;
    accumulator_fixture f(s);
    auto& t = f.topic("events", 1);
    constexpr int threads = 4;
    constexpr int per_thread = 500;
    std::vector<std::thread> senders;
    for (int th = 0; th < threads; ++th) {
        senders.emplace_back([&, th] {
            for (int i = 0; i < per_thread; ++i)
                f.append(t, 0, "t" + std::to_string(th), std::to_string(i), i);
        });
    }
    for (auto& th : senders) th.join();
    auto& q = accumulator_fixture::queue(t, 0);
    std::lock_guard lock(q.mutex);
    CHECK(q.sealing.empty());
    std::vector<int> next(threads, 0);
    std::size_t records_seen = 0;
    for (std::size_t b = 0; b < q.ready.size(); ++b) {
        if (b > 0) CHECK(q.ready[b - 1]->seal_ticket < q.ready[b]->seal_ticket);
        const auto [batch_header, records] = decode(q.ready[b]->bytes);
        CHECK(batch_header.codec() == protocol::compression_codec::zstd);
        CHECK(records.size() == 7);
        for (const auto& r : records) {
            const int th = std::stoi(r.key->substr(1));
            CHECK(std::stoi(*r.value) == next[static_cast<std::size_t>(th)]);
            ++next[static_cast<std::size_t>(th)];
        }
        records_seen += records.size();
    }
    // 2000 records make 285 full batches; the last 5 are still open.
    CHECK(records_seen == 285 * 7);
    REQUIRE(q.open != nullptr);
    CHECK(q.open->record_count() == 5);
}
