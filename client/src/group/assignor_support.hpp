#pragma once
// What the built-in assignors share: the member order Java's assignors use, the members
// listed once each, and the empty and sorted forms of a group assignment.

#include "group/partition_assignor.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::detail {

/// Java's AbstractPartitionAssignor.MemberInfo order: static members (with a
/// group.instance.id) first, by instance id, then dynamic members by member id.
bool java_member_order(const member_subscription& a, const member_subscription& b);

/// The members, each member id once (its first listing), in Java's member order.
std::vector<const member_subscription*>
members_in_java_order(const std::vector<member_subscription>& members);

/// The number of partitions of `topic`; 0 when unknown.
std::int32_t partition_count(const assignor_cluster& cluster, const std::string& topic);

/// Whether `member` lists `topic` in its subscription.
bool subscribes(const member_subscription& member, std::string_view topic);

/// An entry with no partitions for each of `members`.
group_assignment empty_assignment(const std::vector<const member_subscription*>& members);

/// Sorts each member's partitions.
void sort_partitions(group_assignment& assignment);

} // namespace kafkit::detail
