// CreateTopics, DeleteTopics and CreatePartitions against the embedded broker: what gets
// created, what v5+ answers about it, and each error with Kafka's code and message.

#include "admin_support.hpp"
#include "kafkit/protocol/messages/create_partitions.hpp"
#include "kafkit/protocol/messages/delete_topics.hpp"

#include <algorithm>

using namespace kafkit;
using namespace kafkit::protocol;
using namespace kafkit::testing::admin;

namespace {

broker::broker_config cluster(int brokers, std::int32_t partitions = 1) {
    broker::broker_config config;
    config.brokers = brokers;
    config.num_partitions = partitions;
    return config;
}


} // namespace

TEST_CASE("create topics: defaults, explicit counts and configs, described in the v7 answer") {
    embedded_broker broker(cluster(3, 4));
    broker_test_client client(broker.port());
    auto response = create_topics(client, {new_topic("defaults"), new_topic("explicit", 2, 3, {{"cleanup.policy", "compact"}})});
    REQUIRE(response.topics.size() == 2);

    const auto& d = response.topics[0];
    CHECK(d.name == "defaults");
    CHECK(d.error_code == 0);
    CHECK(d.error_message == std::nullopt);
    CHECK(d.num_partitions == 4);
    CHECK(d.replication_factor == 1);
    CHECK_FALSE(d.topic_id.is_zero());
    REQUIRE(d.configs);
    CHECK(d.configs->size() == 36);
    CHECK(std::is_sorted(d.configs->begin(), d.configs->end(), [](const auto& a, const auto& b) { return a.name < b.name; }));

    const auto& e = response.topics[1];
    CHECK(e.error_code == 0);
    CHECK(e.num_partitions == 2);
    CHECK(e.replication_factor == 3);
    auto policy = std::find_if(e.configs->begin(), e.configs->end(), [](const auto& c) { return c.name == "cleanup.policy"; });
    REQUIRE(policy != e.configs->end());
    CHECK(policy->value == std::optional<std::string>("compact"));
    CHECK(policy->config_source == from_topic);
    auto retention = std::find_if(e.configs->begin(), e.configs->end(), [](const auto& c) { return c.name == "retention.ms"; });
    CHECK(retention->value == std::optional<std::string>("604800000"));
    CHECK(retention->config_source == from_default);

    auto md = topic_metadata(client, "explicit");
    CHECK(md.error_code == 0);
    CHECK(md.topic_id == e.topic_id);
    REQUIRE(md.partitions.size() == 2);
    CHECK(md.partitions[0].replica_nodes.size() == 3);
    CHECK(topic_metadata(client, "defaults").partitions.size() == 4);
}

TEST_CASE("create topics: an explicit replica assignment places replicas and leaders") {
    embedded_broker broker(cluster(3));
    broker_test_client client(broker.port());
    auto t = new_topic("placed");
    for (auto [index, replicas] : {std::pair{1, std::vector<std::int32_t>{3, 1}}, std::pair{0, std::vector<std::int32_t>{2, 3}}}) {
        create_topics_request::creatable_replica_assignment a;
        a.partition_index = index;
        a.broker_ids = replicas;
        t.assignments.push_back(a);
    }
    auto response = create_topics(client, {t});
    REQUIRE(response.topics[0].error_code == 0);
    CHECK(response.topics[0].num_partitions == 2);
    CHECK(response.topics[0].replication_factor == 2);
    auto md = topic_metadata(client, "placed");
    REQUIRE(md.partitions.size() == 2);
    CHECK(md.partitions[0].replica_nodes == std::vector<std::int32_t>{2, 3});
    CHECK(md.partitions[0].leader_id == 2);
    CHECK(md.partitions[1].replica_nodes == std::vector<std::int32_t>{3, 1});
    CHECK(md.partitions[1].leader_id == 3);
}

TEST_CASE("create topics: validate_only answers as a creation would and creates nothing") {
    embedded_broker broker(cluster(1, 3));
    broker_test_client client(broker.port());
    auto response = create_topics(client, {new_topic("dry", -1, -1, {{"retention.ms", "1000"}})}, 7, true);
    REQUIRE(response.topics.size() == 1);
    CHECK(response.topics[0].error_code == 0);
    CHECK(response.topics[0].num_partitions == 3);
    CHECK(topic_metadata(client, "dry").error_code == code(kafka_errc::unknown_topic_or_partition));
    // And an invalid one is refused the same way.
    auto bad = create_topics(client, {new_topic("dry", 0)}, 7, true);
    CHECK(bad.topics[0].error_code == code(kafka_errc::invalid_partitions));
}

