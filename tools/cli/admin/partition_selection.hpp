#pragma once
// Partitions as the group and records commands take them: "TOPIC" (every partition) or
// "TOPIC:P,P,..." (kafka-consumer-groups.sh's --topic form), and their resolution against
// the cluster's topic descriptions.

#include "admin_session.hpp"

#include "kafkit/topic_partition.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::admin_cli {

struct topic_selection {
    std::string topic;
    std::vector<std::int32_t> partitions; ///< empty: every partition of the topic
};

/// Reads "TOPIC" or "TOPIC:P,P,..."; throws usage_error for an empty topic or a partition
/// that is not a number >= 0.
[[nodiscard]] topic_selection parse_topic_selection(std::string_view text);

/// Every partition `selections` name, sorted and without repeats: the listed ones as they
/// are, every partition of the others from describe_topics (a topic that cannot be
/// described is recorded as failed and left out).
[[nodiscard]] std::vector<topic_partition> resolve_partitions(admin_session& session,
                                                              const std::vector<topic_selection>& selections);

/// A partition as Kafka prints a TopicPartition: "orders-3".
[[nodiscard]] std::string partition_name(const topic_partition& tp);

/// `text` as a decimal integer; throws usage_error naming `what` otherwise.
[[nodiscard]] std::int64_t parse_integer(std::string_view text, std::string_view what);

} // namespace kafkit::admin_cli
