#pragma once
// KIP-848 reconciliation: how a member's current assignment moves toward its target
// assignment, one heartbeat at a time (Kafka's CurrentAssignmentBuilder). A member first
// gives up (revokes) the partitions it no longer has in its target and stays at its epoch
// until its heartbeat's owned partitions show it did; then it moves to the target epoch and
// receives the target partitions that no other member still owns. Partitions still owned
// elsewhere are "unreleased" and come on a later heartbeat, once their owner revoked them.

#include "group/topic_assignment.hpp"

#include <cstdint>
#include <functional>
#include <optional>

namespace kafkit::broker {

/// Where a member is in its reconciliation (Kafka's MemberState).
enum class member_state {
    stable,                ///< its assignment is the target of its epoch
    unrevoked_partitions,  ///< waiting for it to acknowledge revoked partitions
    unreleased_partitions, ///< at the target epoch, waiting for partitions others still own
};

/// A member's epochs and partitions, what reconciliation changes.
struct member_assignment_state {
    std::int32_t member_epoch = 0;
    std::int32_t previous_member_epoch = 0;
    member_state state = member_state::stable;
    topic_assignment assigned;           ///< what the member may consume (sent in responses)
    topic_assignment pending_revocation; ///< what it must give up before moving on

    /// True when nothing is left to do for `target_epoch` (Kafka's isReconciledTo).
    [[nodiscard]] bool is_reconciled_to(std::int32_t target_epoch) const noexcept {
        return state == member_state::stable && member_epoch == target_epoch;
    }
    friend bool operator==(const member_assignment_state&, const member_assignment_state&) = default;
};

/// The epoch of the member that owns a partition (assigned or pending revocation), -1 when
/// no member does.
using partition_owner_epoch = std::function<std::int32_t(const protocol::uuid& topic, std::int32_t partition)>;

/// The member's next state toward `target` at `target_epoch`. `owned` is what its heartbeat
/// reported (nullopt when the request did not say); `owner_epoch` tells which partitions
/// other members still hold. Returns `current` unchanged when it cannot progress.
[[nodiscard]] member_assignment_state reconcile(const member_assignment_state& current, std::int32_t target_epoch,
                                                const topic_assignment& target,
                                                const partition_owner_epoch& owner_epoch,
                                                const std::optional<topic_assignment>& owned);

} // namespace kafkit::broker
