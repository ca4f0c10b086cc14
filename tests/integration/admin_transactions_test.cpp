// The admin client's producer and transaction operations against kafkit-broker: the
// idempotent producers a partition's leader knows, aborting a producer's transaction with
// a marker (read back by kcat), and transactions (the broker has no transaction
// coordinator yet: none listed, ids unknown, transactional ids refused).

#include "admin_support.hpp"
#include "child_command.hpp"

#include "kafkit/producer.hpp"

using namespace kafkit::integration;
using namespace kafkit::admin;
using kafkit::kafka_errc;
using kafkit::partition_id;
using kafkit::topic_partition;
using namespace std::chrono_literals;

namespace {

/// Partition 0 of `topic` as kcat reads it (librdkafka, read_committed): "offset:value" lines.
std::string kcat_offsets_and_values(const kafkit::testcontainers::cluster& cluster, const std::string& topic) {
    const auto result = run("kcat -b " + cluster.bootstrap_servers() + " -C -t " + topic +
                                " -p 0 -o beginning -e -q -f '%o:%s\\n'",
                            30s);
    REQUIRE_MESSAGE(result.status == 0, result.err);
    return result.out;
}

} // namespace

TEST_CASE_FIXTURE(admin_fixture, "admin: describe_producers shows the idempotent producer that wrote to a partition") {
    admin.create_topics({{.name = "written", .partitions = 1}}).all().get();
    {
        kafkit::producer producer(producer_config(cluster, {{"enable.idempotence", "true"}, {"acks", "all"}}));
        for (int i = 0; i < 3; ++i) producer.send({.topic = "written", .value = std::string("v")}).get();
    }
    const topic_partition p0{"written", partition_id(0)};
    const auto producers = admin.describe_producers({p0}).value(p0).get();
    REQUIRE(producers.size() == 1);
    CHECK(producers[0].producer_id >= 0);
    CHECK(producers[0].producer_epoch >= 0);
    CHECK(producers[0].last_sequence == 2);
    CHECK(producers[0].last_timestamp_ms > 0);
    CHECK_FALSE(producers[0].current_transaction_start_offset.has_value());
    CHECK(error_of(admin.describe_producers({{"nope", partition_id(0)}}).value({"nope", partition_id(0)})) ==
          kafka_errc::unknown_topic_or_partition);
}

TEST_CASE_FIXTURE(admin_fixture, "admin: without transactions none is listed and an id is not found") {
    const auto listed = admin.list_transactions().get();
    CHECK(listed.transactions.empty());
    CHECK(listed.errors.empty());
    CHECK(error_of(admin.describe_transactions({"payments"}).value("payments")) == kafka_errc::transactional_id_not_found);
}

TEST_CASE_FIXTURE(admin_fixture, "admin: abort_transaction writes an abort marker for the producer; consumers skip it") {
    admin.create_topics({{.name = "hanging", .partitions = 1}}).all().get();
    {
        kafkit::producer producer(producer_config(cluster, {{"enable.idempotence", "true"}, {"acks", "all"}}));
        for (const char* v : {"a", "b", "c"}) producer.send({.topic = "hanging", .value = std::string(v)}).get();
    }
    const topic_partition p0{"hanging", partition_id(0)};
    const auto before = admin.describe_producers({p0}).value(p0).get();
    REQUIRE(before.size() == 1);

    admin.abort_transaction({.partition = p0,
                             .producer_id = before[0].producer_id,
                             .producer_epoch = before[0].producer_epoch,
                             .coordinator_epoch = 3})
        .get();
    // The marker took offset 3.
    CHECK(admin.list_offsets({{p0, offset_spec::latest()}}).value(p0).get().offset.value() == 4);
    const auto after = admin.describe_producers({p0}).value(p0).get();
    REQUIRE(after.size() == 1);
    CHECK(after[0].coordinator_epoch == 3);
    CHECK(after[0].last_sequence == 2);
    CHECK(kcat_offsets_and_values(cluster, "hanging") == "0:a\n1:b\n2:c\n");

    // An older producer epoch or coordinator epoch is fenced; an unknown partition is reported.
    CHECK(error_of(admin.abort_transaction({.partition = p0,
                                            .producer_id = before[0].producer_id,
                                            .producer_epoch = static_cast<std::int16_t>(before[0].producer_epoch - 1),
                                            .coordinator_epoch = 3})) == kafka_errc::invalid_producer_epoch);
    CHECK(error_of(admin.abort_transaction({.partition = p0,
                                            .producer_id = before[0].producer_id,
                                            .producer_epoch = before[0].producer_epoch,
                                            .coordinator_epoch = 2})) == kafka_errc::transaction_coordinator_fenced);
    CHECK(error_of(admin.abort_transaction({.partition = {"nope", partition_id(0)}, .producer_id = 1, .producer_epoch = 0})) ==
          kafka_errc::unknown_topic_or_partition);
    CHECK(admin.list_offsets({{p0, offset_spec::latest()}}).value(p0).get().offset.value() == 4);
}

TEST_CASE_FIXTURE(admin_fixture, "admin: fence_producers finds the transaction coordinator; the broker refuses the id") {
    // The broker has no transactions: InitProducerId with a transactional id is refused as
    // Kafka refuses a principal that may not use it.
    auto fenced = admin.fence_producers({"payments", "orders"});
    CHECK(error_of(fenced.value("payments")) == kafka_errc::transactional_id_authorization_failed);
    CHECK(error_of(fenced.value("orders")) == kafka_errc::transactional_id_authorization_failed);
}
