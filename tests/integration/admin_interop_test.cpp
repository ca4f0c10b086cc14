// What the admin client makes or changes, seen by peers nobody here wrote, and the reverse:
// confluent-kafka-python's AdminClient and consumer (admin_confluent.py) and kcat -L -J, on
// the same kafkit-broker.

#include "admin_support.hpp"
#include "child_command.hpp"

#include <nlohmann/json.hpp>

#include "kafkit/consumer.hpp"
#include "kafkit/producer.hpp"

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::partition_id;
using kafkit::record_offset;
using kafkit::topic_partition;
using nlohmann::json;

namespace {

using partition_view = std::map<int, std::tuple<int, std::vector<int>, std::vector<int>>>;

/// For failure messages: "0: leader 1 replicas [1] isr [1]; ...".
std::string text_of(const partition_view& v) {
    std::string out;
    for (const auto& [id, p] : v) {
        out += std::to_string(id) + ": leader " + std::to_string(std::get<0>(p)) + " replicas [";
        for (auto r : std::get<1>(p)) out += std::to_string(r) + " ";
        out += "] isr [";
        for (auto r : std::get<2>(p)) out += std::to_string(r) + " ";
        out += "]; ";
    }
    return out;
}

/// Runs admin_confluent.py's `command` with `args`; REQUIREs it succeeded and returns its JSON.
json confluent(const kafkit::testcontainers::cluster& cluster, const std::string& command, const json& args) {
    const auto result = run("/usr/bin/python3 " + std::string(KAFKIT_ADMIN_CONFLUENT) + " " + cluster.bootstrap_servers() +
                                " " + command + " '" + args.dump() + "'",
                            60s);
    INFO(result.err);
    REQUIRE(result.status == 0);
    return json::parse(result.out);
}

/// kcat -L -J's topic `name`: partition id to (leader, sorted replica ids, sorted isr ids).
std::map<int, std::tuple<int, std::vector<int>, std::vector<int>>> kcat_topic(const kafkit::testcontainers::cluster& cluster,
                                                                              const std::string& name) {
    const auto result = run("kcat -b " + cluster.bootstrap_servers() + " -L -J -t " + name, 30s);
    INFO(result.err);
    REQUIRE(result.status == 0);
    std::map<int, std::tuple<int, std::vector<int>, std::vector<int>>> out;
    const auto listed = json::parse(result.out);
    for (const auto& t : listed.at("topics")) {
        if (t.at("topic").get<std::string>() != name) continue;
        for (const auto& p : t.at("partitions")) {
            std::vector<int> replicas, isrs;
            for (const auto& r : p.at("replicas")) replicas.push_back(r.at("id").get<int>());
            for (const auto& r : p.at("isrs")) isrs.push_back(r.at("id").get<int>());
            std::sort(replicas.begin(), replicas.end());
            std::sort(isrs.begin(), isrs.end());
            out[p.at("partition").get<int>()] = {p.at("leader").get<int>(), replicas, isrs};
        }
    }
    return out;
}

/// kafkit's description of `name` in the same shape.
std::map<int, std::tuple<int, std::vector<int>, std::vector<int>>> kafkit_topic(kafkit::admin_client& admin,
                                                                               const std::string& name) {
    std::map<int, std::tuple<int, std::vector<int>, std::vector<int>>> out;
    const auto described = admin.describe_topics({name}).value(name).get(); // a copy: get() gives a reference
    for (const auto& p : described.partitions) {
        std::vector<int> replicas, isrs;
        for (const auto& n : p.replicas) replicas.push_back(n.id.value());
        for (const auto& n : p.in_sync_replicas) isrs.push_back(n.id.value());
        std::sort(replicas.begin(), replicas.end());
        std::sort(isrs.begin(), isrs.end());
        out[p.partition] = {p.leader ? p.leader->id.value() : -1, replicas, isrs};
    }
    return out;
}

std::map<int, std::tuple<int, std::vector<int>, std::vector<int>>> confluent_topic(const json& described, const std::string& name) {
    std::map<int, std::tuple<int, std::vector<int>, std::vector<int>>> out;
    for (const auto& [id, p] : described.at(name).at("partitions").items())
        out[std::stoi(id)] = {p.at("leader").get<int>(), p.at("replicas").get<std::vector<int>>(), p.at("isrs").get<std::vector<int>>()};
    return out;
}

} // namespace