TEST_CASE("create topics: each error with Kafka's code and message") {
    embedded_broker broker(cluster(3));
    broker_test_client client(broker.port());
    create_topic(client, "taken");
    create_topic(client, "with.dot");
    auto assigned = new_topic("assigned", 2);
    create_topics_request::creatable_replica_assignment a;
    a.partition_index = 0;
    a.broker_ids = {1};
    assigned.assignments.push_back(a);
    auto unknown_broker = new_topic("unknown-broker");
    a.broker_ids = {1, 9};
    unknown_broker.assignments.push_back(a);
    auto null_config = new_topic("null-config");
    create_topics_request::creatable_topic_config nc;
    nc.name = "retention.ms";
    nc.value = std::nullopt;
    null_config.configs.push_back(nc);

    auto response = create_topics(client, {new_topic("taken"), new_topic("bad name!"), new_topic("with_dot"),
                                           new_topic("zero", 0), new_topic("rf0", 1, 0), new_topic("rf5", 1, 5),
                                           new_topic("unknown-config", 1, -1, {{"frobnicate", "1"}}),
                                           new_topic("bad-value", 1, -1, {{"retention.ms", "abc"}}), assigned,
                                           unknown_broker, null_config, new_topic("twice"), new_topic("twice")});
    std::map<std::string, std::pair<std::int16_t, std::string>> got;
    for (const auto& t : response.topics) got[t.name] = {t.error_code, t.error_message.value_or("")};
    CHECK(response.topics.size() == 12); // "twice" is answered once
    using P = std::pair<std::int16_t, std::string>;
    CHECK(got["taken"] == P{code(kafka_errc::topic_already_exists), "Topic 'taken' already exists."});
    CHECK(got["bad name!"] == P{code(kafka_errc::invalid_topic_exception),
                                "Topic name \"bad name!\" is illegal, it contains a character other than ASCII "
                                "alphanumerics, '.', '_' and '-'"});
    CHECK(got["with_dot"] == P{code(kafka_errc::invalid_topic_exception),
                               "Topic 'with_dot' collides with existing topic: with.dot"});
    CHECK(got["zero"] == P{code(kafka_errc::invalid_partitions),
                           "Number of partitions was set to an invalid non-positive value."});
    CHECK(got["rf0"] == P{code(kafka_errc::invalid_replication_factor),
                          "Replication factor must be larger than 0, or -1 to use the default value."});
    CHECK(got["rf5"] == P{code(kafka_errc::invalid_replication_factor),
                          "Unable to replicate the partition 5 time(s): The target replication factor of 5 cannot "
                          "be reached because only 3 broker(s) are registered."});
    CHECK(got["unknown-config"] == P{code(kafka_errc::invalid_config), "Unknown topic config name: frobnicate"});
    CHECK(got["bad-value"] == P{code(kafka_errc::invalid_config),
                                "Invalid value abc for configuration retention.ms: Not a number of type LONG"});
    CHECK(got["assigned"] == P{code(kafka_errc::invalid_request),
                               "A manual partition assignment was specified, but numPartitions was not set to -1."});
    CHECK(got["unknown-broker"] == P{code(kafka_errc::invalid_replica_assignment),
                                     "The manual partition assignment includes broker 9, but no such broker is "
                                     "registered."});
    CHECK(got["null-config"] == P{code(kafka_errc::invalid_config), "Null value not supported for topic configs: retention.ms"});
    CHECK(got["twice"] == P{code(kafka_errc::invalid_request), "Duplicate topic name."});
    // v0 has no message field: the code alone. Older versions still create topics.
    auto v0 = create_topics(client, {new_topic("taken", 1, 1)}, 0);
    CHECK(v0.topics[0].error_code == code(kafka_errc::topic_already_exists));
    for (std::int16_t version = 0; version <= 7; ++version) {
        const auto name = "v" + std::to_string(version);
        auto created = create_topics(client, {new_topic(name, 2, 1)}, version);
        REQUIRE(created.topics.size() == 1);
        CHECK(created.topics[0].error_code == 0);
        CHECK(topic_metadata(client, name).partitions.size() == 2);
    }
}

