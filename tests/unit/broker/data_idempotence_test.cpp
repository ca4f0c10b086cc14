// Idempotent producers: InitProducerId, duplicates acknowledged with their first offsets,
// sequence gaps and stale epochs refused, as Kafka 3.9 does.

#include "data_support.hpp"
#include "kafkit/protocol/messages/init_producer_id.hpp"

#include <filesystem>

using namespace kafkit;
using namespace kafkit::testing::data;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

namespace {

init_producer_id_response init_producer(broker_test_client& client, std::int16_t version,
                                        std::optional<std::string> transactional_id = std::nullopt,
                                        std::int64_t producer_id = -1, std::int16_t epoch = -1) {
    init_producer_id_request request;
    request.transactional_id = std::move(transactional_id);
    request.transaction_timeout_ms = 60000;
    request.producer_id = producer_id;
    request.producer_epoch = epoch;
    return client.call<init_producer_id_response>(request, version);
}

/// Log end offset of partition 0, from a fetch at offset 0.
std::int64_t high_watermark(broker_test_client& client, const std::string& topic) {
    auto response = fetch_call(client, fetch_of(topic, {{0, 0}}), 12);
    return only_partition(response.body).high_watermark;
}

} // namespace

TEST_CASE("init producer id: fresh ids with epoch 0, transactional ids refused") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    auto a = init_producer(client, 4);
    auto b = init_producer(client, 0);
    CHECK(a.error_code == 0);
    CHECK(a.producer_epoch == 0);
    CHECK(b.error_code == 0);
    CHECK(b.producer_id != a.producer_id);
    CHECK(a.producer_id >= 0);
    // KIP-360 with an existing idempotent producer: Kafka hands out a new id.
    auto c = init_producer(client, 5, std::nullopt, a.producer_id, 0);
    CHECK(c.error_code == 0);
    CHECK(c.producer_id != a.producer_id);
    CHECK(c.producer_epoch == 0);

    CHECK(init_producer(client, 5, std::nullopt, a.producer_id, -1).error_code == code(kafka_errc::invalid_request));
    CHECK(init_producer(client, 4, std::string("")).error_code == code(kafka_errc::invalid_request));
    auto tx = init_producer(client, 4, std::string("my-tx"));
    CHECK(tx.error_code == code(kafka_errc::transactional_id_authorization_failed));
    CHECK(tx.producer_id == -1);
}

TEST_CASE("idempotence: a retried batch is acknowledged with its first offset and not written again") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "idem", 1);
    const auto pid = init_producer(client, 4).producer_id;
    auto first = make_batch(numbered(3, "a"), idempotent(pid, 0, 0));
    auto second = make_batch(numbered(2, "b"), idempotent(pid, 0, 3));
    CHECK(produce(client, "idem", 0, first).base_offset == 0);
    CHECK(produce(client, "idem", 0, second).base_offset == 3);
    auto again = produce(client, "idem", 0, first);
    CHECK(again.error_code == 0);
    CHECK(again.base_offset == 0);
    CHECK(produce(client, "idem", 0, second).base_offset == 3);
    CHECK(high_watermark(client, "idem") == 5);
    auto got = fetch_records(client, "idem", 0, 0);
    REQUIRE(got.size() == 5);
    CHECK(got[4].value == std::optional<std::string>("b1"));
}

TEST_CASE("idempotence: gaps, stale epochs and batches older than the five kept") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "seq", 1);
    const auto pid = init_producer(client, 4).producer_id;
    std::vector<std::vector<std::uint8_t>> sent;
    for (int i = 0; i < 6; ++i) {
        sent.push_back(make_batch(numbered(1), idempotent(pid, 0, i)));
        REQUIRE(produce(client, "seq", 0, sent.back()).base_offset == i);
    }
    // Sequence 10 after 5: a gap.
    auto gap = produce(client, "seq", 0, make_batch(numbered(1), idempotent(pid, 0, 10)));
    CHECK(gap.error_code == code(kafka_errc::out_of_order_sequence_number));
    // The oldest batch is no longer among the last five: not a recognisable duplicate.
    CHECK(produce(client, "seq", 0, sent[0]).error_code == code(kafka_errc::out_of_order_sequence_number));
    CHECK(produce(client, "seq", 0, sent[1]).base_offset == 1);

    // The client bumps its epoch (KIP-360) and starts again at 0; a new epoch must.
    CHECK(produce(client, "seq", 0, make_batch(numbered(1), idempotent(pid, 1, 4))).error_code ==
          code(kafka_errc::out_of_order_sequence_number));
    CHECK(produce(client, "seq", 0, make_batch(numbered(1), idempotent(pid, 1, 0))).base_offset == 6);
    auto stale = produce(client, "seq", 0, make_batch(numbered(1), idempotent(pid, 0, 6)));
    CHECK(stale.error_code == code(kafka_errc::invalid_producer_epoch));
    CHECK(high_watermark(client, "seq") == 7);
}

TEST_CASE("idempotence: a producer the partition has no state of is accepted at any sequence") {
    // Kafka 2.5+ (KIP-360): its records may have been deleted; UNKNOWN_PRODUCER_ID is gone.
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "late", 1);
    CHECK(produce(client, "late", 0, make_batch(numbered(1), idempotent(4242, 3, 999))).error_code == 0);
    CHECK(produce(client, "late", 0, make_batch(numbered(1), idempotent(4242, 3, 1000))).base_offset == 1);
    CHECK(produce(client, "late", 0, make_batch(numbered(1), idempotent(4242, 3, 1002))).error_code ==
          code(kafka_errc::out_of_order_sequence_number));
}

TEST_CASE("idempotence: producer state is rebuilt from the log after a restart") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("kafkit-data-idem-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    broker::broker_config config;
    config.data_dir = dir;
    const std::int64_t pid = 777;
    auto first = make_batch(numbered(2, "a"), idempotent(pid, 0, 0));
    {
        embedded_broker broker(config);
        broker_test_client client(broker.port());
        create_topic(client, "durable", 1);
        REQUIRE(produce(client, "durable", 0, first).base_offset == 0);
        REQUIRE(produce(client, "durable", 0, make_batch(numbered(1, "b"), idempotent(pid, 0, 2))).base_offset == 2);
    }
    {
        embedded_broker broker(config);
        broker_test_client client(broker.port());
        auto retry = produce(client, "durable", 0, first);
        CHECK(retry.error_code == 0);
        CHECK(retry.base_offset == 0);
        CHECK(produce(client, "durable", 0, make_batch(numbered(1), idempotent(pid, 0, 5))).error_code ==
              code(kafka_errc::out_of_order_sequence_number));
        CHECK(produce(client, "durable", 0, make_batch(numbered(1), idempotent(pid, 0, 3))).base_offset == 3);
    }
    std::filesystem::remove_all(dir);
}
