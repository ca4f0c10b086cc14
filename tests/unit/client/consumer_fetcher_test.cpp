// The consumer's fetcher against fake_broker on 127.0.0.1: a batch cut at the partition's
// byte limit (as librdkafka's mock cuts it) makes the next fetch ask for twice as much, and
// a ListOffsets answer that does not match its request at v4+ (the mock's) makes that
// broker get v3 from then on. Everything runs on the test's io_context.

#include "net_test_support.hpp"

#include "config/consumer_settings.hpp"
#include "consumer/chunk_queue.hpp"
#include "consumer/fetcher.hpp"
#include "net/cluster_client.hpp"

#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/messages/fetch.hpp"
#include "kafkit/protocol/messages/list_offsets.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <vector>

using kafkit::partition_id;
using kafkit::topic_partition;
using kafkit::detail::chunk_queue;
using kafkit::detail::cluster_client;
using kafkit::detail::consumer_settings;
using kafkit::detail::fetched_chunk;
using kafkit::detail::fetcher;
using kafkit::detail::prefetch_budget;
using kafkit::testing::fake_reply;
using kafkit::testing::fake_request;
using kafkit::testing::net_fixture;
using kafkit::testing::run_until;
namespace protocol = kafkit::protocol;
using namespace std::chrono_literals;

namespace {

constexpr std::int16_t fetch_key = 1;
constexpr std::int16_t list_offsets_key = 2;

/// A fetcher for topic "t" (one partition, led by the fake) with its cluster and queue.
struct fetcher_fixture : net_fixture {
    fetcher_fixture() : fake(add_fake()) {
        fake.advertise(fetch_key, {4, 12});
        fake.advertise(list_offsets_key, {1, 5});
        auto& t = fake.metadata().topics.emplace_back();
        t.name = "t";
        auto& p = t.partitions.emplace_back();
        p.partition_index = 0;
        p.leader_id = 1;
        p.leader_epoch = 0;
        settings.client = net_fixture::settings;
        settings.client.bootstrap_servers = {fake.address()};
        cluster = std::make_unique<cluster_client>(io, settings.client, make_logger());
        fetch = std::make_unique<fetcher>(io, settings, *cluster, queue, budget, nullptr, make_logger());
        cluster->on_metadata([this] { fetch->run(); });
        cluster->start();
    }
    ~fetcher_fixture() {
        // As the consumer closes: no more wake-ups, then stop, then let what the shutdown
        // queued run while the fetcher and the client still exist.
        budget->detach();
        fetch->stop();
        cluster->shut_down();
        for (auto& f : fakes) f->stop();
        io.restart();
        io.run_for(std::chrono::seconds(2));
    }

    /// Runs until a chunk arrives; REQUIREs one did.
    fetched_chunk next_chunk() {
        std::deque<fetched_chunk> got;
        REQUIRE(run_until(io, [&] {
            queue.take(got, std::chrono::steady_clock::now());
            return !got.empty();
        }));
        return std::move(got.front());
    }

    /// Wires the budget's wake-up as the consumer does, answers every Fetch with the same
    /// two records renumbered from the offset asked, and starts fetching t-0 at 0.
    void fetch_two_record_answers();

