#pragma once
// The algorithm under "sticky" and "cooperative-sticky" (KIP-54, KIP-341, KIP-429): keep
// every partition where it is, unless that breaks balance, and balance as far as the
// subscriptions allow. Written from the goals Java's AbstractStickyAssignor states rather than
// from its code, so it meets the same guarantees but may pick other partitions to move:
// - claims: a partition claimed by several members goes to the claim of the highest
//   generation; claimed by two or more members of that same generation, it goes to nobody in
//   particular (Java and librdkafka both invalidate such claims);
// - kept: each member keeps the partitions it won that it is still subscribed to;
// - filled: the remaining partitions go, topics with the fewest subscribers first, each to the
//   least loaded subscriber (ties: lowest member id), which for a fresh group with identical
//   subscriptions gives Java's round-robin layout;
// - balanced: a partition then moves from member a to a subscriber b of its topic while a
//   holds at least two more partitions than b, the widest gap first, taking first the
//   partitions a did not keep. It ends when no such move exists: Java's definition of
//   balanced (isBalanced), which for identical subscriptions means counts within one.
// No rack awareness (Java 3.5 added some for sticky assignors; KIP-881).

#include "group/partition_assignor.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kafkit::detail {

/// What a member says it held before this rebalance, and in which generation.
struct sticky_claim {
    std::vector<topic_partition> partitions;
    std::int32_t generation = -1; ///< -1: unknown (loses to any known generation)
};

/// The assignment and the ownership it started from.
struct sticky_outcome {
    group_assignment assignment;
    /// Every member that claimed each partition (of the current topics).
    std::map<topic_partition, std::vector<std::string>> claimants;
    /// The member whose claim won, for partitions with a winner.
    std::map<topic_partition, std::string> owners;
};

/// Runs the sticky algorithm; claims[i] is what members[i] claims (members listed twice count
/// once, with their first claim).
sticky_outcome sticky_assign(const assignor_cluster& cluster,
                             const std::vector<member_subscription>& members,
                             const std::vector<sticky_claim>& claims);

} // namespace kafkit::detail
