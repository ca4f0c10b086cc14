#pragma once
// Helpers for the admin API tests: building CreateTopics / DescribeConfigs /
// IncrementalAlterConfigs requests and finding entries in their answers.

#include "broker_test_client.hpp"
#include "embedded_broker.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/create_topics.hpp"
#include "kafkit/protocol/messages/describe_configs.hpp"
#include "kafkit/protocol/messages/incremental_alter_configs.hpp"
#include "kafkit/protocol/messages/metadata.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kafkit::testing::admin {

using namespace kafkit::protocol;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

/// A Kafka error code as the wire carries it.
inline std::int16_t code(kafka_errc e) { return static_cast<std::int16_t>(e); }
using opt = std::optional<std::string>;

inline constexpr std::int8_t topic_resource = 2;
inline constexpr std::int8_t broker_resource = 4;
inline constexpr std::int8_t logger_resource = 8;

/// ConfigSource values (KIP-226).
inline constexpr std::int8_t from_topic = 1, from_dynamic_broker = 2, from_dynamic_default = 3, from_static = 4,
                             from_default = 5;

/// A fresh directory under the system temp dir, removed at the end of the test.
struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("kafkit-admin-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

/// Runs `before` against a broker on a fresh data dir, restarts the broker on that dir and
/// runs `after` against it: what `before` stored must come back.
template <class Before, class After>
void across_restart(Before before, After after) {
    temp_dir dir;
    broker::broker_config config;
    config.data_dir = dir.path;
    {
        embedded_broker first(config);
        broker_test_client client(first.port());
        before(client);
    }
    embedded_broker second(config);
    broker_test_client client(second.port());
    after(client);
}

/// A CreateTopics entry.
inline create_topics_request::creatable_topic new_topic(const std::string& name, std::int32_t partitions = -1,
                                                        std::int16_t replication_factor = -1,
                                                        std::map<std::string, std::string> configs = {}) {
    create_topics_request::creatable_topic t;
    t.name = name;
    t.num_partitions = partitions;
    t.replication_factor = replication_factor;
    for (const auto& [k, v] : configs) {
        create_topics_request::creatable_topic_config c;
        c.name = k;
        c.value = v;
        t.configs.push_back(c);
    }
    return t;
}

/// Sends CreateTopics with `topics`.
inline create_topics_response create_topics(broker_test_client& client,
                                            std::vector<create_topics_request::creatable_topic> topics,
                                            std::int16_t version = 7, bool validate_only = false) {
    create_topics_request request;
    request.topics = std::move(topics);
    request.timeout_ms = 5000;
    request.validate_only = validate_only;
    return client.call<create_topics_response>(request, version);
}

/// Creates one topic and requires success.
inline create_topics_response::creatable_topic_result create_topic(broker_test_client& client, const std::string& name,
                                                                   std::int32_t partitions = 1,
                                                                   std::map<std::string, std::string> configs = {}) {
    auto response = create_topics(client, {new_topic(name, partitions, -1, std::move(configs))});
    REQUIRE(response.topics.size() == 1);
    REQUIRE_MESSAGE(response.topics[0].error_code == 0, response.topics[0].error_message.value_or(""));
    return response.topics[0];
}

/// Describes one resource.
inline describe_configs_response::describe_configs_result
describe(broker_test_client& client, std::int8_t type, const std::string& name,
         std::optional<std::vector<std::string>> keys = std::nullopt, std::int16_t version = 4,
         bool synonyms = true, bool documentation = false) {
    describe_configs_request request;
    describe_configs_request::describe_configs_resource r;
    r.resource_type = type;
    r.resource_name = name;
    r.configuration_keys = std::move(keys);
    request.resources.push_back(r);
    request.include_synonyms = synonyms;
    request.include_documentation = documentation;
    auto response = client.call<describe_configs_response>(request, version);
    REQUIRE(response.results.size() == 1);
    return response.results[0];
}

/// The entry named `name`; throws when there is none.
inline const describe_configs_response::describe_configs_resource_result&
entry(const describe_configs_response::describe_configs_result& result, const std::string& name) {
    for (const auto& c : result.configs)
        if (c.name == name) return c;
    throw std::runtime_error("no config " + name + " in the answer");
}

/// The (name, value, source) of each synonym, for compact assertions.
inline std::vector<std::tuple<std::string, std::optional<std::string>, std::int8_t>>
synonyms(const describe_configs_response::describe_configs_resource_result& c) {
    std::vector<std::tuple<std::string, std::optional<std::string>, std::int8_t>> out;
    for (const auto& s : c.synonyms) out.emplace_back(s.name, s.value, s.source);
    return out;
}

/// One IncrementalAlterConfigs operation.
struct config_op {
    std::string name;
    std::int8_t op; ///< 0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT
    std::optional<std::string> value;
};

/// Sends IncrementalAlterConfigs for one resource; returns (error code, message).
inline std::pair<std::int16_t, std::optional<std::string>>
incremental_alter(broker_test_client& client, std::int8_t type, const std::string& name,
                  std::initializer_list<config_op> ops, bool validate_only = false, std::int16_t version = 1) {
    incremental_alter_configs_request request;
    incremental_alter_configs_request::alter_configs_resource r;
    r.resource_type = type;
    r.resource_name = name;
    for (const auto& o : ops) {
        incremental_alter_configs_request::alterable_config c;
        c.name = o.name;
        c.config_operation = o.op;
        c.value = o.value;
        r.configs.push_back(c);
    }
    request.resources.push_back(r);
    request.validate_only = validate_only;
    auto response = client.call<incremental_alter_configs_response>(request, version);
    REQUIRE(response.responses.size() == 1);
    CHECK(response.responses[0].resource_name == name);
    CHECK(response.responses[0].resource_type == type);
    return {response.responses[0].error_code, response.responses[0].error_message};
}

/// Metadata for one topic (no auto-creation).
inline metadata_response::metadata_response_topic topic_metadata(broker_test_client& client, const std::string& name) {
    metadata_request request;
    metadata_request::metadata_request_topic t;
    t.name = name;
    request.topics = std::vector{t};
    request.allow_auto_topic_creation = false;
    auto response = client.call<metadata_response>(request, 12);
    REQUIRE(response.topics.size() == 1);
    return response.topics[0];
}

} // namespace kafkit::testing::admin
