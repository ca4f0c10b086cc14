// AlterConfigs (key 33, v0-2): the legacy, non-incremental alteration. Each resource's
// configs replace all it had: every topic override, or every dynamic config of a broker
// resource ("" for the cluster default, a node id for one broker). BROKER_LOGGER is not
// accepted here (KIP-412 log levels go through IncrementalAlterConfigs only).

#include "handlers/alter_configs_common.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/alter_configs.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {
namespace {

using protocol::alter_configs_request;
using protocol::alter_configs_response;

config_outcome alter_resource(request_context& ctx, const alter_configs_request::alter_configs_resource& resource,
                              bool validate_only) {
    std::vector<std::string> names;
    std::vector<std::string> nulls;
    std::map<std::string, std::string> configs;
    for (const auto& c : resource.configs) {
        names.push_back(c.name);
        if (!c.value) nulls.push_back(c.name);
        else configs[c.name] = *c.value;
    }
    if (auto error = duplicate_keys_error(names)) return *error;
    if (auto error = null_values_error(nulls)) return *error;
    switch (resource.resource_type) {
    case resource_type::topic:
        return store_topic_configs(ctx.state, resource.resource_name, configs, validate_only);
    case resource_type::broker:
        if (auto error = broker_resource_error(ctx.state, resource.resource_name, ctx.node.id)) return *error;
        return store_broker_configs(ctx.state, resource.resource_name, configs, validate_only);
    default:
        return {kafka_errc::invalid_request, "Unknown resource type " + std::to_string(resource.resource_type)};
    }
}

} // namespace

void handle_alter_configs(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<alter_configs_request>(ctx, body);
    if (!request) return;
    const bool validate_only = request->validate_only;
    auto response = answer_each_resource<alter_configs_response>(ctx.injected_error, *request, [&](const auto& resource) {
        return alter_resource(ctx, resource, validate_only);
    });
    reply<alter_configs_response>(ctx).send(response);
}

} // namespace kafkit::broker