TEST_CASE("create topics and partitions: a request over Kafka's record limit is a policy violation") {
    embedded_broker broker(cluster(1));
    broker_test_client client(broker.port());
    auto huge = create_topics(client, {new_topic("huge", 20000)});
    REQUIRE(huge.topics.size() == 1);
    CHECK(huge.topics[0].error_code == code(kafka_errc::policy_violation));
    CHECK(huge.topics[0].error_message == std::optional<std::string>("Unable to perform excessively large batch operation."));
    CHECK(topic_metadata(client, "huge").error_code == code(kafka_errc::unknown_topic_or_partition));

    create_topic(client, "small");
    create_partitions_request request;
    create_partitions_request::create_partitions_topic t;
    t.name = "small";
    t.count = 20001;
    t.assignments = std::nullopt;
    request.topics.push_back(t);
    auto grown = client.call<create_partitions_response>(request, 3);
    CHECK(grown.results[0].error_code == code(kafka_errc::policy_violation));
    CHECK(topic_metadata(client, "small").partitions.size() == 1);
}

TEST_CASE("delete topics: by name (v5) and by id (v6), with Kafka's errors") {
    embedded_broker broker(cluster(1));
    broker_test_client client(broker.port());
    create_topic(client, "by-name");
    const auto id = create_topic(client, "by-id").topic_id;
    create_topic(client, "kept");

    delete_topics_request by_name;
    by_name.topic_names = {"by-name", "missing"};
    auto r5 = client.call<delete_topics_response>(by_name, 5);
    REQUIRE(r5.responses.size() == 2);
    std::sort(r5.responses.begin(), r5.responses.end(), [](const auto& a, const auto& b) { return *a.name < *b.name; });
    CHECK(*r5.responses[0].name == "by-name");
    CHECK(r5.responses[0].error_code == 0);
    CHECK(*r5.responses[1].name == "missing");
    CHECK(r5.responses[1].error_code == code(kafka_errc::unknown_topic_or_partition));

    delete_topics_request by_id;
    delete_topics_request::delete_topic_state s;
    s.topic_id = id;
    by_id.topics.push_back(s);
    s.topic_id = uuid{};
    s.topic_id.bytes[15] = 7; // an id no topic has
    by_id.topics.push_back(s);
    auto r6 = client.call<delete_topics_response>(by_id, 6);
    REQUIRE(r6.responses.size() == 2);
    auto deleted = std::find_if(r6.responses.begin(), r6.responses.end(), [&](const auto& r) { return r.topic_id == id; });
    REQUIRE(deleted != r6.responses.end());
    CHECK(deleted->error_code == 0);
    CHECK(deleted->name == std::optional<std::string>("by-id"));
    auto unknown = std::find_if(r6.responses.begin(), r6.responses.end(), [&](const auto& r) { return r.topic_id != id; });
    CHECK(unknown->error_code == code(kafka_errc::unknown_topic_id));
    CHECK(unknown->name == std::nullopt);

    CHECK(topic_metadata(client, "by-name").error_code == code(kafka_errc::unknown_topic_or_partition));
    CHECK(topic_metadata(client, "by-id").error_code == code(kafka_errc::unknown_topic_or_partition));
    CHECK(topic_metadata(client, "kept").error_code == 0);

    delete_topics_request dup;
    dup.topic_names = {"kept", "kept"};
    auto rd = client.call<delete_topics_response>(dup, 5);
    REQUIRE(rd.responses.size() == 1);
    CHECK(rd.responses[0].error_code == code(kafka_errc::invalid_request));
    CHECK(rd.responses[0].error_message == std::optional<std::string>("Duplicate topic name."));
    CHECK(topic_metadata(client, "kept").error_code == 0);
}

