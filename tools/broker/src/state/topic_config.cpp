#include "state/topic_config.hpp"

namespace kafkit::broker {
namespace {

template <class T>
T override_or(const topic& t, const char* name, T fallback) {
    auto it = t.configs.find(name);
    if (it == t.configs.end()) return fallback;
    try {
        return static_cast<T>(std::stoll(it->second));
    } catch (const std::exception&) {
        return fallback;
    }
}

} // namespace

effective_topic_config resolve_topic_config(const broker_config& config, const topic& t) {
    effective_topic_config c;
    c.max_message_bytes = override_or(t, "max.message.bytes", config.message_max_bytes);
    c.retention_ms = override_or(t, "retention.ms", config.log_retention_ms);
    c.retention_bytes = override_or(t, "retention.bytes", config.log_retention_bytes);
    c.segment_bytes = override_or(t, "segment.bytes", config.log_segment_bytes);
    auto type = t.configs.find("message.timestamp.type");
    c.log_append_time = type != t.configs.end() && type->second == "LogAppendTime";
    return c;
}

} // namespace kafkit::broker

namespace kafkit::broker {
namespace {

bool is_integer(const std::string& value, long long min) {
    try {
        std::size_t used = 0;
        const long long v = std::stoll(value, &used);
        return used == value.size() && v >= min;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace

std::string topic_config_error(const std::string& name, const std::string& value) {
    if (name == "max.message.bytes") return is_integer(value, 0) ? "" : "must be an integer >= 0";
    if (name == "retention.ms" || name == "retention.bytes" || name == "local.retention.ms" ||
        name == "local.retention.bytes")
        return is_integer(value, -2) ? "" : "must be an integer >= -1";
    if (name == "segment.bytes") return is_integer(value, 14) ? "" : "must be an integer >= 14";
    if (name == "message.timestamp.type")
        return value == "CreateTime" || value == "LogAppendTime" ? "" : "must be CreateTime or LogAppendTime";
    if (name == "cleanup.policy") return ""; // checked in detail by the config registry
    return "";
}

} // namespace kafkit::broker
