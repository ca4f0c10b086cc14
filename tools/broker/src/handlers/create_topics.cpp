// CreateTopics (key 19, v0-7): creates topics (or, with validate_only, checks that they
// could be created) with a partition count and replication factor, or an explicit replica
// assignment, and config overrides. Errors per topic with Kafka's codes and messages (v1+);
// v5+ answers the partitions, replication factor and every config of the created topic
// (KIP-525), v7 its topic id.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/create_topics.hpp"
#include "state/broker_state.hpp"
#include "state/config_registry_view.hpp"
#include "state/topic_config.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace kafkit::broker {
namespace {

using protocol::create_topics_request;
using protocol::create_topics_response;
using result_t = create_topics_response::creatable_topic_result;

/// Checks Kafka's controller makes before it looks at the assignment's replicas, in its
/// order, for the cases broker_state::create_topic cannot see: config values that are null
/// and partition indexes of an explicit assignment that repeat or leave gaps.
topic_result request_shape_error(broker_state& state, const create_topics_request::creatable_topic& t) {
    std::string nulls;
    for (const auto& c : t.configs)
        if (!c.value) nulls += (nulls.empty() ? "" : ",") + c.name;
    std::set<std::int32_t> indexes;
    std::string assignment_error;
    for (const auto& a : t.assignments)
        if (!indexes.insert(a.partition_index).second && assignment_error.empty())
            assignment_error = "Found multiple manual partition assignments for partition " + std::to_string(a.partition_index);
    if (assignment_error.empty() && !indexes.empty() &&
        (*indexes.begin() != 0 || *indexes.rbegin() != static_cast<std::int32_t>(indexes.size()) - 1))
        assignment_error = "partitions should be a consecutive 0-based integer sequence";
    if (nulls.empty() && assignment_error.empty()) return {};

    if (auto reason = broker_state::invalid_topic_name_reason(t.name); !reason.empty())
        return {kafka_errc::invalid_topic_exception, reason};
    if (state.find_topic(t.name)) return {kafka_errc::topic_already_exists, "Topic '" + t.name + "' already exists."};
    if (!nulls.empty()) return {kafka_errc::invalid_config, "Null value not supported for topic configs: " + nulls};
    std::map<std::string, std::string> configs;
    for (const auto& c : t.configs) configs[c.name] = *c.value;
    if (auto reason = topic_configs_error(configs); !reason.empty()) return {kafka_errc::invalid_config, reason};
    if (t.replication_factor != -1)
        return {kafka_errc::invalid_request,
                "A manual partition assignment was specified, but replication factor was not set to -1."};
    if (t.num_partitions != -1)
        return {kafka_errc::invalid_request,
                "A manual partition assignment was specified, but numPartitions was not set to -1."};
    return {kafka_errc::invalid_replica_assignment, assignment_error};
}

topic_spec to_spec(const create_topics_request::creatable_topic& t) {
    topic_spec spec;
    spec.name = t.name;
    spec.partitions = t.num_partitions;
    spec.replication_factor = t.replication_factor;
    auto assignments = t.assignments;
    std::sort(assignments.begin(), assignments.end(),
              [](const auto& a, const auto& b) { return a.partition_index < b.partition_index; });
    for (const auto& a : assignments) spec.assignment.push_back(a.broker_ids);
    for (const auto& c : t.configs) spec.configs[c.name] = c.value.value_or("");
    return spec;
}

/// The success answer: v5+ describes the topic as it is (or would be) created.
void describe_created(request_context& ctx, const topic_spec& spec, const topic* created, result_t& out) {
    auto& state = ctx.state;
    out.topic_id = created ? created->id : state.random_uuid();
    if (!spec.assignment.empty()) {
        out.num_partitions = static_cast<std::int32_t>(spec.assignment.size());
        out.replication_factor = static_cast<std::int16_t>(spec.assignment.front().size());
    } else {
        out.num_partitions = spec.partitions == -1 ? state.config().num_partitions : spec.partitions;
        out.replication_factor =
            spec.replication_factor == -1 ? state.config().default_replication_factor : spec.replication_factor;
    }
    out.topic_config_error_code = 0;
    std::vector<create_topics_response::creatable_topic_configs> configs;
    for (const auto& c : describe_topic_configs(config_layers(state, ctx.node.id), spec.configs)) {
        create_topics_response::creatable_topic_configs wire;
        wire.name = c.name;
        wire.value = c.sensitive ? std::nullopt : c.value;
        wire.read_only = c.read_only;
        wire.config_source = static_cast<std::int8_t>(c.source);
        wire.is_sensitive = c.sensitive;
        configs.push_back(std::move(wire));
    }
    out.configs = std::move(configs);
}

/// Metadata records the request would write: one per topic, partition and config. Kafka's
/// controller refuses a request above 10000 (QuorumController.MAX_RECORDS_PER_USER_OP)
/// with POLICY_VIOLATION, which also keeps a huge partition count from exhausting memory.
bool too_large(const broker_state& state, const create_topics_request& request) {
    std::int64_t records = 0;
    for (const auto& t : request.topics) {
        const std::int64_t partitions = !t.assignments.empty() ? static_cast<std::int64_t>(t.assignments.size())
                                        : t.num_partitions == -1 ? state.config().num_partitions
                                                                  : std::max<std::int64_t>(t.num_partitions, 0);
        records += 1 + partitions + static_cast<std::int64_t>(t.configs.size());
    }
    return records > 10000;
}

} // namespace

void handle_create_topics(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<create_topics_request>(ctx, body);
    if (!request) return;
    std::map<std::string, int> occurrences;
    for (const auto& t : request->topics) ++occurrences[t.name];

    create_topics_response response;
    std::set<std::string> answered;
    const bool oversized = too_large(ctx.state, *request);
    for (const auto& t : request->topics) {
        // A name given twice gets one answer (ControllerApis.createTopics).
        if (!answered.insert(t.name).second) continue;
        result_t out;
        out.name = t.name;
        out.error_message = std::nullopt;
        topic_result result;
        topic_spec spec;
        if (ctx.injected_error != 0) {
            result.error = static_cast<kafka_errc>(ctx.injected_error);
        } else if (oversized) {
            result = {kafka_errc::policy_violation, "Unable to perform excessively large batch operation."};
        } else if (occurrences[t.name] > 1) {
            result = {kafka_errc::invalid_request, "Duplicate topic name."};
        } else if (result = request_shape_error(ctx.state, t); result.error == kafka_errc::none) {
            spec = to_spec(t);
            result = ctx.state.create_topic(spec, request->validate_only);
        }
        if (result.error == kafka_errc::none) {
            describe_created(ctx, spec, result.affected, out);
        } else {
            out.error_code = static_cast<std::int16_t>(result.error);
            if (!result.message.empty()) out.error_message = result.message;
        }
        response.topics.push_back(std::move(out));
    }
    reply<create_topics_response>(ctx).send(response);
}

} // namespace kafkit::broker
