#pragma once
// What the group operations' files share: routing groups to their coordinators, and the
// errors that send a group to its coordinator again.

#include "admin/routed_call.hpp"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace kafkit::detail {

inline constexpr std::int8_t group_key = 0;

inline std::string group_context(const std::string& group) { return "group " + group; }

/// Errors that mean "ask the coordinator again": the group stays open for another attempt.
inline bool coordinator_moved(admin_engine& engine, const std::string& group, std::error_code ec) {
    if (ec == kafka_errc::not_coordinator || ec == kafka_errc::coordinator_not_available) {
        engine.forget_coordinator(group_key, group);
        return true;
    }
    return ec == kafka_errc::coordinator_load_in_progress;
}

/// Places group ids on their coordinators; a group whose lookup failed for good fails.
template <class Key, class Value, class GroupOf>
auto coordinator_lookup(admin_engine& engine, std::shared_ptr<keyed_promises<Key, Value>> promises, GroupOf group_of) {
    return [&engine, promises, group_of](const std::vector<Key>& open, admin_engine::clock_type::time_point until,
                                         std::function<void(placement<Key>)> placed) {
        std::set<std::string> groups;
        for (const auto& key : open) groups.insert(group_of(key));
        engine.find_coordinators(group_key, {groups.begin(), groups.end()}, until,
                                 [promises, open, group_of, placed](std::map<std::string, coordinator_answer> answers) {
                                     placement<Key> where;
                                     for (const auto& key : open) {
                                         const auto& a = answers[group_of(key)];
                                         if (a.node >= 0) where[a.node].push_back(key);
                                         else if (!admin_engine::retriable(a.error))
                                             promises->fail(key, a.error, with_message(group_context(group_of(key)), a.message));
                                     }
                                     placed(std::move(where));
                                 });
    };
}

inline std::string identity(const std::string& s) { return s; }


/// start_list_group_offsets' result per group.
using committed_offsets = std::map<topic_partition, offset_and_metadata>;

/// I/O thread: completes `promises` with each group's committed offsets (of the partitions
/// given, or of all when nullopt). Partitions without a committed offset are left out.
void start_list_group_offsets(admin_engine& engine, std::shared_ptr<keyed_promises<std::string, committed_offsets>> promises,
                              std::map<std::string, std::optional<std::vector<topic_partition>>> groups,
                              bool require_stable, admin_engine::clock_type::time_point deadline);

/// A member to remove: by member id, or ("" and) its group.instance.id for a static member.
struct leaving_member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
};

/// I/O thread: removes `members` (by key) from `group_id` (LeaveGroup v3+, to its coordinator).
void start_leave_group(admin_engine& engine, std::shared_ptr<keyed_promises<std::string, void>> promises,
                       std::string group_id, std::map<std::string, leaving_member> members, std::string reason,
                       admin_engine::clock_type::time_point deadline);

} // namespace kafkit::detail
