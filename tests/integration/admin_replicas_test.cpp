// The admin client's replica operations against kafkit-broker (three nodes, one replica per
// partition): leader elections, partition reassignments and replica log dir moves, answered
// as a cluster in that state answers them.

#include "admin_support.hpp"

using namespace kafkit::integration;
using namespace kafkit::admin;
using kafkit::kafka_errc;
using kafkit::partition_id;
using kafkit::topic_partition;

TEST_CASE_FIXTURE(admin_fixture, "admin: a preferred election where the preferred replica leads is not needed; an "
                                 "unknown partition is reported") {
    admin.create_topics({{.name = "led", .partitions = 2}}).all().get();
    const topic_partition p0{"led", partition_id(0)}, p1{"led", partition_id(1)}, missing{"led", partition_id(9)};
    const auto outcomes = admin.elect_leaders(election_type::preferred, std::set<topic_partition>{p0, p1, missing}).get();
    REQUIRE(outcomes.size() == 3);
    CHECK(outcomes.at(p0) == kafka_errc::election_not_needed);
    CHECK(outcomes.at(p1) == kafka_errc::election_not_needed);
    CHECK(outcomes.at(missing) == kafka_errc::unknown_topic_or_partition);
}

TEST_CASE_FIXTURE(admin_fixture, "admin: reassignments to unknown brokers are refused, to the current replicas done at "
                                 "once; none is left in progress") {
    admin.create_topics({{.name = "moved", .replica_assignments = {{0, {1}}, {1, {2}}}}}).all().get();
    const topic_partition p0{"moved", partition_id(0)}, p1{"moved", partition_id(1)};
    auto r = admin.alter_partition_reassignments({{p0, std::vector<std::int32_t>{1}}, {p1, std::vector<std::int32_t>{7}}});
    CHECK_FALSE(error_of(r.value(p0)));
    CHECK(error_of(r.value(p1)) == kafka_errc::invalid_replica_assignment);
    CHECK(admin.list_partition_reassignments().get().empty());
    CHECK(admin.list_partition_reassignments(std::set<topic_partition>{p0}).get().empty());
}

TEST_CASE_FIXTURE(admin_fixture, "admin: a replica moved to the directory it is in is accepted; to an unknown one refused") {
    admin.create_topics({{.name = "dirs", .replica_assignments = {{0, {1}}}}}).all().get();
    const topic_partition_replica replica{"dirs", 0, 1};
    CHECK_NOTHROW(admin.alter_replica_log_dirs({{replica, "/memory"}}).all().get());
    CHECK(error_of(admin.alter_replica_log_dirs({{replica, "/elsewhere"}}).value(replica)) == kafka_errc::log_dir_not_found);
}
