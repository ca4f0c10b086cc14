// The admin client's cluster operations against kafkit-broker (three nodes, in memory): log
// directories and the replicas in them.

#include "admin_support.hpp"

using namespace kafkit::integration;
using namespace kafkit::admin;
using kafkit::partition_id;
using kafkit::topic_partition;

TEST_CASE_FIXTURE(admin_fixture, "admin: describe_log_dirs lists each broker's replicas; describe_replica_log_dirs "
                                 "finds a replica's directory") {
    admin.create_topics({{.name = "placed", .replica_assignments = {{0, {1}}, {1, {2}}, {2, {2}}}}}).all().get();
    auto dirs = admin.describe_log_dirs({1, 2, 3});
    const auto on_1 = dirs.value(1).get();
    REQUIRE(on_1.size() == 1);
    const auto& [path, dir] = *on_1.begin();
    CHECK(path == "/memory");
    CHECK_FALSE(dir.error);
    CHECK(dir.replicas.count({"placed", partition_id(0)}) == 1);
    CHECK(dir.replicas.count({"placed", partition_id(1)}) == 0);
    const auto on_2 = dirs.value(2).get();
    CHECK(on_2.begin()->second.replicas.count({"placed", partition_id(1)}) == 1);
    CHECK(on_2.begin()->second.replicas.count({"placed", partition_id(2)}) == 1);
    CHECK(dirs.value(3).get().begin()->second.replicas.empty());

    const topic_partition_replica here{"placed", 1, 2}, elsewhere{"placed", 1, 3};
    auto replicas = admin.describe_replica_log_dirs({here, elsewhere});
    CHECK(replicas.value(here).get().current_dir == "/memory");
    CHECK_FALSE(replicas.value(here).get().future_dir.has_value());
    CHECK_FALSE(replicas.value(elsewhere).get().current_dir.has_value());
}
