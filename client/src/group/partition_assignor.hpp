#pragma once
// The client-side partition assignors of the classic group protocol: the group leader runs
// the one the coordinator chose over every member's subscription and sends each member its
// partitions in SyncGroup. Pure functions of their inputs: no network, no clock, no state.

#include "group/consumer_protocol.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::detail {

/// How members give up partitions in a rebalance: all of them before joining (eager), or only
/// those the new assignment moves elsewhere (cooperative, KIP-429).
enum class rebalance_protocol { eager, cooperative };

/// What an assignor knows of the cluster.
struct assignor_cluster {
    /// Partitions per topic. Subscribed topics missing here (or with no partitions) are skipped.
    std::map<std::string, std::int32_t> partition_counts;
    /// Racks of each partition's replicas, for rack-aware assignment (KIP-881); may be empty.
    std::map<topic_partition, std::vector<std::string>> partition_racks;
};

/// Member id to its partitions, sorted; every member of the input has an entry, empty or not.
using group_assignment = std::map<std::string, std::vector<topic_partition>>;

/// One assignment strategy, named as in partition.assignment.strategy.
class partition_assignor {
public:
    virtual ~partition_assignor() = default;

    /// The protocol name sent in JoinGroup ("range", "cooperative-sticky", ...).
    [[nodiscard]] virtual std::string_view name() const noexcept = 0;
    /// Whether members using it keep their partitions across a rebalance.
    [[nodiscard]] virtual rebalance_protocol protocol() const noexcept = 0;

    /// The user data this member puts in its subscription, given the partitions of its last
    /// assignment and that assignment's generation (-1 before the first). Empty by default.
    [[nodiscard]] virtual std::vector<std::uint8_t>
    subscription_user_data(const std::vector<topic_partition>& owned,
                           std::int32_t generation) const;

    /// Assigns the partitions of the subscribed topics in `cluster` to `members` (a member id
    /// listed twice counts once). Every partition of a subscribed topic goes to exactly one
    /// member subscribed to it, except that a cooperative assignor leaves out partitions that
    /// another member must revoke first.
    [[nodiscard]] virtual group_assignment
    assign(const assignor_cluster& cluster,
           const std::vector<member_subscription>& members) const = 0;
};

/// The built-in assignor called `name` ("range", "roundrobin", "sticky", "cooperative-sticky"),
/// or nullptr for any other name.
std::unique_ptr<partition_assignor> make_assignor(std::string_view name);

} // namespace kafkit::detail
