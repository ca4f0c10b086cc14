#include "state/replica_assignment.hpp"

#include "state/broker_state.hpp"

#include <algorithm>

namespace kafkit::broker {
namespace {

bool is_up(broker_state& state, std::int32_t id) {
    const broker_node* n = state.find_node(id);
    return n && n->up;
}

bool contains(const std::vector<std::int32_t>& ids, std::int32_t id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

/// The first of `replicas` whose node is up, or -1.
std::int32_t first_up(broker_state& state, const std::vector<std::int32_t>& replicas) {
    for (auto r : replicas)
        if (is_up(state, r)) return r;
    return -1;
}

} // namespace

std::string assignment_error(const std::vector<std::vector<std::int32_t>>& assignment,
                             const std::vector<broker_node>& nodes, std::size_t replication_factor) {
    std::size_t width = replication_factor;
    for (const auto& replicas : assignment) {
        if (replicas.empty()) return "The manual partition assignment includes an empty replica list.";
        auto sorted = replicas;
        std::sort(sorted.begin(), sorted.end());
        for (std::size_t i = 0; i < sorted.size(); ++i) {
            const auto id = sorted[i];
            if (std::none_of(nodes.begin(), nodes.end(), [id](const broker_node& n) { return n.id == id; }))
                return "The manual partition assignment includes broker " + std::to_string(id) +
                       ", but no such broker is registered.";
            if (i > 0 && sorted[i - 1] == id)
                return "The manual partition assignment includes the broker " + std::to_string(id) + " more than once.";
        }
        if (width != 0 && replicas.size() != width)
            return "The manual partition assignment includes a partition with " + std::to_string(replicas.size()) +
                   " replica(s), but this is not consistent with previous partitions, which have " +
                   std::to_string(width) + " replica(s).";
        width = replicas.size();
    }
    return {};
}

void reassign_replicas(broker_state& state, topic& t, std::int32_t index, const std::vector<std::int32_t>& replicas) {
    partition* p = t.find_partition(index);
    if (!p || p->replicas == replicas) return;
    const bool removes = std::any_of(p->replicas.begin(), p->replicas.end(), [&](auto r) { return !contains(replicas, r); });
    std::int32_t leader = p->leader;
    if (!contains(replicas, leader) || !is_up(state, leader)) {
        leader = first_up(state, replicas);
        if (leader == -1) leader = replicas.front();
    }
    p->replicas = replicas;
    if (leader != p->leader || removes) p->new_leader(leader);
    state.save_metadata();
    p->notify_append(); // fetchers waiting on a replaced leader answer NOT_LEADER_OR_FOLLOWER
}

kafka_errc elect_leader(broker_state& state, topic& t, std::int32_t index, std::int8_t election_type) {
    partition* p = t.find_partition(index);
    if (!p) return kafka_errc::unknown_topic_or_partition;
    const bool leader_up = is_up(state, p->leader);
    if (election_type == election_preferred) {
        const auto preferred = p->replicas.front();
        if (leader_up && p->leader == preferred) return kafka_errc::election_not_needed;
        if (!is_up(state, preferred)) return kafka_errc::preferred_leader_not_available;
        state.move_leader(t, index, preferred);
        return kafka_errc::none;
    }
    if (leader_up) return kafka_errc::election_not_needed;
    const auto candidate = first_up(state, p->replicas);
    if (candidate == -1) return kafka_errc::eligible_leaders_not_available;
    state.move_leader(t, index, candidate);
    return kafka_errc::none;
}

} // namespace kafkit::broker
