#pragma once
// What AlterConfigs and IncrementalAlterConfigs share: resource types, the checks Kafka's
// broker makes before anything else (ConfigAdminManager.preprocess), and storing topic
// overrides or dynamic broker configs (KIP-226) once they pass the checks Kafka's controller
// makes (ConfigurationControlManager, ControllerConfigurationValidator).

#include "kafkit/protocol/kafka_error.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kafkit::broker {

class broker_state;

/// ConfigResource.Type ids.
namespace resource_type {
inline constexpr std::int8_t topic = 2;
inline constexpr std::int8_t broker = 4;
inline constexpr std::int8_t broker_logger = 8;
inline constexpr std::int8_t client_metrics = 16;
} // namespace resource_type

/// The answer for one resource: an error code and, for errors, Kafka's message.
struct config_outcome {
    kafka_errc error = kafka_errc::none;
    std::optional<std::string> message;
};

/// For each (type, name) resource, whether it appears more than once in the request; such
/// resources are answered INVALID_REQUEST "Each resource must appear at most once.".
std::vector<bool> repeated_resources(const std::vector<std::pair<std::int8_t, std::string>>& resources);

/// Kafka's answer to a config list naming a key twice, or nullopt.
std::optional<config_outcome> duplicate_keys_error(const std::vector<std::string>& names);

/// Kafka's answer to null values among `null_names` (the configs given a null value where
/// one is needed), or nullopt.
std::optional<config_outcome> null_values_error(const std::vector<std::string>& null_names);

/// Replaces every override of topic `name` with `configs` (unless `validate_only`), after
/// the controller's checks: a topic name (INVALID_REQUEST for "", INVALID_TOPIC_EXCEPTION),
/// the configs (INVALID_CONFIG), then that the topic exists (UNKNOWN_TOPIC_OR_PARTITION).
config_outcome store_topic_configs(broker_state& state, const std::string& name,
                                   const std::map<std::string, std::string>& configs, bool validate_only);

/// Checks a broker resource name: "" (cluster default) or the id of a node of this cluster
/// (INVALID_REQUEST otherwise, as ConfigAdminManager words it; `receiving_node` is named in
/// the message).
std::optional<config_outcome> broker_resource_error(broker_state& state, const std::string& name,
                                                    std::int32_t receiving_node);

/// Replaces the dynamic configs of broker resource `name` with `configs` (unless
/// `validate_only`) after DynamicBrokerConfig.validate's checks, answered INVALID_REQUEST:
/// no read-only config ("Cannot update these configs dynamically: Set(log.dirs)"), each
/// known config's value of its type and range. Names this broker does not know are kept as
/// custom configs, as Kafka keeps them. Persists and applies the result.
config_outcome store_broker_configs(broker_state& state, const std::string& name,
                                    const std::map<std::string, std::string>& configs, bool validate_only);

/// The elements of a list value (split on ","; empty elements dropped), as Kafka's
/// incremental APPEND and SUBTRACT see them.
std::vector<std::string> list_elements(const std::string& value);

/// Joins list elements with ",".
std::string join_list(const std::vector<std::string>& elements);

/// The response of an AlterConfigs-family request: per resource an injected error, the
/// repeated-resource error, or what `alter(resource)` decides, in request order.
template <class Response, class Request, class Alter>
Response answer_each_resource(std::int16_t injected_error, const Request& request, Alter&& alter) {
    std::vector<std::pair<std::int8_t, std::string>> keys;
    for (const auto& r : request.resources) keys.emplace_back(r.resource_type, r.resource_name);
    const auto repeated = repeated_resources(keys);
    Response response;
    for (std::size_t i = 0; i < request.resources.size(); ++i) {
        const auto& resource = request.resources[i];
        config_outcome outcome;
        if (injected_error != 0) outcome.error = static_cast<kafka_errc>(injected_error);
        else if (repeated[i]) outcome = {kafka_errc::invalid_request, "Each resource must appear at most once."};
        else outcome = alter(resource);
        typename decltype(response.responses)::value_type out;
        out.error_code = static_cast<std::int16_t>(outcome.error);
        out.error_message = outcome.message;
        out.resource_type = resource.resource_type;
        out.resource_name = resource.resource_name;
        response.responses.push_back(std::move(out));
    }
    return response;
}

} // namespace kafkit::broker