TEST_CASE_FIXTURE(admin_fixture, "admin interop: a topic kafkit creates is described alike by confluent-kafka-python and "
                                 "kcat, and one they create by kafkit") {
    admin.create_topics({{.name = "made-by-kafkit", .partitions = 3, .configs = {{"retention.ms", "123456"}}}}).all().get();
    const auto ours = kafkit_topic(admin, "made-by-kafkit");
    REQUIRE(ours.size() == 3);

    CHECK(confluent_topic(confluent(cluster, "describe", {{"topics", {"made-by-kafkit"}}}), "made-by-kafkit") == ours);
    const auto kcat_view = kcat_topic(cluster, "made-by-kafkit");
    INFO("kcat: " << text_of(kcat_view) << " kafkit: " << text_of(ours));
    CHECK(kcat_view == ours);
    CHECK(confluent(cluster, "configs", {{"topic", "made-by-kafkit"}}).at("retention.ms") == "123456");

    confluent(cluster, "create", {{"topic", "made-by-confluent"}, {"partitions", 2}, {"configs", {{"cleanup.policy", "compact"}}}});
    const auto theirs = kafkit_topic(admin, "made-by-confluent");
    CHECK(theirs.size() == 2);
    CHECK(kcat_topic(cluster, "made-by-confluent") == theirs);
    const kafkit::admin::config_resource r{kafkit::admin::config_resource_type::topic, "made-by-confluent"};
    const auto entries = admin.describe_configs({r}).value(r).get();
    const auto policy = std::find_if(entries.begin(), entries.end(), [](const auto& e) { return e.name == "cleanup.policy"; });
    REQUIRE(policy != entries.end());
    CHECK(policy->value == "compact");
}

TEST_CASE_FIXTURE(admin_fixture, "admin interop: group offsets set by either side are read alike by the other, and "
                                 "kafkit's lag is what a confluent consumer computes") {
    admin.create_topics({{.name = "jobs", .partitions = 2}}).all().get();
    {
        kafkit::producer producer(producer_config(cluster));
        for (int i = 0; i < 10; ++i)
            producer.send({.topic = "jobs", .partition = partition_id(i % 2), .value = std::string("v")}).get();
    }
    admin.alter_consumer_group_offsets("set-by-kafkit", {{{"jobs", partition_id(0)}, {record_offset(2), std::nullopt, ""}},
                                                         {{"jobs", partition_id(1)}, {record_offset(4), std::nullopt, ""}}})
        .all()
        .get();
    CHECK(confluent(cluster, "committed", {{"group", "set-by-kafkit"}, {"topic", "jobs"}, {"partitions", 2}}) ==
          json{{"0", 2}, {"1", 4}});
    CHECK(confluent(cluster, "groups", json::object()).at("groups").get<std::vector<std::string>>() ==
          [&] {
              std::vector<std::string> ids;
              const auto listed = admin.list_consumer_groups().get();
              for (const auto& g : listed.groups) ids.push_back(g.group_id);
              return ids;
          }());

    confluent(cluster, "commit", {{"group", "set-by-confluent"}, {"topic", "jobs"}, {"offsets", {{"0", 5}, {"1", 1}}}});
    const auto theirs = admin.list_consumer_group_offsets({{"set-by-confluent", std::nullopt}}).value("set-by-confluent").get();
    REQUIRE(theirs.size() == 2);
    CHECK(theirs.at({"jobs", partition_id(0)}).offset == record_offset(5));
    CHECK(theirs.at({"jobs", partition_id(1)}).offset == record_offset(1));

    for (const auto* group : {"set-by-kafkit", "set-by-confluent"}) {
        const auto lag = admin.consumer_group_lag(group).get();
        const auto seen = confluent(cluster, "lag", {{"group", group}, {"topic", "jobs"}, {"partitions", 2}});
        REQUIRE(lag.size() == 2);
        for (const auto& [tp, l] : lag) CHECK(seen.at(std::to_string(tp.partition.value())).get<std::int64_t>() == l.lag);
    }
}
