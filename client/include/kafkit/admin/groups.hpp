#pragma once
// Consumer groups as the admin client lists, describes, deletes and repositions them.

#include "kafkit/admin/call_options.hpp"
#include "kafkit/admin/cluster.hpp"
#include "kafkit/topic_partition.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace kafkit::admin {

struct list_consumer_groups_options : call_options {
    /// Only groups in these states ("Stable", "Empty", ...; ListGroups v4+); all when empty.
    std::set<std::string> states;
    /// Only groups of these types ("classic", "consumer"; ListGroups v5+); all when empty.
    std::set<std::string> types;
};

struct consumer_group_listing {
    std::string group_id;
    bool is_simple = false; ///< no protocol type: offsets committed without membership
    std::optional<std::string> state; ///< ListGroups v4+
    std::optional<std::string> type;  ///< ListGroups v5+
};

/// Every broker's groups, and the brokers that could not list theirs: a broker's error
/// fails only its share, as with the Java client's ListConsumerGroupsResult.errors().
struct consumer_group_listings {
    std::vector<consumer_group_listing> groups; ///< by group id
    std::vector<std::pair<node_id, std::error_code>> errors;
};

struct describe_consumer_groups_options : call_options {
    bool include_authorized_operations = false;
};

struct member_description {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string host;
    std::vector<topic_partition> assignment; ///< sorted
};

struct consumer_group_description {
    std::string group_id;
    bool is_simple = false;
    std::vector<member_description> members;
    std::string partition_assignor; ///< the classic protocol's name, or KIP-848's server assignor
    std::string type;               ///< "classic" or "consumer"
    std::string state;              ///< "Stable", "Empty", "Dead", ...
    std::optional<node> coordinator;
    std::optional<std::set<acl_operation>> authorized_operations;
};

struct list_consumer_group_offsets_options : call_options {
    /// Wait for pending transactional commits (KIP-447; OffsetFetch v7+).
    bool require_stable = false;
};

/// One group's committed offset of a partition next to the partition's log end.
struct partition_lag {
    std::optional<offset_and_metadata> committed; ///< none when the group has not committed
    record_offset log_end{-1};
    /// log_end minus the committed offset; when nothing is committed, the whole log
    /// (log_end minus log start), as the group would read it from the beginning.
    std::int64_t lag = 0;
};

/// Which static members remove_members_from_consumer_group removes, by group.instance.id,
/// and the reason the group is told (LeaveGroup v5+).
struct remove_members_options : call_options {
    std::vector<std::string> group_instance_ids;
    std::string reason;
};

} // namespace kafkit::admin
