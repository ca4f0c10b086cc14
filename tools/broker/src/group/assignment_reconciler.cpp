#include "group/assignment_reconciler.hpp"

#include <set>

namespace kafkit::broker {
namespace {

/// True while the member may still hold one of `revoked`: it did not report its partitions,
/// or it reported one of them.
bool still_owns_any(const std::optional<topic_assignment>& owned, const topic_assignment& revoked) {
    if (!owned) return true;
    for (const auto& [id, partitions] : *owned)
        for (auto p : partitions)
            if (holds(revoked, id, p)) return true;
    return false;
}

/// The state after a step: the epochs move together (the old epoch becomes the previous).
member_assignment_state step(const member_assignment_state& from, std::int32_t epoch, member_state state,
                             topic_assignment assigned, topic_assignment pending_revocation) {
    member_assignment_state next;
    next.previous_member_epoch = from.member_epoch;
    next.member_epoch = epoch;
    next.state = state;
    next.assigned = std::move(assigned);
    next.pending_revocation = std::move(pending_revocation);
    return next;
}

/// One full reconciliation pass from `current` toward `target`.
member_assignment_state next_assignment(const member_assignment_state& current, std::int32_t target_epoch,
                                        const topic_assignment& target, const partition_owner_epoch& owner_epoch,
                                        const std::optional<topic_assignment>& owned) {
    std::set<protocol::uuid, uuid_less> topics;
    for (const auto& [id, partitions] : target) topics.insert(id);
    for (const auto& [id, partitions] : current.assigned) topics.insert(id);

    topic_assignment kept, revoke, newly_assigned;
    bool unreleased = false;
    static const partition_set none;
    for (const auto& id : topics) {
        auto t = target.find(id);
        auto c = current.assigned.find(id);
        const partition_set& wanted = t == target.end() ? none : t->second;
        const partition_set& has = c == current.assigned.end() ? none : c->second;
        for (auto p : has) {
            if (wanted.count(p))
                add_partition(kept, id, p);
            else
                add_partition(revoke, id, p);
        }
        for (auto p : wanted) {
            if (has.count(p)) continue;
            // A partition is given only once no other member owns it; one this member is
            // itself still revoking is not held against it.
            if (owner_epoch(id, p) != -1 && !holds(current.pending_revocation, id, p))
                unreleased = true;
            else
                add_partition(newly_assigned, id, p);
        }
    }

    if (!revoke.empty() && still_owns_any(owned, revoke)) {
        // Revoke first, at the current epoch; nothing new is given meanwhile.
        return step(current, current.member_epoch, member_state::unrevoked_partitions, std::move(kept),
                    std::move(revoke));
    }
    for (const auto& [id, partitions] : newly_assigned)
        for (auto p : partitions) add_partition(kept, id, p);
    return step(current, target_epoch, unreleased ? member_state::unreleased_partitions : member_state::stable,
                std::move(kept), {});
}

} // namespace

member_assignment_state reconcile(const member_assignment_state& current, std::int32_t target_epoch,
                                  const topic_assignment& target, const partition_owner_epoch& owner_epoch,
                                  const std::optional<topic_assignment>& owned) {
    switch (current.state) {
    case member_state::stable:
        if (current.member_epoch == target_epoch) return current;
        return next_assignment(current, target_epoch, target, owner_epoch, owned);
    case member_state::unrevoked_partitions:
        // Stuck until the heartbeat shows the revoked partitions are gone.
        if (still_owns_any(owned, current.pending_revocation)) return current;
        return next_assignment(current, target_epoch, target, owner_epoch, owned);
    case member_state::unreleased_partitions: return next_assignment(current, target_epoch, target, owner_epoch, owned);
    }
    return current;
}

} // namespace kafkit::broker
