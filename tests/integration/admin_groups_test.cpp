// The admin client's offset, record and group operations against kafkit-broker: offsets
// listed by spec after records are written, records deleted, and a group's committed
// offsets altered, listed, turned into lag, deleted, and the group itself deleted.

#include "admin_support.hpp"

#include "kafkit/consumer.hpp"
#include "kafkit/producer.hpp"

#include <algorithm>

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::kafka_errc;
using kafkit::partition_id;
using kafkit::record_offset;
using kafkit::topic_partition;
using kafkit::admin::offset_spec;

namespace {

/// Writes `count` records to partition 0 of `topic`, timestamped base_ms + i.
void write(const kafkit::testcontainers::cluster& cluster, const std::string& topic, int count, std::int64_t base_ms) {
    kafkit::producer producer(producer_config(cluster));
    for (int i = 0; i < count; ++i) {
        const std::string value = "v" + std::to_string(i);
        producer.send({.topic = topic, .partition = partition_id(0), .value = value, .timestamp_ms = base_ms + i}).get();
    }
}

} // namespace

TEST_CASE_FIXTURE(admin_fixture, "admin: list_offsets by spec and delete_records, each answered by the leader") {
    admin.create_topics({{.name = "log", .partitions = 2}}).all().get();
    write(cluster, "log", 10, 1'000'000);
    const topic_partition p0{"log", partition_id(0)}, p1{"log", partition_id(1)}, missing{"nope", partition_id(0)};

    auto listed = admin.list_offsets({{p0, offset_spec::earliest()}, {p1, offset_spec::latest()}, {missing, offset_spec::latest()}});
    CHECK(listed.value(p0).get().offset == record_offset(0));
    CHECK(listed.value(p1).get().offset == record_offset(0));
    CHECK(error_of(listed.value(missing)) == kafka_errc::unknown_topic_or_partition);
    CHECK(admin.list_offsets({{p0, offset_spec::latest()}}).value(p0).get().offset == record_offset(10));
    const auto at = admin.list_offsets({{p0, offset_spec::for_timestamp(1'000'004)}}).value(p0).get();
    CHECK(at.offset == record_offset(4));
    CHECK(at.timestamp_ms == 1'000'004);
    const auto newest = admin.list_offsets({{p0, offset_spec::max_timestamp()}}).value(p0).get();
    CHECK(newest.offset == record_offset(9));
    CHECK(newest.timestamp_ms == 1'000'009);

    auto deleted = admin.delete_records({{p0, record_offset(6)}, {{"log", partition_id(7)}, record_offset(1)}});
    CHECK(deleted.value(p0).get().low_watermark == record_offset(6));
    CHECK(error_of(deleted.value({"log", partition_id(7)})) == kafka_errc::unknown_topic_or_partition);
    CHECK(admin.list_offsets({{p0, offset_spec::earliest()}}).value(p0).get().offset == record_offset(6));
    CHECK(error_of(admin.delete_records({{p0, record_offset(11)}}).value(p0)) == kafka_errc::offset_out_of_range);
}

TEST_CASE_FIXTURE(admin_fixture, "admin: a group's offsets altered, listed, as lag, deleted; then the group deleted") {
    admin.create_topics({{.name = "work", .partitions = 3}}).all().get();
    write(cluster, "work", 8, 2'000'000);
    const topic_partition w0{"work", partition_id(0)}, w1{"work", partition_id(1)};

    auto altered = admin.alter_consumer_group_offsets("billing", {{w0, {record_offset(5), std::nullopt, "m5"}},
                                                                  {w1, {record_offset(0), std::nullopt, ""}}});
    CHECK_NOTHROW(altered.all().get());

    auto listed = admin.list_consumer_group_offsets({{"billing", std::nullopt}, {"nobody", std::nullopt}});
    const auto committed = listed.value("billing").get();
    REQUIRE(committed.size() == 2);
    CHECK(committed.at(w0).offset == record_offset(5));
    CHECK(committed.at(w0).metadata == "m5");
    CHECK(committed.at(w1).offset == record_offset(0));
    CHECK(listed.value("nobody").get().empty());
    const auto only_w1 = admin.list_consumer_group_offsets({{"billing", std::vector<topic_partition>{w1}}}).value("billing").get();
    REQUIRE(only_w1.size() == 1);
    CHECK(only_w1.count(w1) == 1);

    const auto lag = admin.consumer_group_lag("billing").get();
    REQUIRE(lag.size() == 2);
    CHECK(lag.at(w0).log_end == record_offset(8));
    CHECK(lag.at(w0).lag == 3);
    CHECK(lag.at(w1).log_end == record_offset(0));
    CHECK(lag.at(w1).lag == 0);

    const auto groups = admin.list_consumer_groups().get();
    CHECK(groups.errors.empty());
    CHECK(std::any_of(groups.groups.begin(), groups.groups.end(), [](const auto& g) { return g.group_id == "billing"; }));

    auto removed = admin.delete_consumer_group_offsets("billing", {w1});
    CHECK_NOTHROW(removed.all().get());
    CHECK(admin.list_consumer_group_offsets({{"billing", std::nullopt}}).value("billing").get().size() == 1);

    auto gone = admin.delete_consumer_groups({"billing", "never-was"});
    CHECK_FALSE(error_of(gone.value("billing")));
    CHECK(error_of(gone.value("never-was")) == kafka_errc::group_id_not_found);
    CHECK(admin.list_consumer_group_offsets({{"billing", std::nullopt}}).value("billing").get().empty());
}

