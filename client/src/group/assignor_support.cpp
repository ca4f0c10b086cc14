#include "group/assignor_support.hpp"

#include <algorithm>
#include <set>

namespace kafkit::detail {

bool java_member_order(const member_subscription& a, const member_subscription& b) {
    if (a.group_instance_id && b.group_instance_id)
        return *a.group_instance_id < *b.group_instance_id;
    if (a.group_instance_id || b.group_instance_id) return a.group_instance_id.has_value();
    return a.member_id < b.member_id;
}

std::vector<const member_subscription*>
members_in_java_order(const std::vector<member_subscription>& members) {
    std::vector<const member_subscription*> unique;
    std::set<std::string_view> seen;
    for (const auto& member : members) {
        if (seen.insert(member.member_id).second) unique.push_back(&member);
    }
    std::stable_sort(unique.begin(), unique.end(),
                     [](const member_subscription* a, const member_subscription* b) {
                         return java_member_order(*a, *b);
                     });
    return unique;
}

std::int32_t partition_count(const assignor_cluster& cluster, const std::string& topic) {
    const auto it = cluster.partition_counts.find(topic);
    return it == cluster.partition_counts.end() ? 0 : std::max<std::int32_t>(it->second, 0);
}

bool subscribes(const member_subscription& member, std::string_view topic) {
    return std::find(member.topics.begin(), member.topics.end(), topic) != member.topics.end();
}

group_assignment empty_assignment(const std::vector<const member_subscription*>& members) {
    group_assignment assignment;
    for (const auto* member : members)
        assignment[member->member_id];
    return assignment;
}

void sort_partitions(group_assignment& assignment) {
    for (auto& [member, partitions] : assignment)
        std::sort(partitions.begin(), partitions.end());
}

} // namespace kafkit::detail
