#pragma once
// The effective values of the topic configs the broker acts on: a topic's override when
// it has one, else the broker default.

#include "kafkit/broker/broker_config.hpp"
#include "state/topic.hpp"

#include <cstdint>
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

/// Resolves `t`'s overrides against the broker's defaults. Values were validated when set.
effective_topic_config resolve_topic_config(const broker_config& config, const topic& t);

} // namespace kafkit::broker

namespace kafkit::broker {

/// Why `value` is not acceptable for topic config `name` (an unknown name included);
/// empty when it is. Used by CreateTopics and the AlterConfigs family.
std::string topic_config_error(const std::string& name, const std::string& value);

} // namespace kafkit::broker
