// The admin client's cluster operations against kafkit-broker (three nodes, in memory): log
// directories and the replicas in them, delegation tokens (refused without SASL), the
// metadata quorum, and describe_topics paging through DescribeTopicPartitions.

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

TEST_CASE_FIXTURE(admin_fixture, "admin: describe_topics pages through DescribeTopicPartitions and finds every partition") {
    admin.create_topics({{.name = "wide", .partitions = 5}, {.name = "narrow", .partitions = 1}}).all().get();
    auto described = admin.describe_topics({"wide", "narrow", "missing"}, {.partition_size_limit_per_response = 2});
    const auto wide = described.value("wide").get();
    REQUIRE(wide.partitions.size() == 5);
    for (std::int32_t p = 0; p < 5; ++p) CHECK(wide.partitions[static_cast<std::size_t>(p)].partition == p);
    CHECK(described.value("narrow").get().partitions.size() == 1);
    CHECK(error_of(described.value("missing")) == kafkit::kafka_errc::unknown_topic_or_partition);

    // Six partitions in pages of two take three DescribeTopicPartitions requests: an error
    // injected into the third reaches the topics of that page, so the client did page
    // (a client that stopped early, or fell back to Metadata, would not see it).
    constexpr std::int16_t describe_topic_partitions_key = 75, topic_authorization_failed = 29;
    cluster.faults().push_request_errors(describe_topic_partitions_key, {0, 0, topic_authorization_failed}, -1);
    auto paged = admin.describe_topics({"wide", "narrow"}, {.partition_size_limit_per_response = 2});
    CHECK(error_of(paged.value("wide")) == kafkit::kafka_errc::topic_authorization_failed);
    CHECK(error_of(paged.value("narrow")) == kafkit::kafka_errc::topic_authorization_failed);
}

TEST_CASE_FIXTURE(admin_fixture, "admin: delegation tokens are refused on a plaintext listener, as Kafka refuses them") {
    CHECK(error_of(admin.create_delegation_token()) == kafkit::kafka_errc::delegation_token_request_not_allowed);
    CHECK(error_of(admin.describe_delegation_tokens()) == kafkit::kafka_errc::delegation_token_request_not_allowed);
    CHECK(error_of(admin.renew_delegation_token({1, 2, 3})) == kafkit::kafka_errc::delegation_token_request_not_allowed);
    CHECK(error_of(admin.expire_delegation_token({1, 2, 3})) == kafkit::kafka_errc::delegation_token_request_not_allowed);
}

TEST_CASE_FIXTURE(admin_fixture, "admin: the metadata quorum is led by the controller; no client metrics resources") {
    const auto cluster_info = admin.describe_cluster().get();
    const auto quorum = admin.describe_metadata_quorum().get();
    REQUIRE(cluster_info.controller.has_value());
    CHECK(quorum.leader_id == cluster_info.controller->id.value());
    REQUIRE(quorum.voters.size() == 1);
    CHECK(quorum.voters[0].replica_id == quorum.leader_id);
    CHECK(admin.list_client_metrics_resources().get().empty());
}

TEST_CASE_FIXTURE(admin_fixture, "admin: describe_features and update_features, checked and applied by the controller") {
    const auto before = admin.describe_features().get();
    REQUIRE(before.supported.count("metadata.version") == 1);
    CHECK(before.supported.at("metadata.version").min_version == 1);
    CHECK(before.supported.at("kraft.version").max_version == 1);
    CHECK(before.finalized.at("metadata.version").max_version == 21);
    CHECK(before.finalized.count("kraft.version") == 0);
    REQUIRE(before.finalized_epoch.has_value());

    // Validate only changes nothing; one bad update fails them all.
    admin.update_features({{"kraft.version", {.max_version_level = 1}}}, {.validate_only = true}).all().get();
    CHECK(admin.describe_features().get().finalized.count("kraft.version") == 0);
    auto refused = admin.update_features({{"kraft.version", {.max_version_level = 1}}, {"no.such", {.max_version_level = 1}}});
    CHECK(error_of(refused.value("no.such")) == kafkit::kafka_errc::invalid_update_version);
    CHECK(error_of(refused.value("kraft.version")) == kafkit::kafka_errc::invalid_update_version);
    CHECK(error_of(admin.update_features({{"group.version", {.max_version_level = 0}}}).all()) ==
          kafkit::kafka_errc::invalid_update_version); // a downgrade needs a downgrade type

    admin.update_features({{"kraft.version", {.max_version_level = 1}},
                           {"group.version", {.max_version_level = 0, .upgrade_type = feature_update::kind::safe_downgrade}}})
        .all()
        .get();
    const auto after = admin.describe_features().get();
    CHECK(after.finalized.at("kraft.version").max_version == 1);
    CHECK(after.finalized.count("group.version") == 0);
    CHECK(after.finalized_epoch.value() > before.finalized_epoch.value());
}

TEST_CASE_FIXTURE(admin_fixture, "admin: unregister_broker knows the cluster's brokers") {
    admin.unregister_broker(3).get();
    CHECK(error_of(admin.unregister_broker(42)) == kafkit::kafka_errc::broker_id_not_registered);
    // Brokers of the process register again at once, as a live Kafka broker does.
    CHECK(admin.describe_cluster().get().nodes.size() == 3);
}