    kafkit::testing::fake_broker& fake;
    std::int64_t answered_up_to = 0; ///< the offset after the last records answered
    consumer_settings settings;
    chunk_queue queue;
    std::shared_ptr<prefetch_budget> budget = std::make_shared<prefetch_budget>(1 << 20);
    std::unique_ptr<cluster_client> cluster;
    std::unique_ptr<fetcher> fetch;
};

/// One batch of `records` records of 300 bytes each, at offset 0.
std::vector<std::uint8_t> batch_of(int records) {
    protocol::record_batch_builder b;
    const std::string value(300, 'v');
    for (int i = 0; i < records; ++i) b.append(1, std::nullopt, protocol::bytes_view::of(value), {});
    auto bytes = b.release();
    REQUIRE(bytes.has_value());
    return std::move(*bytes);
}

/// A Fetch answer for partition t-0 with `records` as its records.
std::vector<std::uint8_t> fetch_answer(const fake_request& r, protocol::bytes_view records, std::int64_t high) {
    protocol::fetch_response response;
    auto& t = response.responses.emplace_back();
    t.topic = "t";
    auto& p = t.partitions.emplace_back();
    p.partition_index = 0;
    p.high_watermark = high;
    p.records = records;
    std::vector<std::uint8_t> out;
    REQUIRE(protocol::encode_response_frame(response, r.api_version, r.correlation_id, out).has_value());
    return out;
}

/// A Fetch answer with `batch` renumbered from the offset asked (the base offset, the
/// batch's first 8 bytes, is outside its CRC); `next` becomes the offset after it.
fake_reply renumbered_answer(const fake_request& r, std::vector<std::uint8_t> batch, std::int64_t& next) {
    auto request = protocol::decode<protocol::fetch_request>(r.body_view(), r.api_version);
    REQUIRE(request.has_value());
    const auto from = request->topics.at(0).partitions.at(0).fetch_offset;
    for (int i = 0; i < 8; ++i) batch[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(from >> (56 - 8 * i));
    next = from + 2;
    return fake_reply::raw(fetch_answer(r, protocol::bytes_view(batch.data(), batch.size()), 1000));
}

void fetcher_fixture::fetch_two_record_answers() {
    budget->on_released([this] { asio::post(io, [this] { fetch->run(); }); });
    fake.set_policy([this, batch = batch_of(2)](const fake_request& r) {
        if (r.api_key != fetch_key) return fake_reply::answer();
        return renumbered_answer(r, batch, answered_up_to);
    });
    fetch->set_position({"t", partition_id(0)}, 1, 0);
}

std::int32_t asked_max_bytes(const fake_request& r) {
    auto request = protocol::decode<protocol::fetch_request>(r.body_view(), r.api_version);
    REQUIRE(request.has_value());
    return request->topics.at(0).partitions.at(0).partition_max_bytes;
}

} // namespace

TEST_CASE_FIXTURE(fetcher_fixture,
                  "fetcher: a batch cut at max.partition.fetch.bytes makes the next fetch ask for twice as much") {
    settings.max_partition_fetch_bytes = 1024;
    const auto batch = batch_of(10); // about 3 KB
    std::vector<std::int32_t> asked;
    fake.set_policy([&](const fake_request& r) {
        if (r.api_key != fetch_key) return fake_reply::answer();
        const auto max = asked_max_bytes(r);
        asked.push_back(max);
        // librdkafka's mock: the batch cut at the limit.
        const auto size = std::min<std::size_t>(batch.size(), static_cast<std::size_t>(max));
        return fake_reply::raw(fetch_answer(r, protocol::bytes_view(batch.data(), size), 10));
    });
    fetch->set_position({"t", partition_id(0)}, 1, 0);
    const auto chunk = next_chunk();
    CHECK_FALSE(chunk.error);
    CHECK(chunk.records.size() == batch.size());
    CHECK(chunk.fetch_offset == 0);
    REQUIRE(asked.size() >= 3);
    CHECK(asked[0] == 1024);
    CHECK(asked[1] == 2048);
    CHECK(asked[2] == 4096);
    CHECK(fake.failures() == 0);
}

TEST_CASE_FIXTURE(fetcher_fixture,
                  "fetcher: a ListOffsets answer that does not match its request at v4+ makes the broker get v3") {
    std::vector<std::int16_t> versions;
    fake.set_policy([&](const fake_request& r) {
        if (r.api_key == fetch_key) return fake_reply::hold(); // no fetch answers needed
        if (r.api_key != list_offsets_key) return fake_reply::answer();
        versions.push_back(r.api_version);
        protocol::list_offsets_response response;
        auto& t = response.topics.emplace_back();
        t.name = "t";
        auto& p = t.partitions.emplace_back();
        // The mock's v4/v5 answers read back as partitions nobody asked for.
        p.partition_index = r.api_version >= 4 ? -1 : 0;
        p.offset = 42;
        std::vector<std::uint8_t> out;
        REQUIRE(protocol::encode_response_frame(response, r.api_version, r.correlation_id, out).has_value());
        return fake_reply::raw(std::move(out));
    });
    std::int64_t positioned_at = -1;
    fetch->set_position({"t", partition_id(0)}, 1, std::nullopt, kafkit::detail::reset_target::latest);
    fetch->when_positioned({"t", partition_id(0)}, [&](std::error_code ec, std::int64_t offset) {
        CHECK_FALSE(ec);
        positioned_at = offset;
    });
    REQUIRE(run_until(io, [&] { return positioned_at >= 0; }));
    CHECK(positioned_at == 42);
    CHECK(versions == std::vector<std::int16_t>{5, 3});
    CHECK(logged("using v3 with this broker"));
    // From now on v3 straight away.
    positioned_at = -1;
    fetch->set_position({"t", partition_id(0)}, 2, std::nullopt, kafkit::detail::reset_target::earliest);
    fetch->when_positioned({"t", partition_id(0)}, [&](std::error_code, std::int64_t offset) { positioned_at = offset; });
    REQUIRE(run_until(io, [&] { return positioned_at >= 0; }));
    // (The fake answers out of order behind the held Fetch, so a retry may add one.)
    REQUIRE(versions.size() >= 3);
    CHECK(std::all_of(versions.begin() + 1, versions.end(), [](std::int16_t v) { return v == 3; }));
}

TEST_CASE_FIXTURE(fetcher_fixture,
                  "fetcher: no Fetch is sent while fetched data reaches the prefetch bound, and fetching resumes "
                  "once it is released") {
    // A bound smaller than one answer: each answer spends it until its chunk is let go.
    budget = std::make_shared<prefetch_budget>(100);
    fetch = std::make_unique<fetcher>(io, settings, *cluster, queue, budget, nullptr, make_logger());
    fetch_two_record_answers();
    auto first = next_chunk();
    CHECK(budget->spent());
    // Held: however long the loop runs, no second Fetch goes out.
    run_until(io, [] { return false; }, 300ms);
    CHECK(fake.count(fetch_key) == 1);
    // Released: the next Fetch asks from where the first answer ended.
    first = fetched_chunk{};
    const auto second = next_chunk();
    CHECK(second.fetch_offset == 2);
    CHECK(fake.count(fetch_key) >= 2);
    CHECK(answered_up_to >= 4);
}

TEST_CASE_FIXTURE(fetcher_fixture,
                  "fetcher: a partition with two fetched chunks not yet drained is not fetched again until one is") {
    fetch_two_record_answers();
    auto first = next_chunk();
    auto second = next_chunk();
    CHECK(second.fetch_offset == 2);
    CHECK_FALSE(budget->spent()); // the budget has room: the backlog alone holds fetching back
    run_until(io, [] { return false; }, 300ms);
    CHECK(fake.count(fetch_key) == 2);
    first = fetched_chunk{}; // drained: the partition is fetched again, from where it stood
    CHECK(next_chunk().fetch_offset == 4);
    CHECK(fake.count(fetch_key) == 3);
}

TEST_CASE_FIXTURE(fetcher_fixture,
                  "fetcher: fetches in a session (KIP-227) list what changed, and start over after the broker drops it") {
    const auto batch = batch_of(2);
    std::vector<protocol::fetch_request> seen;
    fake.set_policy([&](const fake_request& r) {
        if (r.api_key != fetch_key) return fake_reply::answer();
        auto request = protocol::decode<protocol::fetch_request>(r.body_view(), r.api_version);
        REQUIRE(request.has_value());
        seen.push_back(*request);
        protocol::fetch_response response;
        response.session_id = 42;
        if (seen.size() == 1) { // the full fetch: a session, and two records
            auto& t = response.responses.emplace_back();
            t.topic = "t";
            auto& p = t.partitions.emplace_back();
            p.high_watermark = 2;
            p.records = protocol::bytes_view(batch.data(), batch.size());
        } else if (seen.size() == 2) {
            response.error_code = static_cast<std::int16_t>(kafkit::kafka_errc::fetch_session_id_not_found);
            response.session_id = 0;
        } else {
            return fake_reply::hold();
        }
        std::vector<std::uint8_t> out;
        REQUIRE(protocol::encode_response_frame(response, r.api_version, r.correlation_id, out).has_value());
        return fake_reply::raw(std::move(out));
    });
    fetch->set_position({"t", partition_id(0)}, 1, 0);
    CHECK(next_chunk().records.size() == batch.size());
    REQUIRE(run_until(io, [&] { return seen.size() >= 3; }));
    REQUIRE(seen[0].session_id == 0); // a full fetch asking for a session
    CHECK(seen[0].session_epoch == 0);
    CHECK(seen[0].topics.at(0).partitions.at(0).fetch_offset == 0);
    CHECK(seen[1].session_id == 42); // in the session: t-0 moved on, so it is listed
    CHECK(seen[1].session_epoch == 1);
    CHECK(seen[1].topics.at(0).partitions.at(0).fetch_offset == 2);
    CHECK(seen[2].session_id == 0); // dropped by the broker: full again, at once
    CHECK(seen[2].session_epoch == 0);
    CHECK(seen[2].topics.at(0).partitions.at(0).fetch_offset == 2);
}

namespace {

constexpr std::int16_t epoch_key = 23; // OffsetForLeaderEpoch

/// `records` records of 10 bytes from `base`, written under leader epoch `epoch`.
std::vector<std::uint8_t> batch_at(std::int64_t base, int records, std::int32_t epoch) {
    protocol::record_batch_builder b({.base_offset = base, .partition_leader_epoch = epoch});
    const std::string value(10, 'v');
    for (int i = 0; i < records; ++i) b.append(1, std::nullopt, protocol::bytes_view::of(value), {});
    auto bytes = b.release();
    REQUIRE(bytes.has_value());
    return std::move(*bytes);
}

/// An OffsetForLeaderEpoch answer for t-0: `epoch` ends at `end_offset` in the leader's log.
std::vector<std::uint8_t> epoch_answer(const fake_request& r, std::int32_t epoch, std::int64_t end_offset) {
    protocol::offset_for_leader_epoch_response response;
    auto& t = response.topics.emplace_back();
    t.topic = "t";
    auto& p = t.partitions.emplace_back();
    p.partition = 0;
    p.leader_epoch = epoch;
    p.end_offset = end_offset;
    std::vector<std::uint8_t> out;
    REQUIRE(protocol::encode_response_frame(response, r.api_version, r.correlation_id, out).has_value());
    return out;
}

/// The fetch's partition t-0 as the fetcher asked it.
protocol::fetch_request::fetch_partition asked_partition(const fake_request& r) {
    auto request = protocol::decode<protocol::fetch_request>(r.body_view(), r.api_version);
    REQUIRE(request.has_value());
    return request->topics.at(0).partitions.at(0);
}

/// A fixture whose fake knows OffsetForLeaderEpoch and leads t-0 at epoch 5; it records
/// what the fetcher asks, and answers validations with `validation` and fetches from
/// `log` (the records from the offset asked, up to the end).
struct validation_fixture : fetcher_fixture {
    validation_fixture() {
        fake.advertise(epoch_key, {0, 4});
        fake.metadata().topics.at(0).partitions.at(0).leader_epoch = 5;
        fake.set_policy([this](const fake_request& r) {
            if (r.api_key == epoch_key) {
                auto request = protocol::decode<protocol::offset_for_leader_epoch_request>(r.body_view(), r.api_version);
                REQUIRE(request.has_value());
                validations.push_back(request->topics.at(0).partitions.at(0));
                return fake_reply::raw(epoch_answer(r, validation.first, validation.second));
            }
            if (r.api_key != fetch_key) return fake_reply::answer();
            const auto asked = asked_partition(r);
            fetches.push_back(asked);
            std::vector<std::uint8_t> records;
            if (asked.fetch_offset < log_end) records = batch_at(asked.fetch_offset, static_cast<int>(log_end - asked.fetch_offset), 5);
            return fake_reply::raw(fetch_answer(r, protocol::bytes_view(records.data(), records.size()), log_end));
        });
    }

