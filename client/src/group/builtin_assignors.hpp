#pragma once
// The four built-in assignment strategies as functions; make_assignor() wraps each in a
// partition_assignor. Each is written from Java's documented algorithm (apache/kafka,
// org.apache.kafka.clients.consumer.*Assignor) and agrees with Java (and with librdkafka, which
// follows Java) on the wire formats of its user data.

#include "group/partition_assignor.hpp"
#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/result.hpp"

#include <optional>

namespace kafkit::detail {

/// "range" (Java's RangeAssignor, eager). Per topic, the partitions in order are cut into
/// contiguous ranges, one per subscribed member in Java's member order, the first members taking
/// one extra when the count does not divide. With client racks and replica racks known
/// (KIP-881), partitions are first matched to members on their racks within those same per-topic
/// quotas, and topics with the same members and partition count stay co-partitioned.
group_assignment assign_range(const assignor_cluster& cluster,
                              const std::vector<member_subscription>& members);

/// "roundrobin" (Java's RoundRobinAssignor, eager). All partitions of the subscribed topics,
/// topics in name order, are dealt one at a time around the members in Java's member order; a
/// member not subscribed to a partition's topic is skipped for it.
group_assignment assign_roundrobin(const assignor_cluster& cluster,
                                   const std::vector<member_subscription>& members);

/// "sticky" (Java's StickyAssignor, KIP-54, eager): the sticky algorithm (sticky_balancer.hpp)
/// over the previous assignments members send in their user data. The leader reads ownership
/// only from there, as Java's StickyAssignor.memberData does: an eager member has revoked
/// everything before it joins, so its owned partitions are empty.
group_assignment assign_sticky(const assignor_cluster& cluster,
                               const std::vector<member_subscription>& members);

/// Sticky user data, in the layout Java and librdkafka both write (StickyAssignor's
/// STICKY_ASSIGNOR_USER_DATA_V1, no version field): [topic: string, partitions: [int32]] then
/// generation: int32. Version 0 (Java before 2.3) lacks the generation.
struct sticky_user_data {
    std::vector<topic_partition> partitions;
    std::optional<std::int32_t> generation; ///< none in version 0
};

/// The user data a sticky member sends: its last assignment and that assignment's generation
/// as version 1, partitions grouped by topic; empty (Java sends null) before the first
/// assignment (no partitions, generation -1) or if a topic name is longer than Kafka allows.
std::vector<std::uint8_t> encode_sticky_user_data(const std::vector<topic_partition>& partitions,
                                                  std::int32_t generation);

/// Reads sticky user data of either version: a generation follows when 4 or more bytes remain
/// after the partitions, as Java's fallback from the v1 to the v0 schema decides. Fails with
/// errc::truncated or errc::malformed_frame when the partitions cannot be read.
protocol::result<sticky_user_data> decode_sticky_user_data(protocol::bytes_view user_data);

/// "cooperative-sticky" (Java's CooperativeStickyAssignor, KIP-429): the sticky algorithm over
/// the partitions members report owning in their subscriptions (v1+) and the generation beside
/// them (v2+; for older subscriptions the generation in the user data). Then the cooperative
/// rule: a partition the new assignment gives to a member while another member still claims it
/// is left out of this assignment, so that its owner revokes it (it is not in the owner's
/// assignment either) and the next rebalance, which the revoking member triggers, hands it over.
/// Partitions claimed by two members of the same generation are left out for everyone, as
/// Java does.
group_assignment assign_cooperative_sticky(const assignor_cluster& cluster,
                                           const std::vector<member_subscription>& members);

/// Cooperative-sticky user data: the member's generation alone, a 4-byte big-endian int32
/// (Java's COOPERATIVE_STICKY_ASSIGNOR_USER_DATA_V0), -1 before the first assignment.
std::vector<std::uint8_t> encode_cooperative_user_data(std::int32_t generation);

/// The generation in cooperative-sticky user data; none when it is shorter than 4 bytes
/// (bytes after the first 4 are ignored).
std::optional<std::int32_t> decode_cooperative_user_data(protocol::bytes_view user_data);

} // namespace kafkit::detail
