// IncrementalAlterConfigs (key 44, v0-1, KIP-339): SET, DELETE, APPEND and SUBTRACT on topic
// overrides and dynamic broker configs, and log levels of BROKER_LOGGER resources (KIP-412).
// APPEND and SUBTRACT apply to LIST configs only and start from the current value, or the
// default when there is none (appending "compact" to cleanup.policy gives "delete,compact").

#include "handlers/alter_configs_common.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/incremental_alter_configs.hpp"
#include "state/broker_state.hpp"
#include "state/config_registry.hpp"
#include "state/config_registry_view.hpp"

#include <algorithm>

namespace kafkit::broker {
namespace {

using protocol::incremental_alter_configs_request;
using protocol::incremental_alter_configs_response;
using resource_t = incremental_alter_configs_request::alter_configs_resource;

enum op : std::int8_t { op_set = 0, op_delete = 1, op_append = 2, op_subtract = 3 };

/// Applies `resource`'s operations to `configs`. `def_of` finds a config's definition
/// (list type and default); `list_error` words the refusal of APPEND/SUBTRACT on a
/// non-list config, which Kafka answers differently for topics and brokers.
template <class Lookup, class ListError>
std::optional<config_outcome> apply_ops(const resource_t& resource, std::map<std::string, std::string>& configs,
                                        Lookup def_of, ListError list_error) {
    for (const auto& c : resource.configs) {
        switch (c.config_operation) {
        case op_set:
            configs[c.name] = c.value.value_or("");
            break;
        case op_delete:
            configs.erase(c.name);
            break;
        case op_append:
        case op_subtract: {
            const config_def* def = def_of(c.name);
            if (!def || def->type != config_type::list) return list_error(c.config_operation, c.name);
            auto it = configs.find(c.name);
            auto elements = list_elements(it != configs.end() ? it->second
                                                               : std::string(def->default_value.value_or("")));
            for (const auto& v : list_elements(c.value.value_or(""))) {
                auto at = std::find(elements.begin(), elements.end(), v);
                if (c.config_operation == op_append && at == elements.end()) elements.push_back(v);
                if (c.config_operation == op_subtract && at != elements.end()) elements.erase(at);
            }
            configs[c.name] = join_list(elements);
            break;
        }
        default:
            return config_outcome{kafka_errc::invalid_request,
                                  "Unknown operations type " + std::to_string(c.config_operation)};
        }
    }
    return std::nullopt;
}

config_outcome alter_topic(request_context& ctx, const resource_t& resource, bool validate_only) {
    std::map<std::string, std::string> configs;
    if (const topic* t = ctx.state.find_topic(resource.resource_name)) configs = t->configs;
    auto error = apply_ops(resource, configs, [](const std::string& n) { return find_topic_config_def(n); },
                           [](std::int8_t op, const std::string& name) {
                               // ConfigurationControlManager.incrementalAlterConfigResource.
                               return config_outcome{kafka_errc::invalid_config,
                                                     std::string("Can't ") + (op == op_append ? "APPEND" : "SUBTRACT") +
                                                         " to key " + name + " because its type is not LIST."};
                           });
    if (error) return *error;
    return store_topic_configs(ctx.state, resource.resource_name, configs, validate_only);
}

config_outcome alter_broker(request_context& ctx, const resource_t& resource, bool validate_only) {
    if (auto error = broker_resource_error(ctx.state, resource.resource_name, ctx.node.id)) return *error;
    std::map<std::string, std::string> configs;
    const auto& dynamic = ctx.state.dynamic_broker_configs();
    if (auto it = dynamic.find(resource.resource_name); it != dynamic.end()) configs = it->second;
    auto error = apply_ops(resource, configs, [](const std::string& n) { return find_broker_config_def(n); },
                           [](std::int8_t op, const std::string& name) {
                               // ConfigAdminManager.prepareIncrementalConfigs.
                               return config_outcome{kafka_errc::invalid_request,
                                                     std::string("Config value ") + (op == op_append ? "append" : "subtract") +
                                                         " is not allowed for config key: " + name};
                           });
    if (error) return *error;
    return store_broker_configs(ctx.state, resource.resource_name, configs, validate_only);
}

/// KIP-412 log levels (RuntimeLoggerManager): the loggers are the broker's one, "root".
config_outcome alter_loggers(request_context& ctx, const resource_t& resource, bool validate_only) {
    const auto id = parse_java_long(resource.resource_name);
    if (!id) return {kafka_errc::invalid_request, "Node id must be an integer, but it is: " + resource.resource_name};
    if (!ctx.state.find_node(static_cast<std::int32_t>(*id)))
        return {kafka_errc::invalid_request, "Unexpected node id. Expected " + std::to_string(ctx.node.id) +
                                                 ", but got " + resource.resource_name};
    for (const auto& c : resource.configs) {
        if (c.config_operation == op_append || c.config_operation == op_subtract)
            return {kafka_errc::invalid_request, std::string(c.config_operation == op_append ? "APPEND" : "SUBTRACT") +
                                                     " operation is not allowed for the BROKER_LOGGER resource"};
        if (c.config_operation != op_set && c.config_operation != op_delete)
            return {kafka_errc::invalid_request, "Unknown operation type " + std::to_string(c.config_operation) +
                                                     " is not allowed for the BROKER_LOGGER resource"};
        if (c.name != "root") return {kafka_errc::invalid_config, "Logger " + c.name + " does not exist!"};
        if (c.config_operation == op_delete)
            return {kafka_errc::invalid_request, "Removing the log level of the root logger is not allowed"};
        if (!log_level_from_name(c.value.value_or("")))
            return {kafka_errc::invalid_config, "Cannot set the log level of " + c.name + " to " + c.value.value_or("") +
                                                    " as it is not a supported log level. Valid log4j levels are "
                                                    "OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE, ALL"};
    }
    if (validate_only) return {};
    for (const auto& c : resource.configs) ctx.state.logger_levels()[c.name] = c.value.value_or("");
    ctx.state.apply_dynamic_configs();
    return {};
}

config_outcome alter_resource(request_context& ctx, const resource_t& resource, bool validate_only) {
    std::vector<std::string> names;
    std::vector<std::string> nulls;
    for (const auto& c : resource.configs) {
        names.push_back(c.name);
        if (!c.value && c.config_operation != op_delete) nulls.push_back(c.name);
    }
    if (auto error = duplicate_keys_error(names)) return *error;
    if (auto error = null_values_error(nulls)) return *error;
    switch (resource.resource_type) {
    case resource_type::topic: return alter_topic(ctx, resource, validate_only);
    case resource_type::broker: return alter_broker(ctx, resource, validate_only);
    case resource_type::broker_logger: return alter_loggers(ctx, resource, validate_only);
    default: return {kafka_errc::invalid_request, "Unknown resource type " + std::to_string(resource.resource_type)};
    }
}

} // namespace

void handle_incremental_alter_configs(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<incremental_alter_configs_request>(ctx, body);
    if (!request) return;
    const bool validate_only = request->validate_only;
    auto response = answer_each_resource<incremental_alter_configs_response>(ctx.injected_error, *request, [&](const auto& resource) {
        return alter_resource(ctx, resource, validate_only);
    });
    reply<incremental_alter_configs_response>(ctx).send(response);
}

} // namespace kafkit::broker
