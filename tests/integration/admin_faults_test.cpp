// The admin client's retries against kafkit-broker's injected faults: errors that say a
// request went to the wrong broker (NOT_CONTROLLER, NOT_COORDINATOR, NOT_LEADER_OR_FOLLOWER)
// or too early (COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE) are retried and
// the operation succeeds; a fault that does not go away ends in errc::timed_out.

#include "admin_support.hpp"

#include "kafkit/producer.hpp"

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::partition_id;
using kafkit::record_offset;
using kafkit::topic_partition;

namespace {

constexpr std::int16_t list_offsets_key = 2, offset_fetch_key = 9, find_coordinator_key = 10, describe_groups_key = 15,
                       create_topics_key = 19, delete_records_key = 21, create_partitions_key = 37;
constexpr std::int16_t not_leader = 6, coordinator_load_in_progress = 14, coordinator_not_available = 15,
                       not_coordinator = 16, not_controller = 41;

} // namespace

TEST_CASE_FIXTURE(admin_fixture, "admin faults: NOT_CONTROLLER on CreateTopics and CreatePartitions is retried") {
    cluster.faults().push_request_errors(create_topics_key, {not_controller, not_controller}, -1);
    CHECK(admin.create_topics({{.name = "retried", .partitions = 2}}).value("retried").get().partitions == 2);
    cluster.faults().push_request_errors(create_partitions_key, {not_controller}, -1);
    CHECK_NOTHROW(admin.create_partitions({{"retried", {.total_count = 3}}}).all().get());
    CHECK(admin.describe_topics({"retried"}).value("retried").get().partitions.size() == 3);
}

TEST_CASE_FIXTURE(admin_fixture, "admin faults: coordinator errors on FindCoordinator, DescribeGroups and OffsetFetch are "
                                 "retried") {
    admin.create_topics({{.name = "t", .partitions = 1}}).all().get();
    admin.alter_consumer_group_offsets("g", {{{"t", partition_id(0)}, {record_offset(0), std::nullopt, ""}}}).all().get();
    cluster.faults().push_request_errors(find_coordinator_key, {coordinator_not_available}, -1);
    cluster.faults().push_request_errors(describe_groups_key, {not_coordinator, coordinator_load_in_progress}, -1);
    CHECK(admin.describe_consumer_groups({"g"}).value("g").get().state == "Empty");
    cluster.faults().push_request_errors(offset_fetch_key, {not_coordinator, coordinator_load_in_progress}, -1);
    CHECK(admin.list_consumer_group_offsets({{"g", std::nullopt}}).value("g").get().size() == 1);
}

TEST_CASE_FIXTURE(admin_fixture, "admin faults: NOT_LEADER_OR_FOLLOWER on ListOffsets and DeleteRecords sends them to the "
                                 "leader again") {
    admin.create_topics({{.name = "log", .partitions = 1}}).all().get();
    {
        kafkit::producer producer(producer_config(cluster));
        for (int i = 0; i < 5; ++i) producer.send({.topic = "log", .value = std::string("v")}).get();
    }
    const topic_partition p0{"log", partition_id(0)};
    cluster.faults().push_request_errors(list_offsets_key, {not_leader, not_leader}, -1);
    CHECK(admin.list_offsets({{p0, kafkit::admin::offset_spec::latest()}}).value(p0).get().offset == record_offset(5));
    cluster.faults().push_request_errors(delete_records_key, {not_leader}, -1);
    CHECK(admin.delete_records({{p0, record_offset(2)}}).value(p0).get().low_watermark == record_offset(2));
}

TEST_CASE_FIXTURE(admin_fixture, "admin faults: a fault that persists ends in errc::timed_out at the operation's timeout") {
    std::vector<kafkit::testcontainers::request_error> forever(400, not_controller);
    cluster.faults().push_request_errors(create_topics_key, forever, -1);
    const auto start = std::chrono::steady_clock::now();
    CHECK(error_of(admin.create_topics({{.name = "never"}}, {{500ms}}).value("never")) == kafkit::errc::timed_out);
    CHECK(std::chrono::steady_clock::now() - start < 10s);
    cluster.faults().clear();
}

TEST_CASE_FIXTURE(admin_fixture, "admin faults: a group's coordinator going down sends the next call to the new one") {
    admin.create_topics({{.name = "t", .partitions = 1}}).all().get();
    admin.alter_consumer_group_offsets("moving", {{{"t", partition_id(0)}, {record_offset(3), std::nullopt, ""}}}).all().get();
    const auto before = admin.describe_consumer_groups({"moving"}).value("moving").get().coordinator;
    REQUIRE(before.has_value());
    cluster.faults().set_node_state(before->id.value(), kafkit::testcontainers::node_state::down);
    // The cached coordinator cannot be reached: looked up again, the group is found elsewhere.
    const auto after = admin.describe_consumer_groups({"moving"}).value("moving").get();
    REQUIRE(after.coordinator.has_value());
    CHECK(after.coordinator->id != before->id);
    CHECK(admin.list_consumer_group_offsets({{"moving", std::nullopt}}).value("moving").get().at({"t", partition_id(0)}).offset ==
          record_offset(3));
    cluster.faults().set_node_state(before->id.value(), kafkit::testcontainers::node_state::up);
}
