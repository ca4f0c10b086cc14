#pragma once
// Server-side assignors of KIP-848 consumer groups: given the members, the topics they
// subscribe to and the previous target assignment, each computes the next target assignment.
// The broker has Kafka's two, "uniform" (the default, first in group.consumer.assignors) and
// "range"; a member picks one with ServerAssignor and the group uses the most requested.

#include "group/topic_assignment.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::broker {

/// One member as an assignor sees it.
struct assignment_member {
    std::string member_id;
    std::set<protocol::uuid, uuid_less> topics; ///< subscribed topics that exist
    topic_assignment current;                   ///< its previous target assignment
};

/// An assignor's input. Members are in member-id order.
struct assignment_spec {
    std::vector<assignment_member> members;
    std::map<protocol::uuid, std::int32_t, uuid_less> partitions; ///< partition count per subscribed topic
};

/// The target assignment per member id (every member of the spec has an entry).
using group_assignment = std::map<std::string, topic_assignment, std::less<>>;

/// A server-side assignor.
struct server_assignor {
    std::string_view name;
    group_assignment (*assign)(const assignment_spec& spec);
};

/// Kafka's UniformAssignor: balanced (member sizes differ by one at most where the
/// subscriptions allow) and sticky. Defined in uniform_assignor.cpp.
[[nodiscard]] group_assignment uniform_assign(const assignment_spec& spec);
/// Kafka's server-side RangeAssignor: per topic, ranges of partitions over the members
/// subscribed to it, keeping what members had within their quota. Defined in range_assignor.cpp.
[[nodiscard]] group_assignment range_assign(const assignment_spec& spec);

/// The assignor with this name; nullptr when the broker has none.
[[nodiscard]] const server_assignor* find_server_assignor(std::string_view name) noexcept;
/// The assignor a group uses when no member asks for one ("uniform").
[[nodiscard]] const server_assignor& default_server_assignor() noexcept;
/// The assignor names, comma-separated, for UNSUPPORTED_ASSIGNOR's message.
[[nodiscard]] std::string server_assignor_names();

} // namespace kafkit::broker