TEST_CASE_FIXTURE(admin_fixture, "admin: describe_consumer_groups shows a live member and its assignment; a static "
                                 "member is removed by its instance id") {
    admin.create_topics({{.name = "jobs", .partitions = 2}}).all().get();
    kafkit::consumer consumer({{"bootstrap.servers", cluster.bootstrap_servers()},
                               {"group.id", "workers"},
                               {"group.instance.id", "worker-1"},
                               {"client.id", "worker-client"},
                               {"partition.assignment.strategy", "range"}});
    consumer.subscribe({"jobs"});
    const auto until = std::chrono::steady_clock::now() + 15s;
    while (consumer.assignment().size() != 2 && std::chrono::steady_clock::now() < until) (void)consumer.poll(50ms);
    REQUIRE(consumer.assignment().size() == 2);
    auto described = admin.describe_consumer_groups({"workers", "nobody"});
    const auto d = described.value("workers").get();
    CHECK(d.state == "Stable");
    CHECK(d.partition_assignor == "range");
    CHECK_FALSE(d.is_simple);
    REQUIRE(d.coordinator.has_value());
    CHECK(d.coordinator->port > 0);
    REQUIRE(d.members.size() == 1);
    CHECK(d.members[0].client_id == "worker-client");
    CHECK(d.members[0].group_instance_id == "worker-1");
    CHECK(d.members[0].assignment ==
          std::vector<topic_partition>{{"jobs", partition_id(0)}, {"jobs", partition_id(1)}});
    CHECK(described.value("nobody").get().state == "Dead");

    auto removed = admin.remove_members_from_consumer_group("workers", {.group_instance_ids = {"worker-1", "worker-9"}});
    CHECK_FALSE(error_of(removed.value("worker-1")));
    CHECK(error_of(removed.value("worker-9")) == kafka_errc::unknown_member_id);
    CHECK(admin.describe_consumer_groups({"workers"}).value("workers").get().members.empty());
}

TEST_CASE_FIXTURE(admin_fixture, "admin: remove_all_members_from_consumer_group removes the dynamic member a group has") {
    admin.create_topics({{.name = "chores", .partitions = 1}}).all().get();
    kafkit::consumer consumer({{"bootstrap.servers", cluster.bootstrap_servers()}, {"group.id", "crowd"}});
    consumer.subscribe({"chores"});
    const auto until = std::chrono::steady_clock::now() + 15s;
    while (consumer.assignment().size() != 1 && std::chrono::steady_clock::now() < until) (void)consumer.poll(50ms);
    REQUIRE(consumer.assignment().size() == 1);
    const auto members = admin.describe_consumer_groups({"crowd"}).value("crowd").get().members;
    REQUIRE(members.size() == 1);
    CHECK(admin.remove_all_members_from_consumer_group("crowd").get() == std::vector<std::string>{members[0].member_id});
    CHECK(admin.describe_consumer_groups({"crowd"}).value("crowd").get().members.empty());
    CHECK(admin.remove_all_members_from_consumer_group("crowd").get().empty()); // nobody left
}

TEST_CASE_FIXTURE(admin_fixture, "admin: a KIP-848 group is described from ConsumerGroupDescribe, a classic one beside "
                                 "it from DescribeGroups") {
    admin.create_topics({{.name = "events", .partitions = 3}}).all().get();
    kafkit::consumer modern({{"bootstrap.servers", cluster.bootstrap_servers()},
                             {"group.id", "modern"},
                             {"group.protocol", "consumer"},
                             {"client.id", "modern-client"}});
    modern.subscribe({"events"});
    const auto until = std::chrono::steady_clock::now() + 15s;
    while (modern.assignment().size() != 3 && std::chrono::steady_clock::now() < until) (void)modern.poll(50ms);
    REQUIRE(modern.assignment().size() == 3);
    admin.alter_consumer_group_offsets("offsets-only", {{{"events", partition_id(0)}, {record_offset(0), std::nullopt, ""}}})
        .all()
        .get();

    auto described = admin.describe_consumer_groups({"modern", "offsets-only"});
    const auto m = described.value("modern").get();
    CHECK(m.type == "consumer");
    CHECK(m.state == "Stable");
    REQUIRE(m.members.size() == 1);
    CHECK(m.members[0].client_id == "modern-client");
    CHECK(m.members[0].assignment == std::vector<topic_partition>{{"events", partition_id(0)},
                                                                  {"events", partition_id(1)},
                                                                  {"events", partition_id(2)}});
    REQUIRE(m.coordinator.has_value());
    const auto simple = described.value("offsets-only").get();
    CHECK(simple.type == "classic");
    CHECK(simple.is_simple);
    CHECK(simple.state == "Empty");
    CHECK(simple.members.empty());
}
