#include "state/topic_config.hpp"

#include "state/config_registry.hpp"

namespace kafkit::broker {
namespace {

template <class T>
T override_or(const topic& t, const char* name, T fallback) {
    auto it = t.configs.find(name);
    if (it == t.configs.end()) return fallback;
    const auto value = parse_java_long(trim_config_text(it->second));
    return value ? static_cast<T>(*value) : fallback;
}

} // namespace

effective_topic_config resolve_topic_config(const broker_config& config, const topic& t) {
    effective_topic_config c;
    c.max_message_bytes = override_or(t, "max.message.bytes", config.message_max_bytes);
    c.retention_ms = override_or(t, "retention.ms", config.log_retention_ms);
    c.retention_bytes = override_or(t, "retention.bytes", config.log_retention_bytes);
    c.segment_bytes = override_or(t, "segment.bytes", config.log_segment_bytes);
    auto type = t.configs.find("message.timestamp.type");
    c.log_append_time = type != t.configs.end() && trim_config_text(type->second) == "LogAppendTime";
    return c;
}

std::string topic_config_error(const std::string& name, const std::string& value) {
    const auto* def = find_topic_config_def(name);
    if (!def) return "Unknown topic config name: " + name;
    return config_value_error(*def, value);
}

std::string topic_configs_error(const std::map<std::string, std::string>& configs) {
    // LogConfig.validate: every name first, then every value, then the cross checks.
    for (const auto& [name, value] : configs)
        if (!find_topic_config_def(name)) return "Unknown topic config name: " + name;
    for (const auto& [name, value] : configs)
        if (auto reason = topic_config_error(name, value); !reason.empty()) return reason;
    auto number = [&](const char* name, std::int64_t fallback) {
        auto it = configs.find(name);
        if (it == configs.end()) return fallback;
        return parse_java_long(trim_config_text(it->second)).value_or(fallback);
    };
    const auto min_lag = number("min.compaction.lag.ms", 0);
    const auto max_lag = number("max.compaction.lag.ms", INT64_MAX);
    if (min_lag > max_lag)
        return "conflict topic config setting min.compaction.lag.ms (" + std::to_string(min_lag) +
               ") > max.compaction.lag.ms (" + std::to_string(max_lag) + ")";
    if (auto it = configs.find("remote.storage.enable");
        it != configs.end() && canonical_config_value(*find_topic_config_def("remote.storage.enable"), it->second) == "true")
        return "Tiered Storage functionality is disabled in the broker. Topic cannot be configured with remote log storage.";
    return {};
}

} // namespace kafkit::broker
