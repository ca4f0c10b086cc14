// Hostile input against the real kafkit-broker binary: random bytes, truncated frames, a
// 2 GB size prefix, negative sizes, unknown api keys, unsupported versions, unparseable
// bodies. Each closes (at most) its own connection, while a concurrent client keeps
// producing to the broker and reading back; afterwards every record it produced is there.

#include "integration_support.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/fetch.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "kafkit/testcontainers/reference_cluster.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <random>
#include <thread>

using namespace kafkit;
using namespace kafkit::protocol;
using kafkit::integration::metadata_for;
using kafkit::integration::served_version;
using kafkit::testcontainers::reference_cluster;
using kafkit::testcontainers::reference_cluster_options;
using kafkit::testing::broker_test_client;

namespace {

constexpr int records_per_batch = 5;

/// What the concurrent client did, read after it stops.
struct steady_outcome {
    int requests = 0;
    std::int64_t records = 0;
    std::string failure;
};

std::string value_of(std::int64_t n) { return "value-" + std::to_string(n); }

/// Produces batches of records "value-N" to steady-0 (acks=all) and checks each lands at
/// the next offset; without Produce served, asks for Metadata instead.
void run_steady_client(std::uint16_t port, std::int16_t produce_version, const std::atomic<bool>& stop,
                       steady_outcome& out) {
    try {
        broker_test_client client(port);
        client.set_client_id("steady");
        while (!stop.load()) {
            if (produce_version < 0) {
                auto metadata = client.call<metadata_response>(metadata_for({"steady"}), 12);
                if (metadata.topics.size() != 1 || metadata.topics[0].error_code != 0)
                    throw std::runtime_error("metadata for steady failed");
                ++out.requests;
                continue;
            }
            std::vector<std::string> values;
            for (int i = 0; i < records_per_batch; ++i) values.push_back(value_of(out.records + i));
            const auto base = integration::produce(client, "steady", 0, values, produce_version);
            if (base != out.records)
                throw std::runtime_error("produce landed at " + std::to_string(base) + ", expected " +
                                         std::to_string(out.records));
            out.records += records_per_batch;
            ++out.requests;
        }
    } catch (const std::exception& e) {
        out.failure = e.what();
    }
}

/// Reads steady-0 back with Fetch and returns the values in offset order.
std::vector<std::string> fetch_all(std::uint16_t port, std::int16_t version, std::int64_t end) {
    broker_test_client client(port);
    std::vector<std::string> values;
    while (static_cast<std::int64_t>(values.size()) < end) {
        fetch_request request;
        request.max_wait_ms = 100;
        request.max_bytes = 1 << 20;
        fetch_request::fetch_topic topic;
        topic.topic = "steady";
        fetch_request::fetch_partition partition;
        partition.partition = 0;
        partition.fetch_offset = static_cast<std::int64_t>(values.size());
        partition.partition_max_bytes = 1 << 20;
        topic.partitions.push_back(partition);
        request.topics.push_back(topic);
        const auto id = client.send(request, version);
        auto frame = client.read_frame(); // the records view this frame: keep it
        REQUIRE(frame);
        auto decoded = decode_response_frame<fetch_response>(bytes_view(frame->data(), frame->size()), version);
        REQUIRE(decoded);
        REQUIRE(decoded->correlation_id == id);
        const auto& data = decoded->body.responses.at(0).partitions.at(0);
        REQUIRE(data.error_code == 0);
        REQUIRE(data.records);
        auto batches = read_record_batches(*data.records);
        REQUIRE(batches);
        REQUIRE_FALSE(batches->empty());
        for (const auto& b : *batches)
            for (const auto& r : b.records()) {
                if (r.offset < static_cast<std::int64_t>(values.size())) continue;
                REQUIRE(r.offset == static_cast<std::int64_t>(values.size()));
                REQUIRE(r.value);
                values.emplace_back(reinterpret_cast<const char*>(r.value->data()), r.value->size());
            }
    }
    return values;
}

/// Appends `v` big-endian in `width` bytes.
void put(std::vector<std::uint8_t>& out, std::int64_t v, int width) {
    for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::vector<std::uint8_t> be32(std::int32_t v) {
    std::vector<std::uint8_t> out;
    put(out, v, 4);
    return out;
}

/// A request frame (size prefix included) with this header and body.
std::vector<std::uint8_t> raw_frame(std::int16_t key, std::int16_t version, const std::vector<std::uint8_t>& body) {
    std::vector<std::uint8_t> frame;
    put(frame, static_cast<std::int64_t>(10 + body.size()), 4);
    put(frame, key, 2);
    put(frame, version, 2);
    put(frame, 9, 4);  // correlation id
    put(frame, -1, 2); // null client id
    frame.insert(frame.end(), body.begin(), body.end());
    return frame;
}

/// Sends `bytes` on a fresh connection and says whether the broker closed it.
bool closes(std::uint16_t port, const std::vector<std::uint8_t>& bytes) {
    broker_test_client client(port, "127.0.0.1", std::chrono::seconds(5));
    client.send_raw(bytes);
    return client.wait_closed();
}

} // namespace

TEST_CASE("bad input: the broker closes only the offending connections and keeps serving a steady client") {
    reference_cluster_options options;
    options.brokers = 3;
    options.extra_args = {"--log-level", "3"};
    reference_cluster cluster(options);
    cluster.create_topic("steady", 1);
    const auto leader = cluster.faults().describe().find_topic("steady")->partitions.at(0).leader;
    const auto port = cluster.port(static_cast<std::size_t>(leader - 1));
    const auto produce_version = served_version(port, 0, 9);
    const auto fetch_version = served_version(port, 1, 12);
    if (produce_version < 0) MESSAGE("Produce is not served yet: the steady client asks for Metadata instead");

    std::atomic<bool> stop{false};
    steady_outcome steady;
    std::thread steady_thread(run_steady_client, port, produce_version, std::cref(stop), std::ref(steady));
    // A failed REQUIRE below must not leave the thread running (std::terminate).
    struct stop_on_exit {
        std::atomic<bool>& stop;
        std::thread& thread;
        ~stop_on_exit() {
            stop.store(true);
            if (thread.joinable()) thread.join();
        }
    } guard{stop, steady_thread};

    std::mt19937 random(20240603);
    // Random bytes: a connection whose size prefix is plausible waits for the rest; the
    // others are closed. Either way nothing else is disturbed.
    for (int i = 0; i < 200; ++i) {
        std::vector<std::uint8_t> junk(1 + random() % 2048);
        for (auto& b : junk) b = static_cast<std::uint8_t>(random());
        broker_test_client client(port, "127.0.0.1", std::chrono::seconds(5));
        client.send_raw(junk);
    }
    // Random bytes behind a consistent size prefix: an unreadable header or body closes it.
    int random_frames_closed = 0;
    for (int i = 0; i < 100; ++i) {
        const std::size_t body_size = 1 + random() % 512;
        std::vector<std::uint8_t> frame;
        put(frame, static_cast<std::int64_t>(body_size), 4);
        for (std::size_t k = 0; k < body_size; ++k) frame.push_back(static_cast<std::uint8_t>(random()));
        broker_test_client client(port, "127.0.0.1", std::chrono::seconds(5));
        client.send_raw(frame);
        // Random header fields almost never name a served api and version.
        if (client.wait_closed()) ++random_frames_closed;
    }
    CHECK(random_frames_closed >= 95);

    // Truncated frames: the size promises more than arrives before the client goes away...
    auto metadata = raw_frame(3, 1, {0, 0, 0, 0});
    for (std::size_t cut = 1; cut < metadata.size(); ++cut) {
        broker_test_client client(port, "127.0.0.1", std::chrono::seconds(5));
        client.send_raw(std::vector<std::uint8_t>(metadata.begin(), metadata.begin() + static_cast<std::ptrdiff_t>(cut)));
    }
    // ...or the frame is too short for its own header.
    CHECK(closes(port, {0, 0, 0, 3, 0, 3, 0}));
    CHECK(closes(port, {0, 0, 0, 0}));
    // A 2 GB size prefix and negative sizes close before anything is allocated.
    CHECK(closes(port, {0x7f, 0xff, 0xff, 0xff}));
    CHECK(closes(port, be32(-1)));
    CHECK(closes(port, be32(std::numeric_limits<std::int32_t>::min())));
    // Unknown api keys (and keys the broker does not serve) close the connection, as Kafka does.
    for (std::int16_t key : {std::int16_t{-1}, std::int16_t{99}, std::int16_t{1000}, std::int16_t{32767}, std::int16_t{67}})
        CHECK(closes(port, raw_frame(key, 0, {})));
    // Unsupported versions: Metadata v99 closes; ApiVersions v99 answers UNSUPPORTED_VERSION in v0.
    CHECK(closes(port, raw_frame(3, 99, {0, 0, 0, 0})));
    CHECK(closes(port, raw_frame(3, -1, {0, 0, 0, 0})));
    {
        broker_test_client client(port);
        client.send_raw(raw_frame(18, 99, {0})); // v3+ headers end in (empty) tagged fields
        auto frame = client.read_frame();
        REQUIRE(frame);
        auto decoded = decode_response_frame<api_versions_response>(bytes_view(frame->data(), frame->size()), 0);
        REQUIRE(decoded);
        CHECK(decoded->correlation_id == 9);
        CHECK(decoded->body.error_code == static_cast<std::int16_t>(kafka_errc::unsupported_version));
    }
    // A served api and version with a body that does not parse: a topic count of 2^31-1.
    CHECK(closes(port, raw_frame(3, 1, {0x7f, 0xff, 0xff, 0xff})));

    stop.store(true);
    steady_thread.join();
    REQUIRE_MESSAGE(steady.failure.empty(), steady.failure);
    CHECK(steady.requests > 0);
    CHECK(cluster.running());

    if (produce_version >= 0) {
        const auto p = cluster.faults().describe().find_topic("steady")->partitions.at(0);
        CHECK(p.log_end_offset == steady.records);
        if (fetch_version >= 4) {
            const auto values = fetch_all(port, fetch_version, steady.records);
            REQUIRE(static_cast<std::int64_t>(values.size()) == steady.records);
            for (std::int64_t i = 0; i < steady.records; ++i) CHECK(values[static_cast<std::size_t>(i)] == value_of(i));
        } else {
            MESSAGE("Fetch is not served yet: the records were counted through describe, not read back");
        }
    }
    // Every other node still serves too.
    for (std::size_t i = 0; i < 3; ++i) {
        broker_test_client client(cluster.port(i));
        CHECK(client.call<api_versions_response>(api_versions_request{}, 0).error_code == 0);
    }
}
