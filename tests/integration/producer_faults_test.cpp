// The idempotent producer (the default) through the clusters' faults: Produce errors,
// retriable and not, dropped connections, a node down and up, leader moves, all while
// records stream. Read back with librdkafka's consumer: none lost, none duplicated, order
// per partition kept, and a batch the broker refuses for good fails with its own error.

#include "producer_test_support.hpp"

#include "kafkit/partitioner.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/testcontainers/faults.hpp"

#include <doctest/doctest.h>

#include <span>

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::kafka_errc;
using kafkit::testcontainers::node_state;
using kafkit::testcontainers::request_error;

namespace {

constexpr std::int16_t produce_key = 0;
constexpr std::int32_t partitions = 6;
constexpr std::int32_t nodes = 3;

std::int16_t code(kafka_errc e) {
    return static_cast<std::int16_t>(e);
}

std::string key_of(std::size_t n) {
    return "key-" + std::to_string(n % 61);
}

/// The partition the producer's default partitioner (murmur2, as Java) gives record n.
std::int32_t partition_of(std::size_t n) {
    const auto key = key_of(n);
    return kafkit::java_partition_for_key(
               std::span(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()), partitions)
        .value();
}

/// Leader of partition p for the `round`-th placement: every round moves every partition.
std::int32_t leader_for(std::int32_t p, int round) {
    return (p + round) % nodes + 1;
}

/// Moves every partition of `topic` to its leader of the `round`-th placement.
void place_leaders(kafkit::testcontainers::fault_controls& faults, const std::string& topic,
                   int round) {
    for (std::int32_t p = 0; p < partitions; ++p)
        faults.set_partition_leader(topic, p, leader_for(p, round));
}

/// Sends numbered records n = sent.. up to `until` (keyed, so each goes to partition_of(n)).
struct numbered_sender {
    kafkit::producer& producer;
    delivery_log& log;
    std::string topic;
    std::size_t sent = 0;

    void send_until(std::size_t until) {
        for (; sent < until; ++sent) {
            const auto key = key_of(sent);
            const auto value = numbered_value(sent, 24);
            kafkit::producer_record record;
            record.topic = topic;
            record.key = key;
            record.value = value;
            REQUIRE_FALSE(producer.send(record, log.callback(sent)));
        }
    }
};

} // namespace

TEST_CASE(
    "producer faults: 20,000 records through Produce errors, dropped connections, a node down and "
    "leader moves arrive once each, in order") {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const auto topic = new_topic(*cluster, "faults", partitions);
    auto& faults = cluster->faults();
    place_leaders(faults, topic, 0);

    constexpr std::size_t total = 20'000;
    constexpr std::size_t chunk = total / 8;
    delivery_log log(total);
    // Small batches, so each phase has many Produce requests in flight for the faults to hit.
    auto cfg = producer_config(*cluster, {{"batch.size", "2048"}, {"linger.ms", "2"}});
    // librdkafka's mock checks sequences only for transactional producers
    // (rd_kafka_mock_validate_records returns early without a transactional.id). With
    // several requests in flight, a batch answered with an error is followed into the log
    // by the ones sent after it, which Kafka would refuse as OUT_OF_ORDER_SEQUENCE_NUMBER
    // until the failed one is resent; and a batch resent after its answer was lost in a
    // dropped connection is written twice. So against the mock one request is in flight
    // per connection, order is checked as strictly, and duplicates are allowed only for
    // records sent while connections were cut. Pipelining with sequence checks, and "none
    // duplicated", are proven against kafkit-broker, which checks sequences as Kafka does.
    const bool mock = cluster->backend() == "librdkafka-mock";
    if (mock) cfg.set("max.in.flight.requests.per.connection", "1");
    kafkit::producer producer(cfg);
    numbered_sender stream{producer, log, topic};
    auto everything_sent_is_done = [&] { return log.wait_for(stream.sent, 30s); };

    // Clean start.
    stream.send_until(chunk);
    REQUIRE(everything_sent_is_done());

    // Retriable Produce errors, cluster-wide and on one node with a delay.
    faults.push_request_errors(
        produce_key,
        {code(kafka_errc::not_leader_or_follower), code(kafka_errc::request_timed_out),
         code(kafka_errc::not_enough_replicas), code(kafka_errc::leader_not_available),
         code(kafka_errc::kafka_storage_error), code(kafka_errc::not_leader_or_follower),
         code(kafka_errc::request_timed_out), code(kafka_errc::not_enough_replicas)},
        -1);
    faults.push_request_errors(produce_key,
                               {request_error(code(kafka_errc::not_enough_replicas), 50ms),
                                request_error(code(kafka_errc::request_timed_out), 20ms)},
                               2);
    stream.send_until(2 * chunk);
    REQUIRE(everything_sent_is_done());

    // Connections dropped while requests are in flight.
    stream.send_until(3 * chunk);
    faults.drop_connections(-1, "");
    stream.send_until(4 * chunk);
    faults.drop_connections(1, "");
    REQUIRE(everything_sent_is_done());

    // Node 2 down: its partitions wait (and nothing else does), then it comes back.
    faults.set_node_state(2, node_state::down);
    const auto down_from = stream.sent;
    stream.send_until(5 * chunk);
    std::size_t waiting_for_node2 = 0;
    for (auto n = down_from; n < stream.sent; ++n)
        waiting_for_node2 += leader_for(partition_of(n), 0) == 2 ? 1 : 0;
    REQUIRE(waiting_for_node2 > 0);
    CHECK(log.wait_for(stream.sent - waiting_for_node2, 30s));
    CHECK(log.completed() == stream.sent - waiting_for_node2);
    faults.set_node_state(2, node_state::up);
    REQUIRE(everything_sent_is_done());

    // Every partition's leader moves while records stream, twice.
    stream.send_until(6 * chunk);
    place_leaders(faults, topic, 1);
    stream.send_until(7 * chunk);
    place_leaders(faults, topic, 2);
    faults.push_request_errors(produce_key, {code(kafka_errc::not_leader_or_follower)}, -1);
    stream.send_until(total);
    CHECK_FALSE(producer.flush(30s));

    const auto outcomes = log.outcomes();
    std::size_t failed = 0;
    for (std::size_t n = 0; n < total; ++n) {
        INFO("record " << n << ": " << outcomes[n].error.message());
        REQUIRE(outcomes[n].calls == 1);
        failed += outcomes[n].error ? 1 : 0;
        CHECK(outcomes[n].partition == partition_of(n));
    }
    CHECK(failed == 0); // every fault here is retriable

    const auto report = check_stream(read_topic(cluster->bootstrap_servers(), topic), outcomes);
    INFO("first problem: " << report.first_problem);
    CHECK(report.read == total + report.duplicated);
    CHECK(report.lost == 0);
    if (mock) {
        for (const auto n : report.duplicates) {
            CHECK(n >= 2 * chunk);
            CHECK(n < 5 * chunk);
        }
    } else {
        CHECK(report.duplicated == 0);
    }
    CHECK(report.out_of_order == 0);
    CHECK(report.misplaced == 0);
    CHECK(report.unexpected == 0);
}

