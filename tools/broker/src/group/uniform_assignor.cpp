// The server-side "uniform" assignor of KIP-848 consumer groups (Kafka's UniformAssignor):
// balance first (member sizes differ by at most one where the subscriptions allow), then
// stickiness (members keep as much of their previous target as balance permits).
//
// When every member subscribes to the same topics (homogeneous), each member's quota is
// total/members, plus one for total%members of them; members keep their partitions up to
// the quota and the rest go to members below it. Otherwise (heterogeneous) members keep the
// partitions of topics they still subscribe to, the others go to the least loaded subscriber,
// and partitions then move from the most to the least loaded eligible member while that
// narrows the gap. The extra-partition slots go to members that already hold the most, and
// ties are broken by member id, so the result is deterministic.

#include "group/server_assignor.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace kafkit::broker {
namespace {

using topic_partition_id = std::pair<protocol::uuid, std::int32_t>;

bool topic_partition_less(const topic_partition_id& a, const topic_partition_id& b) {
    if (a.first != b.first) return uuid_less{}(a.first, b.first);
    return a.second < b.second;
}

/// The member's previous partitions that still exist and that it still subscribes to.
std::vector<topic_partition_id> valid_current(const assignment_member& m, const assignment_spec& spec) {
    std::vector<topic_partition_id> out;
    for (const auto& [topic, partitions] : m.current) {
        auto count = spec.partitions.find(topic);
        if (count == spec.partitions.end() || !m.topics.count(topic)) continue;
        for (auto p : partitions)
            if (p < count->second) out.emplace_back(topic, p);
    }
    return out;
}

bool homogeneous(const assignment_spec& spec) {
    for (const auto& m : spec.members)
        if (m.topics != spec.members.front().topics) return false;
    return true;
}

group_assignment assign_homogeneous(const assignment_spec& spec) {
    group_assignment out;
    std::size_t total = 0;
    for (const auto& topic : spec.members.front().topics)
        if (auto it = spec.partitions.find(topic); it != spec.partitions.end())
            total += static_cast<std::size_t>(it->second);
    const std::size_t members = spec.members.size();
    const std::size_t min_quota = total / members;
    std::size_t extra = total % members;

    std::vector<std::pair<const assignment_member*, std::vector<topic_partition_id>>> order;
    for (const auto& m : spec.members) order.emplace_back(&m, valid_current(m, spec));
    // Extra slots first to those holding the most: fewer partitions move.
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });

    std::vector<std::pair<const assignment_member*, std::size_t>> room;
    topic_assignment kept_all;
    for (auto& [m, had] : order) {
        std::size_t quota = min_quota;
        if (extra > 0) {
            ++quota;
            --extra;
        }
        auto& mine = out[m->member_id];
        for (std::size_t i = 0; i < had.size() && i < quota; ++i) {
            add_partition(mine, had[i].first, had[i].second);
            add_partition(kept_all, had[i].first, had[i].second);
        }
        if (had.size() < quota) room.emplace_back(m, quota - had.size());
    }
    std::vector<topic_partition_id> unassigned;
    for (const auto& topic : spec.members.front().topics)
        if (auto it = spec.partitions.find(topic); it != spec.partitions.end())
            for (std::int32_t p = 0; p < it->second; ++p)
                if (!holds(kept_all, topic, p)) unassigned.emplace_back(topic, p);
    std::sort(room.begin(), room.end(),
              [](const auto& a, const auto& b) { return a.first->member_id < b.first->member_id; });
    std::size_t next = 0;
    for (auto& [m, slots] : room)
        for (std::size_t i = 0; i < slots && next < unassigned.size(); ++i, ++next)
            add_partition(out[m->member_id], unassigned[next].first, unassigned[next].second);
    return out;
}

/// The eligible member (subscribed to `topic`) with the fewest partitions; nullptr when none.
const assignment_member* least_loaded(const assignment_spec& spec, const group_assignment& out,
                                      const protocol::uuid& topic) {
    const assignment_member* best = nullptr;
    std::size_t best_size = 0;
    for (const auto& m : spec.members) {
        if (!m.topics.count(topic)) continue;
        const auto size = partition_count(out.at(m.member_id));
        if (!best || size < best_size) {
            best = &m;
            best_size = size;
        }
    }
    return best;
}

/// Moves one partition from a member to a less loaded eligible one when the gap is two or
/// more; false when no such move exists.
bool rebalance_once(const assignment_spec& spec, group_assignment& out) {
    std::vector<const assignment_member*> by_size;
    for (const auto& m : spec.members) by_size.push_back(&m);
    std::stable_sort(by_size.begin(), by_size.end(), [&](const auto* a, const auto* b) {
        return partition_count(out.at(a->member_id)) > partition_count(out.at(b->member_id));
    });
    for (const auto* from : by_size) {
        const auto from_size = partition_count(out.at(from->member_id));
        for (const auto& [topic, partitions] : out.at(from->member_id)) {
            const auto* to = least_loaded(spec, out, topic);
            if (!to || partition_count(out.at(to->member_id)) + 2 > from_size) continue;
            const auto p = *partitions.rbegin(); // the highest moves, the lower ranges stay put
            const auto moved_topic = topic;
            remove_partition(out[from->member_id], moved_topic, p);
            add_partition(out[to->member_id], moved_topic, p);
            return true;
        }
    }
    return false;
}

group_assignment assign_heterogeneous(const assignment_spec& spec) {
    group_assignment out;
    topic_assignment kept_all;
    for (const auto& m : spec.members) {
        auto& mine = out[m.member_id];
        for (const auto& [topic, p] : valid_current(m, spec)) {
            add_partition(mine, topic, p);
            add_partition(kept_all, topic, p);
        }
    }
    // The most constrained topics (fewest subscribers) are placed first.
    std::vector<std::pair<std::size_t, topic_partition_id>> unassigned;
    for (const auto& [topic, count] : spec.partitions) {
        std::size_t subscribers = 0;
        for (const auto& m : spec.members) subscribers += m.topics.count(topic);
        if (subscribers == 0) continue;
        for (std::int32_t p = 0; p < count; ++p)
            if (!holds(kept_all, topic, p)) unassigned.push_back({subscribers, {topic, p}});
    }
    std::stable_sort(unassigned.begin(), unassigned.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        return topic_partition_less(a.second, b.second);
    });
    for (const auto& [subscribers, tp] : unassigned)
        if (const auto* m = least_loaded(spec, out, tp.first)) add_partition(out[m->member_id], tp.first, tp.second);
    // Each move lowers the sum of squared sizes, so this ends.
    while (rebalance_once(spec, out)) {
    }
    return out;
}

} // namespace

group_assignment uniform_assign(const assignment_spec& spec) {
    if (spec.members.empty()) return {};
    return homogeneous(spec) ? assign_homogeneous(spec) : assign_heterogeneous(spec);
}

} // namespace kafkit::broker
