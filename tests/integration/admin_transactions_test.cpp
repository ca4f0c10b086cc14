// The admin client's producer and transaction operations against kafkit-broker: the
// idempotent producers a partition's leader knows, and transactions (the broker has no
// transaction coordinator yet: none listed, ids unknown).


#include "admin_support.hpp"

#include "kafkit/producer.hpp"

using namespace kafkit::integration;
using namespace kafkit::admin;
using kafkit::kafka_errc;
using kafkit::partition_id;
using kafkit::topic_partition;

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
