// Config operations: describe, incremental alter and (legacy) alter. A broker's or broker
// logger's own resource goes to that broker; every other resource to any broker, as the
// Java client routes them.

#include "admin/admin_ops.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/alter_configs.hpp"
#include "kafkit/protocol/messages/describe_configs.hpp"
#include "kafkit/protocol/messages/incremental_alter_configs.hpp"

#include <charconv>

namespace kafkit {
namespace detail {
namespace {

using admin::config_resource;
using admin::config_resource_type;

std::string resource_context(const config_resource& r) {
    switch (r.type) {
    case config_resource_type::topic: return "topic " + r.name;
    case config_resource_type::broker: return r.name.empty() ? std::string("broker default") : "broker " + r.name;
    case config_resource_type::broker_logger: return "broker logger " + r.name;
    case config_resource_type::client_metrics: return "client metrics " + r.name;
    case config_resource_type::group: return "group " + r.name;
    case config_resource_type::unknown: break;
    }
    return "config resource " + r.name;
}

/// The broker a resource's request must go to, or nullopt for any broker.
std::optional<std::int32_t> broker_of(const config_resource& r) {
    if (r.type != config_resource_type::broker && r.type != config_resource_type::broker_logger) return std::nullopt;
    std::int32_t id = -1;
    const auto* end = r.name.data() + r.name.size();
    if (r.name.empty() || std::from_chars(r.name.data(), end, id).ptr != end) return std::nullopt;
    return id;
}

/// The resources split by where their request goes.
std::map<std::optional<std::int32_t>, std::vector<config_resource>> by_route(const std::vector<config_resource>& resources) {
    std::map<std::optional<std::int32_t>, std::vector<config_resource>> out;
    for (const auto& r : resources) out[broker_of(r)].push_back(r);
    return out;
}

admin_route route_of(const std::optional<std::int32_t>& broker) {
    return broker ? admin_route::to(*broker) : admin_route::any();
}

config_resource key_of(std::int8_t type, const std::string& name) {
    return config_resource{static_cast<config_resource_type>(type), name};
}

admin::config_entry entry_of(const protocol::describe_configs_response::describe_configs_resource_result& c,
                             std::int16_t version) {
    admin::config_entry e;
    e.name = c.name;
    e.value = c.value;
    e.is_sensitive = c.is_sensitive;
    e.is_read_only = c.read_only;
    if (version >= 1) {
        e.source = static_cast<admin::config_source>(c.config_source);
        e.is_default = e.source == admin::config_source::default_config;
    } else {
        e.is_default = c.is_default;
        e.source = c.is_default ? admin::config_source::default_config : admin::config_source::unknown;
    }
    e.type = static_cast<admin::config_type>(c.config_type);
    for (const auto& s : c.synonyms)
        e.synonyms.push_back({s.name, s.value, static_cast<admin::config_source>(s.source)});
    if (c.documentation) e.documentation = c.documentation;
    return e;
}

/// The settle step the two alter calls share: their answers have the same shape. A
/// resource's error is its outcome, as in the Java client (only a failed call is retried).
template <class Response, class Key, class Value>
answer_verdict settle_alter(const std::shared_ptr<keyed_promises<Key, Value>>& promises, const Response& response) {
    for (const auto& r : response.responses) {
        const auto key = key_of(r.resource_type, r.resource_name);
        if (const auto ec = kafka_error(r.error_code))
            promises->fail(key, ec, with_message(resource_context(key), r.error_message));
        else promises->succeed(key);
    }
    return answer_verdict::settled;
}

/// Runs an alter request of type Request per route, each resource's configs filled by `fill`.
template <class Request, class Response, class Fill>
admin::keyed_result<config_resource, void> alter_by_route(admin_engine& engine, const std::vector<config_resource>& keys,
                                                          const admin::alter_configs_options& options, const char* what,
                                                          Fill fill) {
    auto promises = std::make_shared<keyed_promises<config_resource, void>>(keys);
    const auto deadline = engine.deadline(options.timeout);
    const bool validate_only = options.validate_only;
    return start_keyed(engine, promises, what, [&engine, promises, keys, deadline, validate_only, fill] {
        for (const auto& [broker, resources] : by_route(keys)) {
            keyed_call<Request, Response>(
                engine, promises, resources, route_of(broker), deadline,
                [validate_only, fill](const std::vector<config_resource>& open, admin_engine::clock_type::time_point) {
                    Request request;
                    for (const auto& r : open) {
                        auto& resource = request.resources.emplace_back();
                        resource.resource_type = static_cast<std::int8_t>(r.type);
                        resource.resource_name = r.name;
                        fill(r, resource);
                    }
                    request.validate_only = validate_only;
                    return request;
                },
                [promises](const Response& response, std::int16_t) { return settle_alter(promises, response); },
                resource_context);
        }
    });
}

} // namespace
} // namespace detail

admin::keyed_result<admin::config_resource, std::vector<admin::config_entry>> admin_client::describe_configs(
    const std::vector<admin::config_resource>& resources, const admin::describe_configs_options& options) {
    using entries = std::vector<admin::config_entry>;
    auto promises = std::make_shared<detail::keyed_promises<admin::config_resource, entries>>(resources);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "describe_configs", [&engine, promises, resources, options, deadline] {
        for (const auto& [broker, keys] : detail::by_route(resources)) {
            detail::keyed_call<protocol::describe_configs_request, protocol::describe_configs_response>(
                engine, promises, keys, detail::route_of(broker), deadline,
                [options](const std::vector<admin::config_resource>& open, detail::admin_engine::clock_type::time_point) {
                    protocol::describe_configs_request request;
                    for (const auto& r : open) {
                        auto& resource = request.resources.emplace_back();
                        resource.resource_type = static_cast<std::int8_t>(r.type);
                        resource.resource_name = r.name;
                        resource.configuration_keys.reset(); // every key
                    }
                    request.include_synonyms = options.include_synonyms;
                    request.include_documentation = options.include_documentation;
                    return request;
                },
                [promises](const protocol::describe_configs_response& response, std::int16_t version) {
                    for (const auto& r : response.results) {
                        const auto key = detail::key_of(r.resource_type, r.resource_name);
                        if (const auto ec = detail::kafka_error(r.error_code)) {
                            promises->fail(key, ec, detail::with_message(detail::resource_context(key), r.error_message));
                            continue;
                        }
                        entries out;
                        for (const auto& c : r.configs) out.push_back(detail::entry_of(c, version));
                        promises->succeed(key, std::move(out));
                    }
                    return detail::answer_verdict::settled;
                },
                detail::resource_context,
                [](protocol::describe_configs_request& r, std::int16_t version) {
                    if (version < 1) r.include_synonyms = false;
                    if (version < 3) r.include_documentation = false;
                });
        }
    });
}

