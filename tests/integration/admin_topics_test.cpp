// The admin client's topic, config and cluster operations against kafkit-broker (three
// nodes): each operation, then the state read back; per-entity errors beside successes.

#include "admin_support.hpp"

#include <algorithm>
#include <thread>

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::admin::config_resource;
using kafkit::admin::config_resource_type;
using kafkit::kafka_errc;

namespace {

/// The value of `name` among `entries`, or nullopt.
std::optional<std::string> value_of(const std::vector<kafkit::admin::config_entry>& entries, const std::string& name) {
    for (const auto& e : entries)
        if (e.name == name) return e.value;
    return std::nullopt;
}

} // namespace

TEST_CASE_FIXTURE(admin_fixture, "admin: describe_cluster lists the three brokers, the controller and the cluster id") {
    const auto d = admin.describe_cluster({.include_authorized_operations = true}).get();
    REQUIRE(d.nodes.size() == 3);
    CHECK_FALSE(d.cluster_id.empty());
    REQUIRE(d.controller.has_value());
    CHECK(std::find(d.nodes.begin(), d.nodes.end(), *d.controller) != d.nodes.end());
    const auto nodes = cluster.nodes();
    for (const auto& n : d.nodes) {
        CHECK(n.host == "127.0.0.1");
        CHECK(std::any_of(nodes.begin(), nodes.end(), [&](const auto& a) { return a.port == n.port; }));
    }
    REQUIRE(d.authorized_operations.has_value());
    CHECK(d.authorized_operations->count(kafkit::admin::acl_operation::describe) == 1);
}

TEST_CASE_FIXTURE(admin_fixture, "admin: created topics are described with their partitions and configs; a "
                                 "duplicate fails alone") {
    auto created = admin.create_topics({{.name = "orders", .partitions = 4, .replication_factor = 1,
                                         .configs = {{"retention.ms", "3600000"}}},
                                        {.name = "assigned", .replica_assignments = {{0, {1}}, {1, {2}}, {2, {3}}}}});
    const auto orders = created.value("orders").get();
    CHECK(orders.partitions == 4);
    CHECK(orders.replication_factor == 1);
    CHECK_FALSE(orders.id.is_zero());
    CHECK(value_of(orders.configs, "retention.ms") == "3600000");
    CHECK(created.value("assigned").get().partitions == 3);
    CHECK_NOTHROW(created.all().get());

    auto again = admin.create_topics({{.name = "orders", .partitions = 1}, {.name = "fresh", .partitions = 2}});
    CHECK(error_of(again.value("orders")) == kafka_errc::topic_already_exists);
    CHECK_FALSE(error_of(again.value("fresh")));
    CHECK(error_of(again.all()) == kafka_errc::topic_already_exists);

    const auto described = admin.describe_topics({"orders", "assigned", "missing"});
    const auto d = described.value("orders").get();
    CHECK(d.name == "orders");
    CHECK(d.id == orders.id);
    REQUIRE(d.partitions.size() == 4);
    for (std::int32_t p = 0; p < 4; ++p) {
        CHECK(d.partitions[static_cast<std::size_t>(p)].partition == p);
        REQUIRE(d.partitions[static_cast<std::size_t>(p)].leader.has_value());
        CHECK(d.partitions[static_cast<std::size_t>(p)].replicas.size() == 1);
        CHECK(d.partitions[static_cast<std::size_t>(p)].in_sync_replicas.size() == 1);
    }
    const auto a = described.value("assigned").get();
    REQUIRE(a.partitions.size() == 3);
    for (std::int32_t p = 0; p < 3; ++p) {
        const auto& partition = a.partitions[static_cast<std::size_t>(p)];
        REQUIRE(partition.replicas.size() == 1);
        CHECK(partition.replicas[0].id.value() == p + 1);
        CHECK(partition.leader->id.value() == p + 1);
        CHECK_FALSE(partition.leader->host.empty());
    }
    CHECK(error_of(described.value("missing")) == kafka_errc::unknown_topic_or_partition);

    const auto configs = admin.describe_configs({{config_resource_type::topic, "orders"}}, {.include_synonyms = true});
    const auto entries = configs.value({config_resource_type::topic, "orders"}).get();
    const auto retention = std::find_if(entries.begin(), entries.end(), [](const auto& e) { return e.name == "retention.ms"; });
    REQUIRE(retention != entries.end());
    CHECK(retention->value == "3600000");
    CHECK(retention->source == kafkit::admin::config_source::dynamic_topic_config);
    CHECK_FALSE(retention->is_default);
}

TEST_CASE_FIXTURE(admin_fixture, "admin: validate_only creates nothing; bad settings fail per topic") {
    auto checked = admin.create_topics({{.name = "dry", .partitions = 2}}, {{}, true});
    CHECK(checked.value("dry").get().partitions == 2);
    CHECK(error_of(admin.describe_topics({"dry"}).value("dry")) == kafka_errc::unknown_topic_or_partition);

    auto bad = admin.create_topics({{.name = "too-many-replicas", .partitions = 1, .replication_factor = 4},
                                    {.name = "bad-config", .partitions = 1, .configs = {{"cleanup.policy", "sideways"}}},
                                    {.name = "good", .partitions = 1}});
    CHECK(error_of(bad.value("too-many-replicas")) == kafka_errc::invalid_replication_factor);
    CHECK(error_of(bad.value("bad-config")) == kafka_errc::invalid_config);
    CHECK_FALSE(error_of(bad.value("good")));
}

