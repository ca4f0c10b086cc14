// Fetch without sessions: long polls woken by data, min_bytes, byte limits (KIP-74),
// isolation, and the per-partition errors Kafka answers.

#include "data_support.hpp"

using namespace kafkit;
using namespace kafkit::testing::data;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

namespace {

fetch_request waiting_fetch(const std::string& topic, std::int64_t offset, std::int32_t min_bytes) {
    auto request = fetch_of(topic, {{0, offset}});
    request.max_wait_ms = 30000; // far longer than the test may take: only data can answer it
    request.min_bytes = min_bytes;
    return request;
}

} // namespace

TEST_CASE("fetch: a long poll is answered as soon as another connection produces") {
    embedded_broker broker;
    broker_test_client consumer(broker.port());
    broker_test_client producer(broker.port());
    create_topic(producer, "poll", 1);
    const auto id = consumer.send(waiting_fetch("poll", 0, 1), 12);
    REQUIRE(produce(producer, "poll", 0, make_batch(numbered(2, "new"))).error_code == 0);
    auto response = receive_fetch(consumer, id, 12);
    const auto& p = only_partition(response.body);
    CHECK(p.error_code == 0);
    CHECK(p.high_watermark == 2);
    auto got = decode_records(p.records);
    REQUIRE(got.size() == 2);
    CHECK(got[1].value == std::optional<std::string>("new1"));
    // The connection carries on.
    CHECK(fetch_records(consumer, "poll", 0, 1).size() == 2);
}

TEST_CASE("fetch: min_bytes holds the answer until enough data arrived") {
    embedded_broker broker;
    broker_test_client consumer(broker.port());
    broker_test_client producer(broker.port());
    create_topic(producer, "minbytes", 1);
    auto small = make_batch(numbered(1, "s"));
    const auto id = consumer.send(waiting_fetch("minbytes", 0, static_cast<std::int32_t>(small.size() * 2 + 1)), 11);
    // Each produce wakes the fetch, which re-reads: had it answered after the first or the
    // second batch, its answer would hold fewer than three batches.
    for (int i = 0; i < 3; ++i) REQUIRE(produce(producer, "minbytes", 0, small).error_code == 0);
    auto response = receive_fetch(consumer, id, 11);
    auto got = decode_records(only_partition(response.body).records);
    CHECK(got.size() == 3);
}

TEST_CASE("fetch: a long poll is answered when its partition's leader moves") {
    broker::broker_config config;
    config.brokers = 2;
    embedded_broker broker(config);
    broker_test_client admin(broker.port(0));
    const auto topic_id = create_topic(admin, "moving", 2);
    const auto leader_of = leaders(admin, "moving");
    const std::int32_t leader = leader_of.at(0);
    broker_test_client consumer(broker.port(static_cast<std::size_t>(leader - 1)));
    auto request = waiting_fetch("moving", 0, 1);
    request.topics[0].topic_id = topic_id; // v13+ names topics by id
    const auto id = consumer.send(request, 16);
    REQUIRE(broker.get().faults().set_partition_leader("moving", 0, leader == 1 ? 2 : 1));
    auto response = receive_fetch(consumer, id, 16);
    const auto& p = only_partition(response.body);
    CHECK(p.error_code == code(kafka_errc::not_leader_or_follower));
    CHECK(p.current_leader.leader_id == (leader == 1 ? 2 : 1));
    CHECK(p.current_leader.leader_epoch == 1);
    REQUIRE(response.body.node_endpoints.size() == 1);
    CHECK(response.body.node_endpoints[0].node_id == (leader == 1 ? 2 : 1));
}

TEST_CASE("fetch: byte limits per partition and per response, first batch always whole (KIP-74)") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "limits", 2);
    std::vector<test_record> kilobyte{{"k", std::string(1000, 'x'), 1, {}}};
    for (int p = 0; p < 2; ++p)
        for (int i = 0; i < 3; ++i) REQUIRE(produce(client, "limits", p, make_batch(kilobyte)).error_code == 0);
    const auto batch_size = make_batch(kilobyte).size();

    // partition_max_bytes below one batch: still one whole batch from the first partition,
    // and nothing from the second once the response has data and its limit is spent.
    auto request = fetch_of("limits", {{0, 0}, {1, 0}}, 10);
    auto response = fetch_call(client, request, 12);
    REQUIRE(response.body.responses.at(0).partitions.size() == 2);
    CHECK(decode_records(response.body.responses[0].partitions[0].records).size() == 1);
    CHECK(response.body.responses[0].partitions[1].records->size() == 0);
    CHECK(response.body.responses[0].partitions[1].high_watermark == 3);

    // Two batches' worth per partition, a response limit of three batches.
    request = fetch_of("limits", {{0, 0}, {1, 0}}, static_cast<std::int32_t>(2 * batch_size));
    request.max_bytes = static_cast<std::int32_t>(3 * batch_size);
    response = fetch_call(client, request, 12);
    CHECK(decode_records(response.body.responses[0].partitions[0].records).size() == 2);
    CHECK(decode_records(response.body.responses[0].partitions[1].records).size() == 1);

    // A response limit below one batch still returns the first batch (v3+).
    request.max_bytes = 1;
    response = fetch_call(client, request, 12);
    CHECK(decode_records(response.body.responses[0].partitions[0].records).size() == 1);
    CHECK(response.body.responses[0].partitions[1].records->size() == 0);
}