admin::keyed_result<admin::config_resource, void> admin_client::incremental_alter_configs(
    const std::map<admin::config_resource, std::vector<admin::alter_config_op>>& changes,
    const admin::alter_configs_options& options) {
    std::vector<admin::config_resource> keys;
    for (const auto& [r, ops] : changes) keys.push_back(r);
    return detail::alter_by_route<protocol::incremental_alter_configs_request, protocol::incremental_alter_configs_response>(
        *engine_, keys, options, "incremental_alter_configs",
        [changes](const admin::config_resource& r, protocol::incremental_alter_configs_request::alter_configs_resource& out) {
            for (const auto& op : changes.at(r)) {
                auto& c = out.configs.emplace_back();
                c.name = op.name;
                c.config_operation = static_cast<std::int8_t>(op.op);
                c.value = op.op == admin::alter_config_op::kind::delete_ ? std::nullopt : op.value;
            }
        });
}

admin::keyed_result<admin::config_resource, void> admin_client::alter_configs(
    const std::map<admin::config_resource, std::map<std::string, std::string>>& configs,
    const admin::alter_configs_options& options) {
    std::vector<admin::config_resource> keys;
    for (const auto& [r, values] : configs) keys.push_back(r);
    return detail::alter_by_route<protocol::alter_configs_request, protocol::alter_configs_response>(
        *engine_, keys, options, "alter_configs",
        [configs](const admin::config_resource& r, protocol::alter_configs_request::alter_configs_resource& out) {
            for (const auto& [name, value] : configs.at(r)) {
                auto& c = out.configs.emplace_back();
                c.name = name;
                c.value = value;
            }
        });
}

} // namespace kafkit
