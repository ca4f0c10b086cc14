// WriteTxnMarkers: an abort or commit marker appended as a control batch, checked against
// the producer's state as Kafka's ProducerAppendInfo.appendEndTxnMarker checks it.

#include "data_support.hpp"
#include "kafkit/protocol/messages/describe_producers.hpp"
#include "kafkit/protocol/messages/write_txn_markers.hpp"

#include <filesystem>

using namespace kafkit;
using namespace kafkit::testing::data;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

namespace {

write_txn_markers_request marker_request(std::int64_t producer_id, std::int16_t epoch, std::int32_t coordinator_epoch,
                                         bool commit, const std::string& topic, std::vector<std::int32_t> partitions) {
    write_txn_markers_request request;
    auto& m = request.markers.emplace_back();
    m.producer_id = producer_id;
    m.producer_epoch = epoch;
    m.coordinator_epoch = coordinator_epoch;
    m.transaction_result = commit;
    auto& t = m.topics.emplace_back();
    t.name = topic;
    t.partition_indexes = std::move(partitions);
    return request;
}

/// The error of each partition of the one marker's one topic.
std::vector<std::int16_t> marker_errors(broker_test_client& client, const write_txn_markers_request& request,
                                        std::int16_t version = 1) {
    const auto response = client.call<write_txn_markers_response>(request, version);
    REQUIRE(response.markers.size() == 1);
    CHECK(response.markers[0].producer_id == request.markers[0].producer_id);
    REQUIRE(response.markers[0].topics.size() == 1);
    std::vector<std::int16_t> out;
    for (const auto& p : response.markers[0].topics[0].partitions) out.push_back(p.error_code);
    return out;
}

/// The batches of partition 0 from `offset`, as fetched (CRC checked).
struct fetched_batches {
    fetched raw;
    std::vector<record_batch> batches;
};
fetched_batches batches_from(broker_test_client& client, const std::string& topic, std::int64_t offset) {
    fetched_batches out;
    out.raw = fetch_call(client, fetch_of(topic, {{0, offset}}), 12);
    const auto& p = only_partition(out.raw.body);
    REQUIRE(p.error_code == 0);
    REQUIRE(p.records);
    auto batches = read_record_batches(*p.records);
    REQUIRE(batches);
    out.batches = std::move(*batches);
    return out;
}

describe_producers_response::producer_state only_producer(broker_test_client& client, const std::string& topic) {
    describe_producers_request request;
    auto& t = request.topics.emplace_back();
    t.name = topic;
    t.partition_indexes = {0};
    const auto response = client.call<describe_producers_response>(request, 0);
    REQUIRE(response.topics.size() == 1);
    REQUIRE(response.topics[0].partitions.size() == 1);
    REQUIRE(response.topics[0].partitions[0].active_producers.size() == 1);
    return response.topics[0].partitions[0].active_producers[0];
}

} // namespace

TEST_CASE("write txn markers: an abort marker is a control batch at the log end with the producer's id and epoch") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "txn", 1);
    REQUIRE(produce(client, "txn", 0, make_batch(numbered(3), idempotent(5000, 2, 0))).base_offset == 0);

    for (std::int16_t version : {0, 1}) {
        CAPTURE(version);
        const bool commit = version == 1;
        const std::int64_t marker_offset = version == 0 ? 3 : 4;
        CHECK(marker_errors(client, marker_request(5000, 2, 7, commit, "txn", {0}), version) ==
              std::vector<std::int16_t>{0});
        auto fetched = batches_from(client, "txn", marker_offset);
        REQUIRE(fetched.batches.size() == 1);
        const auto& h = fetched.batches[0].header();
        CHECK(h.base_offset == marker_offset);
        CHECK(h.is_control());
        CHECK(h.is_transactional());
        CHECK(h.producer_id == 5000);
        CHECK(h.producer_epoch == 2);
        CHECK(h.base_sequence == -1);
        REQUIRE(fetched.batches[0].records().size() == 1);
        const auto marker = read_control_record(fetched.batches[0].records()[0]);
        REQUIRE(marker);
        CHECK(marker->type == (commit ? control_record_type::commit : control_record_type::abort));
        CHECK(marker->coordinator_epoch == 7);
        CHECK(only_partition(fetched.raw.body).high_watermark == marker_offset + 1);
    }
    // The producer keeps its sequence: the marker carries none.
    CHECK(produce(client, "txn", 0, make_batch(numbered(1), idempotent(5000, 2, 3))).base_offset == 5);
    const auto producer = only_producer(client, "txn");
    CHECK(producer.producer_epoch == 2);
    CHECK(producer.last_sequence == 3);
    CHECK(producer.coordinator_epoch == 7);
}

