// ListOffsets, OffsetForLeaderEpoch and DeleteRecords.

#include "data_support.hpp"
#include "kafkit/protocol/messages/delete_records.hpp"
#include "kafkit/protocol/messages/list_offsets.hpp"
#include "kafkit/protocol/messages/offset_for_leader_epoch.hpp"

using namespace kafkit;
using namespace kafkit::testing::data;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

namespace {

list_offsets_response::list_offsets_partition_response list_offset(broker_test_client& client, const std::string& topic,
                                                                   std::int64_t timestamp, std::int16_t version = 9,
                                                                   std::int32_t current_leader_epoch = -1) {
    list_offsets_request request;
    request.replica_id = -1;
    list_offsets_request::list_offsets_topic t;
    t.name = topic;
    list_offsets_request::list_offsets_partition p;
    p.partition_index = 0;
    p.timestamp = timestamp;
    p.current_leader_epoch = current_leader_epoch;
    t.partitions.push_back(p);
    request.topics.push_back(t);
    auto response = client.call<list_offsets_response>(request, version);
    REQUIRE(response.topics.size() == 1);
    REQUIRE(response.topics[0].partitions.size() == 1);
    return response.topics[0].partitions[0];
}

offset_for_leader_epoch_response::epoch_end_offset epoch_end(broker_test_client& client, const std::string& topic,
                                                             std::int32_t epoch, std::int32_t current_leader_epoch = -1) {
    offset_for_leader_epoch_request request;
    request.replica_id = -1;
    offset_for_leader_epoch_request::offset_for_leader_topic t;
    t.topic = topic;
    offset_for_leader_epoch_request::offset_for_leader_partition p;
    p.partition = 0;
    p.leader_epoch = epoch;
    p.current_leader_epoch = current_leader_epoch;
    t.partitions.push_back(p);
    request.topics.push_back(t);
    auto response = client.call<offset_for_leader_epoch_response>(request, 4);
    return response.topics.at(0).partitions.at(0);
}

delete_records_response::delete_records_partition_result delete_records(broker_test_client& client,
                                                                        const std::string& topic, std::int64_t offset) {
    delete_records_request request;
    request.timeout_ms = 1000;
    delete_records_request::delete_records_topic t;
    t.name = topic;
    delete_records_request::delete_records_partition p;
    p.partition_index = 0;
    p.offset = offset;
    t.partitions.push_back(p);
    request.topics.push_back(t);
    auto response = client.call<delete_records_response>(request, 2);
    return response.topics.at(0).partitions.at(0);
}

} // namespace

TEST_CASE("list offsets: earliest, latest, max timestamp, by timestamp") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "times", 1);
    // Empty log: earliest = latest = 0, no max timestamp, nothing at any time.
    CHECK(list_offset(client, "times", -2).offset == 0);
    CHECK(list_offset(client, "times", -1).offset == 0);
    CHECK(list_offset(client, "times", -3).offset == -1);
    CHECK(list_offset(client, "times", 5).offset == -1);

    // Timestamps 100, 300, 200 | 300, 150: the max (300) first appears at offset 1.
    std::vector<test_record> first{{"a", "0", 100, {}}, {"b", "1", 300, {}}, {"c", "2", 200, {}}};
    std::vector<test_record> second{{"d", "3", 300, {}}, {"e", "4", 150, {}}};
    REQUIRE(produce(client, "times", 0, make_batch(first)).error_code == 0);
    REQUIRE(produce(client, "times", 0, make_batch(second)).error_code == 0);

    auto earliest = list_offset(client, "times", -2);
    CHECK(earliest.error_code == 0);
    CHECK(earliest.offset == 0);
    CHECK(earliest.timestamp == -1);
    CHECK(earliest.leader_epoch == 0);
    auto latest = list_offset(client, "times", -1);
    CHECK(latest.offset == 5);
    CHECK(latest.leader_epoch == 0);
    auto max = list_offset(client, "times", -3);
    CHECK(max.offset == 1);
    CHECK(max.timestamp == 300);
    auto at_150 = list_offset(client, "times", 150);
    CHECK(at_150.offset == 1); // the first record with timestamp >= 150
    CHECK(at_150.timestamp == 300);
    auto at_250 = list_offset(client, "times", 250);
    CHECK(at_250.offset == 1);
    auto at_301 = list_offset(client, "times", 301);
    CHECK(at_301.offset == -1);
    CHECK(at_301.timestamp == -1);
    CHECK(list_offset(client, "times", 100).offset == 0);
    // Before v4 there is no leader epoch in the answer; v0 lists old-style offsets.
    CHECK(list_offset(client, "times", -1, 1).offset == 5);
    auto v0 = list_offset(client, "times", -1, 0);
    CHECK(v0.old_style_offsets == std::vector<std::int64_t>{5});
    CHECK(list_offset(client, "times", -2, 0).old_style_offsets == std::vector<std::int64_t>{0});
}