TEST_CASE_FIXTURE(admin_fixture, "admin: list_topics, delete_topics by name and by id, create_partitions") {
    admin.create_topics({{.name = "a", .partitions = 1}, {.name = "b", .partitions = 1}, {.name = "c", .partitions = 2}})
        .all()
        .get();
    auto listed = admin.list_topics().get();
    CHECK(listed.count("a") == 1);
    CHECK(listed.count("b") == 1);
    CHECK(listed.count("c") == 1);
    CHECK(std::none_of(listed.begin(), listed.end(), [](const auto& t) { return t.second.internal; }));
    const auto id_of_b = listed.at("b").id;

    auto grown = admin.create_partitions({{"c", {.total_count = 5}}, {"a", {.total_count = 1}}, {"zz", {.total_count = 3}}});
    CHECK_FALSE(error_of(grown.value("c")));
    CHECK(error_of(grown.value("a")) == kafka_errc::invalid_partitions);
    CHECK(error_of(grown.value("zz")) == kafka_errc::unknown_topic_or_partition);
    CHECK(admin.describe_topics({"c"}).value("c").get().partitions.size() == 5);

    auto deleted = admin.delete_topics({"a", "nope"});
    CHECK_FALSE(error_of(deleted.value("a")));
    CHECK(error_of(deleted.value("nope")) == kafka_errc::unknown_topic_or_partition);
    CHECK_NOTHROW(admin.delete_topics_by_id({id_of_b}).all().get());
    listed = admin.list_topics().get();
    CHECK(listed.count("a") == 0);
    CHECK(listed.count("b") == 0);
    CHECK(listed.count("c") == 1);
}

TEST_CASE_FIXTURE(admin_fixture, "admin: incremental_alter_configs sets, appends and deletes; alter_configs replaces") {
    admin.create_topics({{.name = "t", .partitions = 1}}).all().get();
    const config_resource t{config_resource_type::topic, "t"};
    using op = kafkit::admin::alter_config_op;
    admin.incremental_alter_configs({{t,
                                      {{"retention.ms", "1000", op::kind::set},
                                       {"cleanup.policy", "compact", op::kind::append}}}})
        .all()
        .get();
    auto entries = admin.describe_configs({t}).value(t).get();
    CHECK(value_of(entries, "retention.ms") == "1000");
    CHECK(value_of(entries, "cleanup.policy") == "delete,compact");

    admin.incremental_alter_configs({{t, {{"retention.ms", std::nullopt, op::kind::delete_}}}}).all().get();
    entries = admin.describe_configs({t}).value(t).get();
    CHECK(value_of(entries, "retention.ms") == "604800000");

    auto bad = admin.incremental_alter_configs({{t, {{"no.such.config", "1", op::kind::set}}},
                                                {{config_resource_type::topic, "missing"}, {{"retention.ms", "1", op::kind::set}}}});
    CHECK(error_of(bad.value(t)) == kafka_errc::invalid_config);
    CHECK(error_of(bad.value({config_resource_type::topic, "missing"})) == kafka_errc::unknown_topic_or_partition);

    admin.alter_configs({{t, {{"segment.ms", "60000"}}}}).all().get();
    entries = admin.describe_configs({t}).value(t).get();
    CHECK(value_of(entries, "segment.ms") == "60000");
    CHECK(value_of(entries, "cleanup.policy") == "delete"); // not listed: back to its default

    // A broker's own config goes to that broker.
    const config_resource broker{config_resource_type::broker, "2"};
    const auto broker_entries = admin.describe_configs({broker}).value(broker).get();
    CHECK_FALSE(broker_entries.empty());
}

TEST_CASE("admin: a closed client fails what it is asked with errc::closed, at once") {
    kafkit::testcontainers::reference_cluster cluster;
    kafkit::admin_client admin(admin_config(cluster));
    admin.close();
    CHECK(error_of(admin.list_topics()) == kafkit::errc::closed);
    CHECK(error_of(admin.create_topics({{.name = "x"}}).value("x")) == kafkit::errc::closed);
    admin.close(); // idempotent
}

TEST_CASE("admin: an unreachable cluster fails operations with errc::timed_out after their timeout") {
    kafkit::admin_client admin({{"bootstrap.servers", "127.0.0.1:1"}, {"reconnect.backoff.ms", "10"},
                                {"retry.backoff.ms", "10"}});
    const auto start = std::chrono::steady_clock::now();
    auto f = admin.create_topics({{.name = "x"}}, {{300ms}});
    CHECK(error_of(f.value("x")) == kafkit::errc::timed_out);
    CHECK(std::chrono::steady_clock::now() - start < 10s);
}

TEST_CASE("admin: close() ends operations still waiting (on a connection, in a backoff) with errc::closed") {
    kafkit::admin_client admin({{"bootstrap.servers", "127.0.0.1:1"}, {"reconnect.backoff.ms", "10"},
                                {"retry.backoff.ms", "50"}});
    auto waiting = admin.create_topics({{.name = "x"}}, {{30s}});
    auto listing = admin.list_topics({{30s}});
    auto described = admin.describe_cluster({{30s}});
    std::this_thread::sleep_for(200ms); // a few attempts failed by now: some wait in a backoff
    const auto start = std::chrono::steady_clock::now();
    admin.close();
    CHECK(error_of(waiting.value("x")) == kafkit::errc::closed);
    CHECK(error_of(listing) == kafkit::errc::closed);
    CHECK(error_of(described) == kafkit::errc::closed);
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}