TEST_CASE("write txn markers: older producer or coordinator epochs are fenced, partitions checked one by one") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "fence", 1);
    REQUIRE(produce(client, "fence", 0, make_batch(numbered(1), idempotent(6000, 3, 0))).error_code == 0);

    CHECK(marker_errors(client, marker_request(6000, 2, 0, false, "fence", {0})) ==
          std::vector<std::int16_t>{code(kafka_errc::invalid_producer_epoch)});
    REQUIRE(marker_errors(client, marker_request(6000, 3, 5, false, "fence", {0})) == std::vector<std::int16_t>{0});
    CHECK(marker_errors(client, marker_request(6000, 3, 4, false, "fence", {0})) ==
          std::vector<std::int16_t>{code(kafka_errc::transaction_coordinator_fenced)});
    // A marker with a newer epoch moves the producer there: its old epoch is fenced, and the
    // new epoch starts at sequence 0.
    REQUIRE(marker_errors(client, marker_request(6000, 4, 5, false, "fence", {0, 9})) ==
            std::vector<std::int16_t>{0, code(kafka_errc::unknown_topic_or_partition)});
    CHECK(produce(client, "fence", 0, make_batch(numbered(1), idempotent(6000, 3, 1))).error_code ==
          code(kafka_errc::invalid_producer_epoch));
    CHECK(produce(client, "fence", 0, make_batch(numbered(1), idempotent(6000, 4, 1))).error_code ==
          code(kafka_errc::out_of_order_sequence_number));
    CHECK(produce(client, "fence", 0, make_batch(numbered(1), idempotent(6000, 4, 0))).base_offset == 3);
    // Only the two accepted markers were written.
    CHECK(batches_from(client, "fence", 0).batches.size() == 4);
    CHECK(marker_errors(client, marker_request(6000, 4, 5, false, "missing", {0})) ==
          std::vector<std::int16_t>{code(kafka_errc::unknown_topic_or_partition)});
}

TEST_CASE("write txn markers: a partition led elsewhere is NOT_LEADER_OR_FOLLOWER, and nothing is written there") {
    broker::broker_config config;
    config.brokers = 3;
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    create_topic(client, "spread", 3);
    const auto leaders_of = leaders(client, "spread");
    std::vector<std::int32_t> led_elsewhere;
    for (const auto& [partition, leader] : leaders_of)
        if (leader != 1) led_elsewhere.push_back(partition);
    REQUIRE(!led_elsewhere.empty());
    const auto errors = marker_errors(client, marker_request(7000, 0, 0, false, "spread", led_elsewhere));
    for (const auto e : errors) CHECK(e == code(kafka_errc::not_leader_or_follower));
}

TEST_CASE("write txn markers: the producer's epoch after a marker survives a restart") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("kafkit-data-markers-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    broker::broker_config config;
    config.data_dir = dir;
    {
        embedded_broker broker(config);
        broker_test_client client(broker.port());
        create_topic(client, "kept", 1);
        REQUIRE(produce(client, "kept", 0, make_batch(numbered(1), idempotent(8000, 1, 0))).error_code == 0);
        REQUIRE(marker_errors(client, marker_request(8000, 2, 0, false, "kept", {0})) == std::vector<std::int16_t>{0});
    }
    {
        embedded_broker broker(config);
        broker_test_client client(broker.port());
        CHECK(produce(client, "kept", 0, make_batch(numbered(1), idempotent(8000, 1, 1))).error_code ==
              code(kafka_errc::invalid_producer_epoch));
        CHECK(only_producer(client, "kept").producer_epoch == 2);
    }
    std::filesystem::remove_all(dir);
}