    /// Runs until a chunk with records (or an error) arrives.
    fetched_chunk next_data_chunk() {
        for (;;) {
            auto chunk = next_chunk();
            if (chunk.error || !chunk.records.empty()) return chunk;
        }
    }

    std::pair<std::int32_t, std::int64_t> validation{5, 100}; ///< epoch, end offset
    std::int64_t log_end = 20;
    std::vector<protocol::offset_for_leader_epoch_request::offset_for_leader_partition> validations;
    std::vector<protocol::fetch_request::fetch_partition> fetches;
};

} // namespace

TEST_CASE_FIXTURE(validation_fixture,
                  "fetcher: a position with an older leader epoch is validated first, and a truncated log moves it "
                  "back to where the logs diverge") {
    validation = {3, 7}; // epoch 3 ends at 7 in the leader's log: our offset 10 is past it
    fetch->set_validated_position({"t", partition_id(0)}, 1, 10, 3);
    const auto chunk = next_data_chunk();
    CHECK_FALSE(chunk.error);
    CHECK(chunk.moved);
    CHECK(chunk.fetch_offset == 7);
    REQUIRE(validations.size() == 1);
    CHECK(validations[0].current_leader_epoch == 5);
    CHECK(validations[0].leader_epoch == 3);
    REQUIRE_FALSE(fetches.empty());
    CHECK(fetches[0].fetch_offset == 7); // nothing was fetched before the validation
    CHECK(fetches[0].last_fetched_epoch == 3);
    CHECK(fetches[0].current_leader_epoch == 5);
}

TEST_CASE_FIXTURE(validation_fixture, "fetcher: a valid position is fetched from where it was, and fetches carry "
                                      "the epoch of the last batch (Fetch v12)") {
    validation = {3, 12};
    fetch->set_validated_position({"t", partition_id(0)}, 1, 10, 3);
    const auto chunk = next_data_chunk();
    CHECK_FALSE(chunk.moved);
    CHECK(chunk.fetch_offset == 10);
    REQUIRE(run_until(io, [&] { return fetches.size() >= 2; }));
    CHECK(fetches[0].fetch_offset == 10);
    CHECK(fetches[0].last_fetched_epoch == 3);
    CHECK(fetches[1].fetch_offset == 20);
    CHECK(fetches[1].last_fetched_epoch == 5); // the batch's partition leader epoch
    CHECK(validations.size() == 1);
}

TEST_CASE_FIXTURE(validation_fixture,
                  "fetcher: with auto.offset.reset=none a truncation below the position is reported, not skipped") {
    settings.auto_offset_reset = kafkit::detail::offset_reset_mode::none;
    validation = {3, 7};
    fetch->set_validated_position({"t", partition_id(0)}, 1, 10, 3);
    const auto chunk = next_data_chunk();
    CHECK(chunk.error == kafkit::errc::log_truncation);
    io.run_for(100ms);
    CHECK(fetches.empty());
}

TEST_CASE_FIXTURE(validation_fixture, "fetcher: a leader epoch that moves while fetching makes the position be "
                                      "validated before the next fetch") {
    fetch->set_position({"t", partition_id(0)}, 1, 0);
    auto chunk = next_data_chunk();
    CHECK(chunk.fetch_offset == 0);
    CHECK(validations.empty()); // a position without an epoch (a seek) is not validated
    // The leader's log now diverges after offset 15 (epoch 5 ended there), and the metadata
    // shows epoch 6.
    validation = {5, 15};
    log_end = 30;
    fake.metadata().topics.at(0).partitions.at(0).leader_epoch = 6;
    cluster->request_metadata_update();
    REQUIRE(run_until(io, [&] { return !validations.empty(); }));
    CHECK(validations[0].current_leader_epoch == 6);
    CHECK(validations[0].leader_epoch == 5);
    // Fetches sent before the new metadata came may bring 20..29 first.
    do chunk = next_data_chunk();
    while (!chunk.moved && chunk.fetch_offset == 20);
    CHECK(chunk.moved);
    CHECK(chunk.fetch_offset == 15);
    CHECK(validations.size() == 1);
}

TEST_CASE_FIXTURE(validation_fixture, "fetcher: a Fetch answer with a diverging epoch moves the position back") {
    bool diverged = false;
    fake.set_policy([&](const fake_request& r) {
        if (r.api_key == epoch_key) return fake_reply::raw(epoch_answer(r, 3, 100)); // offset 10 is valid
        if (r.api_key != fetch_key) return fake_reply::answer();
        const auto asked = asked_partition(r);
        fetches.push_back(asked);
        protocol::fetch_response response;
        auto& p = response.responses.emplace_back().partitions.emplace_back();
        response.responses[0].topic = "t";
        p.partition_index = 0;
        p.high_watermark = 30;
        std::vector<std::uint8_t> records;
        if (!diverged && asked.fetch_offset == 10) {
            diverged = true;
            p.diverging_epoch.epoch = 3;
            p.diverging_epoch.end_offset = 8;
        } else {
            records = batch_at(asked.fetch_offset, 2, 5);
            p.records = protocol::bytes_view(records.data(), records.size());
        }
        std::vector<std::uint8_t> out;
        REQUIRE(protocol::encode_response_frame(response, r.api_version, r.correlation_id, out).has_value());
        return fake_reply::raw(std::move(out));
    });
    fetch->set_validated_position({"t", partition_id(0)}, 1, 10, 3);
    const auto chunk = next_data_chunk();
    CHECK(diverged);
    CHECK(chunk.moved);
    CHECK(chunk.fetch_offset == 8);
    REQUIRE(fetches.size() >= 2);
    CHECK(fetches[1].fetch_offset == 8);
    CHECK(fetches[1].last_fetched_epoch == 3);
}

TEST_CASE_FIXTURE(validation_fixture, "fetcher: a broker without OffsetForLeaderEpoch v2 is fetched from unvalidated") {
    fake.unadvertise(epoch_key);
    fetch->set_validated_position({"t", partition_id(0)}, 1, 10, 3);
    const auto chunk = next_data_chunk();
    CHECK_FALSE(chunk.moved);
    CHECK(chunk.fetch_offset == 10);
    CHECK(validations.empty());
}

TEST_CASE_FIXTURE(fetcher_fixture, "fetcher: a leader's preferred read replica (KIP-392) is fetched from until it "
                                   "fails, then the leader again") {
    auto& follower = add_fake();
    follower.advertise(fetch_key, {4, 12});
    auto& brokers = fake.metadata().brokers;
    auto& second = brokers.emplace_back();
    second.node_id = 2;
    second.host = "127.0.0.1";
    second.port = follower.port();
    follower.metadata() = fake.metadata();
    settings.client.client_rack = "rack-b";
    std::vector<std::string> racks_at_leader;
    int leader_fetches = 0;
    fake.set_policy([&](const fake_request& r) {
        if (r.api_key != fetch_key) return fake_reply::answer();
        ++leader_fetches;
        auto request = protocol::decode<protocol::fetch_request>(r.body_view(), r.api_version);
        REQUIRE(request.has_value());
        racks_at_leader.push_back(request->rack_id);
        // No records: the leader names the replica in the client's rack.
        protocol::fetch_response response;
        response.responses.emplace_back().topic = "t";
        auto& p = response.responses[0].partitions.emplace_back();
        p.partition_index = 0;
        p.high_watermark = 10;
        p.preferred_read_replica = 2;
        std::vector<std::uint8_t> out;
        REQUIRE(protocol::encode_response_frame(response, r.api_version, r.correlation_id, out).has_value());
        return fake_reply::raw(std::move(out));
    });
    int follower_fetches = 0;
    bool follower_fails = false;
    follower.set_policy([&](const fake_request& r) {
        if (r.api_key != fetch_key) return fake_reply::answer();
        ++follower_fetches;
        if (follower_fails) { // e.g. an offset it has not caught up to yet
            protocol::fetch_response response;
            response.responses.emplace_back().topic = "t";
            auto& p = response.responses[0].partitions.emplace_back();
            p.partition_index = 0;
            p.error_code = 1; // OFFSET_OUT_OF_RANGE
            std::vector<std::uint8_t> out;
            REQUIRE(protocol::encode_response_frame(response, r.api_version, r.correlation_id, out).has_value());
            return fake_reply::raw(std::move(out));
        }
        const auto records = batch_at(asked_partition(r).fetch_offset, 5, 0);
        return fake_reply::raw(fetch_answer(r, protocol::bytes_view(records.data(), records.size()), 10));
    });
    fetch->set_position({"t", partition_id(0)}, 1, 0);
    auto chunk = next_chunk();
    while (chunk.records.empty()) chunk = next_chunk();
    CHECK_FALSE(chunk.error);
    CHECK(chunk.fetch_offset == 0);
    CHECK(follower_fetches >= 1);
    REQUIRE_FALSE(racks_at_leader.empty());
    CHECK(racks_at_leader[0] == "rack-b");
    CHECK(logged("from replica 2"));

    // The follower fails: the leader is asked again (and names the follower once more).
    const int leader_before = leader_fetches;
    follower_fails = true;
    REQUIRE(run_until(io, [&] { return leader_fetches > leader_before; }));
    CHECK(logged("back to the leader"));
}

TEST_CASE_FIXTURE(fetcher_fixture, "fetcher: with every topic's id known, Fetch v13+ names topics by id (KIP-516)") {
    fake.advertise(fetch_key, {4, 13});
    protocol::uuid id;
    for (std::size_t i = 0; i < id.bytes.size(); ++i) id.bytes[i] = static_cast<std::uint8_t>(i + 1);
    fake.metadata().topics.at(0).topic_id = id;
    std::vector<std::int16_t> versions;
    std::vector<protocol::uuid> asked_ids;
    fake.set_policy([&](const fake_request& r) {
        if (r.api_key != fetch_key) return fake_reply::answer();
        versions.push_back(r.api_version);
        auto request = protocol::decode<protocol::fetch_request>(r.body_view(), r.api_version);
        REQUIRE(request.has_value());
        if (!request->topics.empty()) asked_ids.push_back(request->topics[0].topic_id);
        const auto records = batch_at(0, 3, 0);
        protocol::fetch_response response;
        auto& t = response.responses.emplace_back();
        t.topic_id = id; // no name at v13
        auto& p = t.partitions.emplace_back();
        p.partition_index = 0;
        p.high_watermark = 3;
        p.records = protocol::bytes_view(records.data(), records.size());
        std::vector<std::uint8_t> out;
        REQUIRE(protocol::encode_response_frame(response, r.api_version, r.correlation_id, out).has_value());
        return fake_reply::raw(std::move(out));
    });
    fetch->set_position({"t", partition_id(0)}, 1, 0);
    auto chunk = next_chunk();
    while (chunk.records.empty()) chunk = next_chunk();
    CHECK(chunk.partition == topic_partition{"t", partition_id(0)});
    CHECK(chunk.fetch_offset == 0);
    REQUIRE_FALSE(versions.empty());
    CHECK(versions[0] == 13);
    REQUIRE_FALSE(asked_ids.empty());
    CHECK(asked_ids[0] == id);
}

TEST_CASE_FIXTURE(fetcher_fixture, "fetcher: without a topic id Fetch stays at v12, named topics") {
    fake.advertise(fetch_key, {4, 13});
    std::vector<std::int16_t> versions;
    fake.set_policy([&](const fake_request& r) {
        if (r.api_key != fetch_key) return fake_reply::answer();
        versions.push_back(r.api_version);
        const auto records = batch_at(0, 3, 0);
        return fake_reply::raw(fetch_answer(r, protocol::bytes_view(records.data(), records.size()), 3));
    });
    fetch->set_position({"t", partition_id(0)}, 1, 0);
    auto chunk = next_chunk();
    while (chunk.records.empty()) chunk = next_chunk();
    REQUIRE_FALSE(versions.empty());
    CHECK(versions[0] == 12);
}
