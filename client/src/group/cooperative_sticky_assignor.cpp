#include "group/builtin_assignors.hpp"
#include "group/sticky_balancer.hpp"

#include <algorithm>

namespace kafkit::detail {

std::vector<std::uint8_t> encode_cooperative_user_data(std::int32_t generation) {
    const auto g = static_cast<std::uint32_t>(generation);
    return {static_cast<std::uint8_t>(g >> 24), static_cast<std::uint8_t>(g >> 16),
            static_cast<std::uint8_t>(g >> 8), static_cast<std::uint8_t>(g)};
}

std::optional<std::int32_t> decode_cooperative_user_data(protocol::bytes_view user_data) {
    if (user_data.size() < 4) return std::nullopt;
    const std::uint32_t g = (std::uint32_t{user_data[0]} << 24) |
                            (std::uint32_t{user_data[1]} << 16) |
                            (std::uint32_t{user_data[2]} << 8) | std::uint32_t{user_data[3]};
    return static_cast<std::int32_t>(g);
}

group_assignment assign_cooperative_sticky(const assignor_cluster& cluster,
                                           const std::vector<member_subscription>& members) {
    std::vector<sticky_claim> claims;
    claims.reserve(members.size());
    for (const auto& member : members) {
        // The subscription's generation when it has one (v2+), else the user data's, as
        // CooperativeStickyAssignor.memberData reads it.
        std::int32_t generation = member.generation_id;
        if (generation < 0)
            generation =
                decode_cooperative_user_data({member.user_data.data(), member.user_data.size()})
                    .value_or(-1);
        claims.push_back({member.owned_partitions, generation});
    }
    sticky_outcome outcome = sticky_assign(cluster, members, claims);

    // KIP-429: a partition goes to a new member only once no other member claims it.
    for (auto& entry : outcome.assignment) {
        const std::string& member = entry.first;
        std::erase_if(entry.second, [&](const topic_partition& tp) {
            const auto claimants = outcome.claimants.find(tp);
            if (claimants == outcome.claimants.end()) return false;
            const auto owner = outcome.owners.find(tp);
            if (owner != outcome.owners.end() && owner->second == member) return false;
            const auto& ids = claimants->second;
            return std::any_of(ids.begin(), ids.end(),
                               [&](const std::string& id) { return id != member; });
        });
    }
    return std::move(outcome.assignment);
}

} // namespace kafkit::detail
