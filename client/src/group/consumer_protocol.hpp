#pragma once
// The payloads of the "consumer" protocol type in Kafka's classic group protocol: the member
// metadata a consumer puts in JoinGroup (ConsumerProtocolSubscription: topics, user data,
// owned partitions from v1 (KIP-429), generation from v2 (KIP-792), rack from v3 (KIP-881))
// and the assignment the leader puts in SyncGroup (ConsumerProtocolAssignment). On the wire
// each is a 2-byte version and then the struct at that version, never flexible.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/result.hpp"
#include "kafkit/topic_partition.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::detail {

/// The newest version of both payloads this client knows: the one Java (3.5 on) and
/// librdkafka (2.3 on) write for subscriptions, and Java for assignments.
inline constexpr std::int16_t consumer_protocol_version = 3;

/// One member's JoinGroup metadata. `member_id` and `group_instance_id` are not in the payload:
/// the JoinGroup response carries them beside it.
struct member_subscription {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::vector<std::string> topics;
    std::vector<topic_partition> owned_partitions; ///< v1+: what the member holds now
    std::int32_t generation_id = -1;               ///< v2+: generation of owned_partitions; -1 none
    std::optional<std::string> rack_id;            ///< v3+: the member's client.rack
    std::vector<std::uint8_t> user_data;           ///< the assignor's own bytes; empty when none

    friend bool operator==(const member_subscription&, const member_subscription&) = default;
};

/// One member's SyncGroup assignment.
struct member_assignment {
    std::vector<topic_partition> partitions;
    std::vector<std::uint8_t> user_data; ///< empty when none (written as null)

    friend bool operator==(const member_assignment&, const member_assignment&) = default;
};

/// Encodes `subscription` as JoinGroup member metadata at `version` (0 to 3); fields that
/// version lacks are left out. Topics are written sorted and once each, owned partitions sorted
/// and grouped by topic, as Java writes them; empty user data as empty bytes rather than null
/// (as librdkafka does, for old leaders that cannot read null); an empty rack id as null.
/// Fails with errc::unsupported_version for another version, errc::invalid_field_value for a
/// string longer than 32767 bytes.
protocol::result<std::vector<std::uint8_t>>
encode_subscription(const member_subscription& subscription,
                    std::int16_t version = consumer_protocol_version);

/// Decodes JoinGroup member metadata written at any version. As Java's ConsumerProtocol does,
/// a version above 3 is read as version 3 and bytes after the known fields are ignored (at
/// every version: newer versions may only append fields); an empty rack id reads as none.
/// Fails with errc::unsupported_version for a negative version, errc::truncated or
/// errc::malformed_frame for bad bytes. member_id and group_instance_id are left empty.
protocol::result<member_subscription> decode_subscription(protocol::bytes_view metadata);

/// Encodes `assignment` as SyncGroup member state at `version` (0 to 3; the layout is the same
/// at all four), partitions sorted and grouped by topic, empty user data as null. Fails with
/// errc::unsupported_version for another version.
protocol::result<std::vector<std::uint8_t>>
encode_assignment(const member_assignment& assignment,
                  std::int16_t version = consumer_protocol_version);

/// Decodes SyncGroup member state written at any version, with the same tolerance of newer
/// versions and trailing bytes as decode_subscription() (older Java clients appended an error
/// code at v1). Fails with errc::unsupported_version for a negative version, errc::truncated
/// or errc::malformed_frame for bad bytes.
protocol::result<member_assignment> decode_assignment(protocol::bytes_view assignment);

/// `partitions` sorted, once each, in the protocol's [topic [partition]] shape: `Wire` is one
/// of the generated `topic_partition` structs (all have `topic` and `partitions`).
template <class Wire> std::vector<Wire> group_by_topic(std::vector<topic_partition> partitions) {
    std::sort(partitions.begin(), partitions.end());
    partitions.erase(std::unique(partitions.begin(), partitions.end()), partitions.end());
    std::vector<Wire> grouped;
    for (const auto& tp : partitions) {
        if (grouped.empty() || grouped.back().topic != tp.topic)
            grouped.emplace_back().topic = tp.topic;
        grouped.back().partitions.push_back(tp.partition.value());
    }
    return grouped;
}

/// The partitions of [topic [partition]] arrays, in their order.
template <class Wire>
std::vector<topic_partition> flatten_topics(const std::vector<Wire>& grouped) {
    std::vector<topic_partition> partitions;
    for (const auto& topic : grouped) {
        for (const std::int32_t p : topic.partitions)
            partitions.push_back({topic.topic, partition_id{p}});
    }
    return partitions;
}

} // namespace kafkit::detail
