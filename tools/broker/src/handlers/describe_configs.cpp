// DescribeConfigs (key 32, v0-4): topic, broker and broker-logger resources as Kafka's
// ConfigHelper reports them: each config's value, source (KIP-226), synonyms (v1+, the
// override first, then this broker's dynamic config, the cluster default, the static
// config and Kafka's default), read-only and sensitive flags, type and documentation (v3+,
// KIP-569). A broker resource may name any node of the cluster this process is.

#include "handlers/alter_configs_common.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/describe_configs.hpp"
#include "state/broker_state.hpp"
#include "state/config_registry_view.hpp"

#include <algorithm>

namespace kafkit::broker {
namespace {

using protocol::describe_configs_request;
using protocol::describe_configs_response;
using result_t = describe_configs_response::describe_configs_result;

struct describe_options {
    bool synonyms = false;
    bool documentation = false;
    bool is_default = false; ///< v0 only: the field is not ignorable in later versions
};

describe_configs_response::describe_configs_resource_result to_wire(const described_config& c,
                                                                     const describe_options& options) {
    describe_configs_response::describe_configs_resource_result out;
    out.name = c.name;
    out.value = c.value;
    out.read_only = c.read_only;
    out.config_source = static_cast<std::int8_t>(c.source);
    // v0 had no source; Kafka reports a value as default when it comes from Kafka's default.
    out.is_default = options.is_default && c.source == config_source::default_config;
    out.is_sensitive = c.sensitive;
    out.config_type = static_cast<std::int8_t>(c.type);
    out.documentation = options.documentation ? std::optional<std::string>(std::string(c.doc)) : std::nullopt;
    if (options.synonyms)
        for (const auto& s : c.synonyms) {
            describe_configs_response::describe_configs_synonym syn;
            syn.name = s.name;
            syn.value = s.value;
            syn.source = static_cast<std::int8_t>(s.source);
            out.synonyms.push_back(std::move(syn));
        }
    return out;
}

/// Keeps the configs the resource asks for (all when it names none).
void add_configs(result_t& out, const std::vector<described_config>& configs,
                 const describe_configs_request::describe_configs_resource& resource, const describe_options& options) {
    const auto& keys = resource.configuration_keys;
    for (const auto& c : configs)
        if (!keys || keys->empty() || std::find(keys->begin(), keys->end(), c.name) != keys->end())
            out.configs.push_back(to_wire(c, options));
}

void fail(result_t& out, kafka_errc error, std::optional<std::string> message) {
    out.error_code = static_cast<std::int16_t>(error);
    out.error_message = std::move(message);
    out.configs.clear();
}

void describe_topic(request_context& ctx, const describe_configs_request::describe_configs_resource& resource,
                    const describe_options& options, result_t& out) {
    if (auto reason = broker_state::invalid_topic_name_reason(resource.resource_name); !reason.empty())
        return fail(out, kafka_errc::invalid_topic_exception, reason);
    const topic* t = ctx.state.find_topic(resource.resource_name);
    if (!t) return fail(out, kafka_errc::unknown_topic_or_partition, std::nullopt);
    add_configs(out, describe_topic_configs(config_layers(ctx.state, ctx.node.id), t->configs), resource, options);
}

/// The node a BROKER or BROKER_LOGGER resource names, or the error Kafka gives.
std::optional<std::int32_t> resource_node(request_context& ctx, const std::string& name, bool logger, result_t& out) {
    const auto id = parse_java_long(name);
    if (!id || *id < INT32_MIN || *id > INT32_MAX) {
        fail(out, kafka_errc::invalid_request, "Broker id must be an integer, but it is: " + name);
        return std::nullopt;
    }
    if (!ctx.state.find_node(static_cast<std::int32_t>(*id))) {
        fail(out, kafka_errc::invalid_request,
             "Unexpected broker id, expected " + std::to_string(ctx.node.id) + (logger ? "" : " or empty string") +
                 (logger ? " but received " : ", but received ") + name);
        return std::nullopt;
    }
    return static_cast<std::int32_t>(*id);
}

void describe_broker(request_context& ctx, const describe_configs_request::describe_configs_resource& resource,
                     const describe_options& options, result_t& out) {
    if (resource.resource_name.empty()) {
        add_configs(out, describe_broker_configs(config_layers(ctx.state, ctx.node.id), false), resource, options);
        return;
    }
    if (auto node = resource_node(ctx, resource.resource_name, false, out))
        add_configs(out, describe_broker_configs(config_layers(ctx.state, *node), true), resource, options);
}

void describe_loggers(request_context& ctx, const describe_configs_request::describe_configs_resource& resource,
                      result_t& out) {
    if (resource.resource_name.empty()) return fail(out, kafka_errc::invalid_request, "Broker id must not be empty");
    if (!resource_node(ctx, resource.resource_name, true, out)) return;
    // Kafka reports each logger's level with no synonyms, type or documentation.
    std::map<std::string, std::string> levels = ctx.state.logger_levels();
    levels.emplace("root", std::string(log_level_name(ctx.state.config().log_level)));
    std::vector<described_config> configs;
    for (const auto& [name, level] : levels) {
        described_config c;
        c.name = name;
        c.value = level;
        c.source = config_source::dynamic_broker_logger;
        configs.push_back(std::move(c));
    }
    add_configs(out, configs, resource, describe_options{});
}

} // namespace

void handle_describe_configs(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<describe_configs_request>(ctx, body);
    if (!request) return;
    describe_options options;
    options.synonyms = ctx.api_version >= 1 && request->include_synonyms;
    options.documentation = ctx.api_version >= 3 && request->include_documentation;
    options.is_default = ctx.api_version == 0;

    describe_configs_response response;
    for (const auto& resource : request->resources) {
        result_t out;
        out.resource_type = resource.resource_type;
        out.resource_name = resource.resource_name;
        out.error_message = std::nullopt;
        if (ctx.injected_error != 0) {
            fail(out, static_cast<kafka_errc>(ctx.injected_error), std::nullopt);
        } else {
            switch (resource.resource_type) {
            case resource_type::topic: describe_topic(ctx, resource, options, out); break;
            case resource_type::broker: describe_broker(ctx, resource, options, out); break;
            case resource_type::broker_logger: describe_loggers(ctx, resource, out); break;
            case resource_type::client_metrics:
                // No client metrics subscriptions exist (KIP-714): an empty answer.
                if (resource.resource_name.empty())
                    fail(out, kafka_errc::invalid_request, "Client metrics subscription name must not be empty");
                break;
            default:
                fail(out, kafka_errc::invalid_request,
                     "Unsupported resource type: " + std::to_string(resource.resource_type));
            }
        }
        response.results.push_back(std::move(out));
    }
    reply<describe_configs_response>(ctx).send(response);
}

} // namespace kafkit::broker