TEST_CASE("producer faults: a batch refused with INVALID_RECORD or MESSAGE_TOO_LARGE fails with "
          "that error, and the records after it are delivered") {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const auto topic = new_topic(*cluster, "refused", 1);

    constexpr std::size_t per_batch = 10;
    delivery_log log(4 * per_batch);
    // A long linger.ms and flush() make each group of ten records one batch, one request.
    kafkit::producer producer(producer_config(*cluster, {{"linger.ms", "60000"}}));
    numbered_sender stream{producer, log, topic};
    auto send_batch = [&] {
        stream.send_until(stream.sent + per_batch);
        CHECK_FALSE(producer.flush(10s));
    };
    send_batch();
    cluster->faults().push_request_errors(produce_key, {code(kafka_errc::invalid_record)}, -1);
    send_batch();
    cluster->faults().push_request_errors(produce_key, {code(kafka_errc::message_too_large)}, -1);
    send_batch();
    send_batch();
    REQUIRE(log.wait_all(1s));

    const auto outcomes = log.outcomes();
    for (std::size_t n = 0; n < outcomes.size(); ++n) {
        INFO("record " << n);
        CHECK(outcomes[n].calls == 1);
        if (n / per_batch == 1)
            CHECK(outcomes[n].error == kafka_errc::invalid_record);
        else if (n / per_batch == 2)
            CHECK(outcomes[n].error == kafka_errc::message_too_large);
        else
            CHECK_FALSE(outcomes[n].error);
    }
    // The refused batches are not in the log; the others are, in order.
    const auto read = read_topic(cluster->bootstrap_servers(), topic);
    const auto& log0 = read.partition(0);
    REQUIRE(log0.size() == 2 * per_batch);
    for (std::size_t i = 0; i < log0.size(); ++i) {
        const auto n = i < per_batch ? i : i + 2 * per_batch;
        CHECK(number_of(log0[i].value) == n);
        CHECK(log0[i].offset == static_cast<std::int64_t>(i));
        CHECK(outcomes[n].offset == static_cast<std::int64_t>(i));
    }
}

TEST_CASE(
    "producer faults: with idempotence off and max.in.flight.requests.per.connection=1, order per "
    "partition survives a held error and leader moves") {
    // One request in flight is how Kafka's clients keep order without idempotence (the Java
    // client's guaranteeMessageOrder): a partition's next batch waits for the previous
    // one's answer, even when the leader moved and the next batch goes elsewhere.
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const auto topic = new_topic(*cluster, "ordered", partitions);
    auto& faults = cluster->faults();
    place_leaders(faults, topic, 0);

    constexpr std::size_t total = 6'000;
    delivery_log log(total);
    kafkit::producer producer(
        producer_config(*cluster, {{"enable.idempotence", "false"},
                                   {"max.in.flight.requests.per.connection", "1"},
                                   {"batch.size", "2048"},
                                   {"linger.ms", "2"}}));
    numbered_sender stream{producer, log, topic};
    stream.send_until(total / 3);
    REQUIRE(log.wait_for(stream.sent, 30s));
    // Node 1's next answer is an error held for a while; meanwhile every leader moves, so
    // the batches behind the held one have a new leader to go to.
    faults.push_request_errors(produce_key,
                               {request_error(code(kafka_errc::request_timed_out), 300ms)}, 1);
    stream.send_until(total / 2);
    place_leaders(faults, topic, 1);
    stream.send_until(total);
    CHECK_FALSE(producer.flush(30s));

    const auto outcomes = log.outcomes();
    for (std::size_t n = 0; n < total; ++n) {
        INFO("record " << n << ": " << outcomes[n].error.message());
        REQUIRE(outcomes[n].calls == 1);
        CHECK_FALSE(outcomes[n].error);
    }
    const auto report = check_stream(read_topic(cluster->bootstrap_servers(), topic), outcomes);
    INFO("first problem: " << report.first_problem);
    CHECK(report.read == total);
    CHECK(report.lost == 0);
    CHECK(report.duplicated == 0);
    CHECK(report.out_of_order == 0);
    CHECK(report.misplaced == 0);
}
