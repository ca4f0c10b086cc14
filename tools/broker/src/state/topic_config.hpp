#pragma once
// The effective values of the topic configs the broker acts on (a topic's override when it
// has one, else the broker default), and the checks CreateTopics and the AlterConfigs family
// run on topic overrides. Names, types and checks come from the config registry.

#include "kafkit/broker/broker_config.hpp"
#include "state/topic.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace kafkit::broker {

/// Topic settings, resolved.
struct effective_topic_config {
    std::int32_t max_message_bytes = 1048588;   ///< max.message.bytes
    bool log_append_time = false;               ///< message.timestamp.type=LogAppendTime
    std::int64_t retention_ms = 604800000;      ///< retention.ms
    std::int64_t retention_bytes = -1;          ///< retention.bytes
    std::int64_t segment_bytes = 1073741824;    ///< segment.bytes
};

/// Resolves `t`'s overrides against the broker's defaults (`config`: broker_state::config(),
/// which includes dynamic broker configs). Values were validated when set.
effective_topic_config resolve_topic_config(const broker_config& config, const topic& t);

/// Why topic config `name` may not be set to `value`, as Kafka words it: "Unknown topic
/// config name: x" or "Invalid value v for configuration x: ..."; empty when it may.
/// Used by CreateTopics and the AlterConfigs family (answered with INVALID_CONFIG).
std::string topic_config_error(const std::string& name, const std::string& value);

/// Checks a topic's whole set of overrides as Kafka's LogConfig.validate does: names, then
/// each value, then the rules across values (min.compaction.lag.ms <= max.compaction.lag.ms;
/// no remote storage, which this broker does not have). Kafka's message, or empty.
std::string topic_configs_error(const std::map<std::string, std::string>& configs);

} // namespace kafkit::broker