TEST_CASE("fetch: errors per partition") {
    broker::broker_config config;
    config.brokers = 2;
    embedded_broker broker(config);
    broker_test_client admin(broker.port(0));
    const auto topic_id = create_topic(admin, "errs", 2);
    const auto leader_of = leaders(admin, "errs");
    const std::int32_t leader = leader_of.at(0);
    broker_test_client client(broker.port(static_cast<std::size_t>(leader - 1)));
    REQUIRE(produce(client, "errs", 0, make_batch(numbered(3))).error_code == 0);

    auto out_of_range = fetch_call(client, fetch_of("errs", {{0, 4}}), 12);
    const auto& oor = only_partition(out_of_range.body);
    CHECK(oor.error_code == code(kafka_errc::offset_out_of_range));
    CHECK(oor.high_watermark == -1);
    CHECK(oor.log_start_offset == -1);
    CHECK(oor.records->size() == 0);
    // At the high watermark: no data, no error.
    auto at_end = fetch_call(client, fetch_of("errs", {{0, 3}}), 12);
    CHECK(only_partition(at_end.body).error_code == 0);
    CHECK(only_partition(at_end.body).high_watermark == 3);

    auto unknown = fetch_call(client, fetch_of("nope", {{0, 0}}), 12);
    CHECK(only_partition(unknown.body).error_code == code(kafka_errc::unknown_topic_or_partition));
    auto no_partition = fetch_call(client, fetch_of("errs", {{7, 0}}), 12);
    CHECK(only_partition(no_partition.body).error_code == code(kafka_errc::unknown_topic_or_partition));

    // Fetch v13+ names topics by id.
    auto by_id = fetch_call(client, fetch_of("", {{0, 0}}, 1 << 20, topic_id), 13);
    CHECK(by_id.body.responses.at(0).topic_id == topic_id);
    CHECK(decode_records(only_partition(by_id.body).records).size() == 3);
    uuid stranger;
    stranger.bytes[3] = 9;
    auto unknown_id = fetch_call(client, fetch_of("", {{0, 0}}, 1 << 20, stranger), 13);
    CHECK(only_partition(unknown_id.body).error_code == code(kafka_errc::unknown_topic_id));

    // KIP-320: the client's leader epoch against the partition's (0).
    auto fenced_request = fetch_of("errs", {{0, 0}});
    fenced_request.topics[0].partitions[0].current_leader_epoch = 5;
    auto future_epoch = fetch_call(client, fenced_request, 12);
    CHECK(only_partition(future_epoch.body).error_code == code(kafka_errc::unknown_leader_epoch));
    REQUIRE(broker.get().faults().set_partition_leader("errs", 0, leader)); // same leader, epoch 1
    fenced_request.topics[0].partitions[0].current_leader_epoch = 0;
    auto old_epoch = fetch_call(client, fenced_request, 12);
    CHECK(only_partition(old_epoch.body).error_code == code(kafka_errc::fenced_leader_epoch));
    CHECK(only_partition(old_epoch.body).current_leader.leader_epoch == 1);

    // Another node: NOT_LEADER_OR_FOLLOWER, with the leader from v12 (endpoints from v16).
    broker_test_client other(broker.port(leader == 1 ? 1 : 0));
    auto not_leader = fetch_call(other, fetch_of("errs", {{0, 0}}, 1 << 20, topic_id), 16);
    CHECK(only_partition(not_leader.body).error_code == code(kafka_errc::not_leader_or_follower));
    CHECK(only_partition(not_leader.body).current_leader.leader_id == leader);
    REQUIRE(not_leader.body.node_endpoints.size() == 1);
    CHECK(not_leader.body.node_endpoints[0].port == broker.port(static_cast<std::size_t>(leader - 1)));
    auto old_version = fetch_call(other, fetch_of("errs", {{0, 0}}), 11);
    CHECK(only_partition(old_version.body).error_code == code(kafka_errc::not_leader_or_follower));
}

TEST_CASE("fetch: read_committed sees the high watermark as last stable offset and no aborted transactions") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "iso", 1);
    REQUIRE(produce(client, "iso", 0, make_batch(numbered(2))).error_code == 0);
    auto request = fetch_of("iso", {{0, 0}});
    request.isolation_level = 1;
    auto committed = fetch_call(client, request, 12);
    const auto& p = only_partition(committed.body);
    CHECK(p.last_stable_offset == 2);
    CHECK(p.log_start_offset == 0);
    CHECK(p.preferred_read_replica == -1);
    REQUIRE(p.aborted_transactions.has_value());
    CHECK(p.aborted_transactions->empty());
    request.isolation_level = 0;
    auto uncommitted = fetch_call(client, request, 12);
    CHECK_FALSE(only_partition(uncommitted.body).aborted_transactions.has_value());
    CHECK(only_partition(uncommitted.body).last_stable_offset == 2);
}

TEST_CASE("fetch: injected errors reach every partition") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "faulty", 1);
    broker.get().faults().push_request_errors(-1, 1, {{static_cast<std::int16_t>(kafka_errc::not_leader_or_follower), {}}});
    auto response = fetch_call(client, fetch_of("faulty", {{0, 0}}), 12);
    CHECK(only_partition(response.body).error_code == code(kafka_errc::not_leader_or_follower));
    auto next = fetch_call(client, fetch_of("faulty", {{0, 0}}), 12);
    CHECK(only_partition(next.body).error_code == 0);
}
