#include "handlers/alter_configs_common.hpp"

#include "state/broker_state.hpp"
#include "state/config_registry.hpp"
#include "state/topic_config.hpp"

#include <algorithm>
#include <set>

namespace kafkit::broker {

std::vector<bool> repeated_resources(const std::vector<std::pair<std::int8_t, std::string>>& resources) {
    std::vector<bool> out(resources.size(), false);
    for (std::size_t i = 0; i < resources.size(); ++i)
        for (std::size_t j = i + 1; j < resources.size(); ++j)
            if (resources[i] == resources[j]) out[i] = out[j] = true;
    return out;
}

std::optional<config_outcome> duplicate_keys_error(const std::vector<std::string>& names) {
    std::set<std::string> seen;
    for (const auto& n : names)
        if (!seen.insert(n).second) return config_outcome{kafka_errc::invalid_request, "Error due to duplicate config keys"};
    return std::nullopt;
}

std::optional<config_outcome> null_values_error(const std::vector<std::string>& null_names) {
    if (null_names.empty()) return std::nullopt;
    std::string joined;
    for (const auto& n : null_names) joined += (joined.empty() ? "" : ", ") + n;
    return config_outcome{kafka_errc::invalid_request, "Null value not supported for : " + joined};
}

config_outcome store_topic_configs(broker_state& state, const std::string& name,
                                   const std::map<std::string, std::string>& configs, bool validate_only) {
    // ControllerConfigurationValidator, then the existence check (QuorumController).
    if (name.empty()) return {kafka_errc::invalid_request, "Default topic resources are not allowed."};
    if (auto reason = broker_state::invalid_topic_name_reason(name); !reason.empty())
        return {kafka_errc::invalid_topic_exception, reason};
    if (auto reason = topic_configs_error(configs); !reason.empty()) return {kafka_errc::invalid_config, reason};
    topic* t = state.find_topic(name);
    if (!t) return {kafka_errc::unknown_topic_or_partition, "The topic '" + name + "' does not exist."};
    if (validate_only) return {};
    t->configs = configs;
    state.save_metadata();
    return {};
}

std::optional<config_outcome> broker_resource_error(broker_state& state, const std::string& name,
                                                    std::int32_t receiving_node) {
    if (name.empty()) return std::nullopt;
    const auto id = parse_java_long(name);
    if (!id || *id < INT32_MIN || *id > INT32_MAX)
        return config_outcome{kafka_errc::invalid_request, "Node id must be an integer, but it is: " + name};
    // One process is every node of the cluster, so any node's resource may be changed here;
    // Kafka's broker takes only its own.
    if (!state.find_node(static_cast<std::int32_t>(*id)))
        return config_outcome{kafka_errc::invalid_request, "Unexpected broker id, expected " +
                                                               std::to_string(receiving_node) + ", but received " + name};
    return std::nullopt;
}

config_outcome store_broker_configs(broker_state& state, const std::string& name,
                                    const std::map<std::string, std::string>& configs, bool validate_only) {
    std::vector<std::string> read_only;
    for (const auto& [key, value] : configs)
        if (const auto* def = find_broker_config_def(key); def && !def->dynamic) read_only.push_back(key);
    if (!read_only.empty()) {
        // Scala's Set printing, as DynamicBrokerConfig.validateConfigs builds the message.
        std::string set = "Set(";
        for (std::size_t i = 0; i < read_only.size(); ++i) set += (i ? ", " : "") + read_only[i];
        return {kafka_errc::invalid_request, "Cannot update these configs dynamically: " + set + ")"};
    }
    for (const auto& [key, value] : configs)
        if (const auto* def = find_broker_config_def(key))
            if (auto reason = config_value_error(*def, value); !reason.empty()) return {kafka_errc::invalid_request, reason};
    if (validate_only) return {};
    auto& dynamic = state.dynamic_broker_configs();
    if (configs.empty()) dynamic.erase(name);
    else dynamic[name] = configs;
    state.apply_dynamic_configs();
    state.save_metadata();
    return {};
}

std::vector<std::string> list_elements(const std::string& value) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= value.size()) {
        const auto comma = value.find(',', start);
        auto part = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!part.empty()) out.push_back(std::move(part));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::string join_list(const std::vector<std::string>& elements) {
    std::string out;
    for (std::size_t i = 0; i < elements.size(); ++i) out += (i ? "," : "") + elements[i];
    return out;
}

} // namespace kafkit::broker
