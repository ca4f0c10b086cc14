// The server-side "range" assignor of KIP-848 consumer groups, with the properties Kafka's
// RangeAssignor documents: per topic, each subscribed member gets partitions/members of it
// (the first partitions % members members one more); members keep what they already had
// within that quota (sticky); the rest is handed out in ascending ranges, so that members with
// the same subscriptions get the same partition numbers of co-partitioned topics.

#include "group/server_assignor.hpp"

#include <algorithm>
#include <vector>

namespace kafkit::broker {
namespace {

/// A member still short of its quota for the topic being assigned.
struct unfilled_member {
    const assignment_member* member;
    std::int32_t remaining;
};

void assign_topic(const protocol::uuid& topic, std::int32_t count,
                  const std::vector<const assignment_member*>& subscribers, group_assignment& out) {
    const auto members = static_cast<std::int32_t>(subscribers.size());
    const std::int32_t quota = count / members;
    std::int32_t extra = count % members;
    partition_set taken;
    std::vector<unfilled_member> unfilled;
    for (const auto* m : subscribers) {
        std::vector<std::int32_t> had;
        if (auto it = m->current.find(topic); it != m->current.end())
            for (auto p : it->second)
                if (p < count) had.push_back(p); // the set is ascending already
        const auto size = static_cast<std::int32_t>(had.size());
        const auto keep = std::min(size, quota);
        for (std::int32_t i = 0; i < keep; ++i) {
            taken.insert(had[static_cast<std::size_t>(i)]);
            add_partition(out[m->member_id], topic, had[static_cast<std::size_t>(i)]);
        }
        if (size > quota && extra > 0) {
            // It had more than the quota: it keeps one extra while extras remain.
            --extra;
            taken.insert(had[static_cast<std::size_t>(quota)]);
            add_partition(out[m->member_id], topic, had[static_cast<std::size_t>(quota)]);
        } else {
            unfilled.push_back({m, quota - size});
        }
    }
    std::vector<std::int32_t> free;
    for (std::int32_t p = 0; p < count; ++p)
        if (!taken.count(p)) free.push_back(p);
    std::size_t next = 0;
    for (auto& u : unfilled) {
        if (extra > 0) {
            ++u.remaining;
            --extra;
        }
        for (std::int32_t i = 0; i < u.remaining && next < free.size(); ++i)
            add_partition(out[u.member->member_id], topic, free[next++]);
    }
}

} // namespace

group_assignment range_assign(const assignment_spec& spec) {
    group_assignment out;
    for (const auto& m : spec.members) out[m.member_id];
    for (const auto& [topic, count] : spec.partitions) {
        std::vector<const assignment_member*> subscribers;
        for (const auto& m : spec.members)
            if (m.topics.count(topic)) subscribers.push_back(&m);
        if (!subscribers.empty() && count > 0) assign_topic(topic, count, subscribers, out);
    }
    return out;
}

} // namespace kafkit::broker
