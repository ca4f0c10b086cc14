#pragma once
// What consumer_engine asks of a consumer's group membership, whichever protocol runs it:
// group_membership (classic: JoinGroup, SyncGroup, Heartbeat) or consumer_group_membership
// (KIP-848: ConsumerGroupHeartbeat). I/O thread, except note_poll().

#include "consumer/group_offsets.hpp"
#include "consumer/topic_subscription.hpp"
#include "group/partition_assignor.hpp"
#include "kafkit/topic_partition.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kafkit::detail {

class membership {
public:
    virtual ~membership() = default;
    membership() = default;
    membership(const membership&) = delete;
    membership& operator=(const membership&) = delete;

    /// What this member subscribes to (topic names and patterns).
    virtual void set_subscription(topic_subscription subscription) = 0;
    /// Joins (or rejoins) the group, holding `owned` from generation `owned_generation`
    /// (-1: none). Ignored while a join is already under way.
    virtual void join(std::vector<topic_partition> owned, std::int32_t owned_generation) = 0;
    /// Leaves the group and stops; `done` runs when that is answered or failed.
    virtual void leave(const std::string& reason, std::function<void()> done) = 0;
    /// Stops without a word to the coordinator.
    virtual void stop() = 0;
    /// The application entered or left poll() (time inside poll() counts as polling); any thread.
    virtual void note_poll(bool inside) noexcept = 0;
    /// What the application gives up before a rejoin it was asked for: everything (eager) or
    /// only the partitions of topics no longer subscribed (cooperative).
    [[nodiscard]] virtual rebalance_protocol preparing_protocol() const noexcept = 0;

    /// poll() applied an assignment event that asked for it (KIP-848): `owned` is what the
    /// application holds now, for the coordinator to hear in the next heartbeat.
    virtual void assignment_applied(std::vector<topic_partition> /*owned*/) {}
    /// Who a commit is from, given `applied`, the identity of the assignment poll() applied
    /// last. The classic protocol commits with that generation; KIP-848 with the member
    /// epoch of the latest heartbeat (OffsetCommit v9+ checks it against the current one).
    [[nodiscard]] virtual group_identity commit_identity(const group_identity& applied) const { return applied; }
};

} // namespace kafkit::detail