TEST_CASE("create partitions: grows a topic, validate_only leaves it, errors as Kafka") {
    embedded_broker broker(cluster(3));
    broker_test_client client(broker.port());
    create_topic(client, "grow");
    auto call = [&](const std::string& name, std::int32_t count,
                    std::optional<std::vector<std::vector<std::int32_t>>> assignment, bool validate_only) {
        create_partitions_request request;
        create_partitions_request::create_partitions_topic t;
        t.name = name;
        t.count = count;
        if (assignment) {
            std::vector<create_partitions_request::create_partitions_assignment> as;
            for (const auto& ids : *assignment) {
                create_partitions_request::create_partitions_assignment a;
                a.broker_ids = ids;
                as.push_back(a);
            }
            t.assignments = as;
        } else {
            t.assignments = std::nullopt;
        }
        request.topics.push_back(t);
        request.validate_only = validate_only;
        auto response = client.call<create_partitions_response>(request, 3);
        REQUIRE(response.results.size() == 1);
        return std::pair{response.results[0].error_code, response.results[0].error_message.value_or("")};
    };
    using P = std::pair<std::int16_t, std::string>;
    CHECK(call("grow", 3, std::nullopt, true) == P{0, ""});
    CHECK(topic_metadata(client, "grow").partitions.size() == 1);
    CHECK(call("grow", 3, std::vector<std::vector<std::int32_t>>{{2}, {3}}, false) == P{0, ""});
    auto md = topic_metadata(client, "grow");
    REQUIRE(md.partitions.size() == 3);
    CHECK(md.partitions[1].replica_nodes == std::vector<std::int32_t>{2});
    CHECK(md.partitions[2].leader_id == 3);

    CHECK(call("grow", 3, std::nullopt, false) ==
          P{code(kafka_errc::invalid_partitions), "Topic already has 3 partition(s)."});
    CHECK(call("grow", 2, std::nullopt, false) ==
          P{code(kafka_errc::invalid_partitions), "The topic grow currently has 3 partition(s); 2 would not be an increase."});
    CHECK(call("grow", 5, std::vector<std::vector<std::int32_t>>{{1}}, false) ==
          P{code(kafka_errc::invalid_replica_assignment),
            "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified."});
    CHECK(call("grow", 4, std::vector<std::vector<std::int32_t>>{{1, 2}}, false) ==
          P{code(kafka_errc::invalid_replica_assignment),
            "The manual partition assignment includes a partition with 2 replica(s), but this is not consistent "
            "with previous partitions, which have 1 replica(s)."});
    CHECK(call("nope", 4, std::nullopt, false) == P{code(kafka_errc::unknown_topic_or_partition), ""});
    CHECK(topic_metadata(client, "grow").partitions.size() == 3);
}

TEST_CASE("topic admin: injected errors answer every topic") {
    embedded_broker broker(cluster(1));
    broker_test_client client(broker.port());
    broker.get().faults().push_request_errors(-1, 19, {broker::injected_error{static_cast<std::int16_t>(kafka_errc::not_controller)}});
    auto response = create_topics(client, {new_topic("a"), new_topic("b")});
    REQUIRE(response.topics.size() == 2);
    for (const auto& t : response.topics) CHECK(t.error_code == code(kafka_errc::not_controller));
    CHECK(topic_metadata(client, "a").error_code == code(kafka_errc::unknown_topic_or_partition));
    // The next request is served normally.
    CHECK(create_topics(client, {new_topic("a")}).topics[0].error_code == 0);

    const auto injected = static_cast<std::int16_t>(kafka_errc::request_timed_out);
    broker.get().faults().push_request_errors(-1, 20, {broker::injected_error{injected}});
    delete_topics_request del;
    del.topic_names = {"a"};
    auto deleted = client.call<delete_topics_response>(del, 5);
    REQUIRE(deleted.responses.size() == 1);
    CHECK(deleted.responses[0].error_code == injected);
    CHECK(topic_metadata(client, "a").error_code == 0);

    broker.get().faults().push_request_errors(-1, 37, {broker::injected_error{injected}});
    create_partitions_request grow;
    create_partitions_request::create_partitions_topic t;
    t.name = "a";
    t.count = 2;
    t.assignments = std::nullopt;
    grow.topics.push_back(t);
    auto grown = client.call<create_partitions_response>(grow, 3);
    REQUIRE(grown.results.size() == 1);
    CHECK(grown.results[0].error_code == injected);
    CHECK(topic_metadata(client, "a").partitions.size() == 1);
}
