#include "group/assignor_support.hpp"
#include "group/builtin_assignors.hpp"

#include <set>

namespace kafkit::detail {

group_assignment assign_roundrobin(const assignor_cluster& cluster,
                                   const std::vector<member_subscription>& members) {
    const auto ordered = members_in_java_order(members);
    group_assignment out = empty_assignment(ordered);

    std::set<std::string> topics;
    for (const auto* member : ordered)
        topics.insert(member->topics.begin(), member->topics.end());

    // `next` walks the members in a circle and keeps its place from one partition to the
    // next, as Java's CircularIterator does; a topic always has a subscriber, since the topics
    // come from the subscriptions.
    std::size_t next = 0;
    for (const auto& topic : topics) {
        const std::int32_t count = partition_count(cluster, topic);
        for (std::int32_t p = 0; p < count; ++p) {
            while (!subscribes(*ordered[next], topic))
                next = (next + 1) % ordered.size();
            out[ordered[next]->member_id].push_back({topic, partition_id{p}});
            next = (next + 1) % ordered.size();
        }
    }
    sort_partitions(out);
    return out;
}

} // namespace kafkit::detail