TEST_CASE("list offsets: errors per partition") {
    broker::broker_config config;
    config.brokers = 2;
    embedded_broker broker(config);
    broker_test_client admin(broker.port(0));
    create_topic(admin, "where", 1);
    const auto leader = leaders(admin, "where").at(0);
    broker_test_client at_leader(broker.port(static_cast<std::size_t>(leader - 1)));
    broker_test_client elsewhere(broker.port(leader == 1 ? 1 : 0));
    CHECK(list_offset(at_leader, "nothing", -1).error_code == code(kafka_errc::unknown_topic_or_partition));
    auto not_leader = list_offset(elsewhere, "where", -1);
    CHECK(not_leader.error_code == code(kafka_errc::not_leader_or_follower));
    CHECK(not_leader.offset == -1);
    CHECK(list_offset(at_leader, "where", -1, 9, 3).error_code == code(kafka_errc::unknown_leader_epoch));
    CHECK(list_offset(at_leader, "where", -1, 9, 0).error_code == 0);
}

TEST_CASE("offset for leader epoch: end offsets of epochs after a leader move") {
    broker::broker_config config;
    config.brokers = 2;
    embedded_broker broker(config);
    broker_test_client admin(broker.port(0));
    create_topic(admin, "epochs", 1);
    const auto first_leader = leaders(admin, "epochs").at(0);
    const auto second_leader = first_leader == 1 ? 2 : 1;
    broker_test_client one(broker.port(static_cast<std::size_t>(first_leader - 1)));
    broker_test_client two(broker.port(static_cast<std::size_t>(second_leader - 1)));
    REQUIRE(produce(one, "epochs", 0, make_batch(numbered(3))).error_code == 0);
    CHECK(epoch_end(one, "epochs", 0).end_offset == 3); // the current epoch ends at the log end

    REQUIRE(broker.get().faults().set_partition_leader("epochs", 0, second_leader));
    REQUIRE(produce(two, "epochs", 0, make_batch(numbered(2))).error_code == 0);

    auto e0 = epoch_end(two, "epochs", 0);
    CHECK(e0.error_code == 0);
    CHECK(e0.leader_epoch == 0);
    CHECK(e0.end_offset == 3);
    auto e1 = epoch_end(two, "epochs", 1);
    CHECK(e1.leader_epoch == 1);
    CHECK(e1.end_offset == 5);
    auto future = epoch_end(two, "epochs", 7);
    CHECK(future.error_code == 0);
    CHECK(future.leader_epoch == -1);
    CHECK(future.end_offset == -1);
    CHECK(epoch_end(two, "epochs", 0, 0).error_code == code(kafka_errc::fenced_leader_epoch));
    CHECK(epoch_end(two, "epochs", 0, 2).error_code == code(kafka_errc::unknown_leader_epoch));
    CHECK(epoch_end(two, "epochs", 0, 1).error_code == 0);
    CHECK(epoch_end(one, "epochs", 0).error_code == code(kafka_errc::not_leader_or_follower));
    CHECK(epoch_end(one, "nowhere", 0).error_code == code(kafka_errc::unknown_topic_or_partition));

    // ListOffsets reports the epochs too: the earliest record is from epoch 0.
    CHECK(list_offset(two, "epochs", -2).leader_epoch == 0);
    CHECK(list_offset(two, "epochs", -1).leader_epoch == 1);
}

TEST_CASE("delete records: moves the log start; fetching below it is OFFSET_OUT_OF_RANGE") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "trim", 1);
    for (int i = 0; i < 4; ++i) REQUIRE(produce(client, "trim", 0, make_batch(numbered(2))).error_code == 0);

    auto deleted = delete_records(client, "trim", 4);
    CHECK(deleted.error_code == 0);
    CHECK(deleted.low_watermark == 4);
    auto below = fetch_call(client, fetch_of("trim", {{0, 2}}), 12);
    CHECK(only_partition(below.body).error_code == code(kafka_errc::offset_out_of_range));
    auto from = fetch_call(client, fetch_of("trim", {{0, 4}}), 12);
    CHECK(only_partition(from.body).log_start_offset == 4);
    auto got = decode_records(only_partition(from.body).records);
    REQUIRE_FALSE(got.empty());
    CHECK(got.front().offset == 4);
    CHECK(list_offset(client, "trim", -2).offset == 4);

    CHECK(delete_records(client, "trim", 2).low_watermark == 4); // never moves back
    CHECK(delete_records(client, "trim", 9).error_code == code(kafka_errc::offset_out_of_range));
    auto to_end = delete_records(client, "trim", -1);
    CHECK(to_end.error_code == 0);
    CHECK(to_end.low_watermark == 8);
    CHECK(delete_records(client, "nothing", 0).error_code == code(kafka_errc::unknown_topic_or_partition));

    create_topic(client, "kept", 1, {{"cleanup.policy", "compact"}});
    CHECK(delete_records(client, "kept", 0).error_code == code(kafka_errc::policy_violation));
}
