// group_coordinator: coordinator lookup, offsets (commit validation, deletion), group
// deletion and the periodic offset expiration. The rebalance protocol is in group_join.cpp
// and group_membership.cpp.

#include "group/group_coordinator.hpp"

#include "server/scheduler.hpp"
#include "state/broker_state.hpp"

#include <algorithm>

namespace kafkit::broker {
namespace {

/// offsets.retention.check.interval.ms (Kafka's default): how often offsets are expired.
constexpr std::chrono::milliseconds retention_check_interval{600000};

/// Java's String.hashCode over the bytes (equal to Java's for ASCII ids), as Kafka hashes a
/// group id onto a __consumer_offsets partition.
std::int32_t java_string_hash(std::string_view key) {
    std::uint32_t h = 0;
    for (unsigned char c : key) h = 31 * h + c;
    return static_cast<std::int32_t>(h);
}

} // namespace

group_coordinator::group_coordinator(broker_state& state)
    : state_(state), offsets_(state.config().data_dir, state.config().sync), consumer_(state) {
    // Groups that only have offsets come back Empty: membership is not persisted.
    for (const auto& group_id : offsets_.groups()) get_or_create(group_id);
    schedule_cleanup();
}

group_coordinator::~group_coordinator() {
    cleanup_timer_.cancel();
    groups_.clear();
}

std::int32_t group_coordinator::coordinator_node(std::string_view key) const {
    std::vector<std::int32_t> up;
    for (const auto& n : state_.nodes())
        if (n.up) up.push_back(n.id);
    if (up.empty()) return -1;
    std::sort(up.begin(), up.end());
    // Kafka: Utils.abs(key.hashCode) % partitions of __consumer_offsets, then that
    // partition's leader. Here the nodes that are up stand in for the partitions.
    const auto hash = java_string_hash(key) & 0x7fffffff;
    return up[static_cast<std::size_t>(hash) % up.size()];
}

kafka_errc group_coordinator::check_coordinator(std::string_view group_id, std::int32_t node_id) const {
    const auto coordinator = coordinator_node(group_id);
    if (coordinator < 0) return kafka_errc::coordinator_not_available;
    return coordinator == node_id ? kafka_errc::none : kafka_errc::not_coordinator;
}

classic_group* group_coordinator::find_group(std::string_view group_id) const {
    auto it = groups_.find(group_id);
    return it == groups_.end() ? nullptr : it->second.get();
}

classic_group& group_coordinator::get_or_create(const std::string& group_id) {
    auto it = groups_.find(group_id);
    if (it == groups_.end()) it = groups_.emplace(group_id, std::make_unique<classic_group>(group_id)).first;
    return *it->second;
}

kafka_errc group_coordinator::validate_commit(const commit_params& params) {
    if (const consumer_group* consumer = consumer_.find(params.group_id))
        return consumer_.validate_commit(*consumer, params.member_id, params.generation_id, params.api_version);
    classic_group* group = find_group(params.group_id);
    if (!group) {
        // A commit outside group management (generation -1) creates a simple group.
        if (params.generation_id < 0) {
            get_or_create(params.group_id);
            return kafka_errc::none;
        }
        // OffsetCommit v9 reports the missing group; older versions the legacy error.
        return params.api_version >= 9 ? kafka_errc::group_id_not_found : kafka_errc::illegal_generation;
    }
    if (group->is(group_state::dead)) return kafka_errc::coordinator_not_available;
    if (params.generation_id < 0 && group->is(group_state::empty)) return kafka_errc::none;
    if (params.generation_id >= 0 || !params.member_id.empty() || params.group_instance_id) {
        if (auto error = group->validate_member(params.member_id, params.group_instance_id); error != kafka_errc::none)
            return error;
        if (params.generation_id != group->generation()) return kafka_errc::illegal_generation;
    } else if (!group->is(group_state::empty)) {
        // Without member and generation (v0), commits are only taken while the group is empty.
        return kafka_errc::unknown_member_id;
    }
    // The member knows the new generation from its JoinGroup but the assignment is not
    // final yet: let it retry after SyncGroup.
    if (group->is(group_state::completing_rebalance)) return kafka_errc::rebalance_in_progress;
    return kafka_errc::none;
}

kafka_errc group_coordinator::commit_offsets(const std::string& group_id,
                                             const std::vector<std::pair<topic_partition, committed_offset>>& offsets) {
    // Kafka maps a failed append to the offsets topic (KAFKA_STORAGE_ERROR) to NOT_COORDINATOR.
    return offsets_.commit(group_id, offsets) ? kafka_errc::none : kafka_errc::not_coordinator;
}

kafka_errc group_coordinator::validate_offset_delete(std::string_view group_id) const {
    // A consumer group may delete offsets of topics it does not subscribe to, members or not.
    if (consumer_.find(group_id)) return kafka_errc::none;
    const classic_group* group = find_group(group_id);
    if (!group || group->is(group_state::dead)) return kafka_errc::group_id_not_found;
    if (!group->is(group_state::empty) &&
        (!group->protocol_type() || *group->protocol_type() != consumer_protocol_type))
        return kafka_errc::non_empty_group;
    return kafka_errc::none;
}

kafka_errc group_coordinator::delete_offsets(const std::string& group_id, const std::vector<topic_partition>& partitions) {
    return offsets_.remove(group_id, partitions) ? kafka_errc::none : kafka_errc::not_coordinator;
}

void group_coordinator::forget_topic(std::string_view topic) {
    (void)offsets_.remove_if([&](const std::string&, const topic_partition& tp, const committed_offset&) {
        return tp.topic == topic;
    });
}

kafka_errc group_coordinator::delete_group(std::string_view group_id) {
    if (consumer_.find(group_id)) return delete_consumer_group(group_id);
    auto it = groups_.find(group_id);
    if (it == groups_.end() || it->second->is(group_state::dead)) return kafka_errc::group_id_not_found;
    if (!it->second->is(group_state::empty)) return kafka_errc::non_empty_group;
    if (!offsets_.remove_group(it->first)) return kafka_errc::not_coordinator;
    it->second->transition_to(group_state::dead);
    groups_.erase(it);
    return kafka_errc::none;
}

std::size_t group_coordinator::cleanup() {
    const auto now = scheduler::wall_clock_ms();
    const std::int64_t retention_ms = static_cast<std::int64_t>(state_.config().offsets_retention_minutes) * 60000;
    // KIP-211: offsets of a group with members live while it consumes them; they start
    // ageing when the group becomes Empty. Simple groups (no protocol type) age from the
    // commit. An explicit expire timestamp (OffsetCommit v1-4 retention) wins.
    const auto expired = offsets_.remove_if([&](const std::string& group_id, const topic_partition& tp,
                                             const committed_offset& value) {
        if (const consumer_group* consumer = consumer_.find(group_id))
            return consumer_offset_expired(*consumer, tp, value, now, retention_ms);
        if (value.expire_timestamp_ms >= 0) return now >= value.expire_timestamp_ms;
        const classic_group* group = find_group(group_id);
        std::int64_t base = value.commit_timestamp_ms;
        if (group && group->protocol_type()) {
            if (group->is(group_state::empty)) {
                base = group->state_timestamp_ms();
            } else if (!(*group->protocol_type() == consumer_protocol_type && group->subscribed_topics() &&
                         group->is(group_state::stable) && !group->is_subscribed_to_topic(tp.topic))) {
                return false;
            }
        }
        return now - base >= retention_ms;
    });
    for (auto it = groups_.begin(); it != groups_.end();) {
        const auto& group = *it->second;
        if (group.is(group_state::empty) && group.pending_count() == 0 && !offsets_.group_offsets(it->first))
            it = groups_.erase(it);
        else
            ++it;
    }
    std::vector<std::string> forgotten;
    for (const auto& [id, group] : consumer_.groups())
        if (group->empty() && !offsets_.group_offsets(id)) forgotten.push_back(id);
    for (const auto& id : forgotten) consumer_.erase(id);
    return expired;
}

void group_coordinator::schedule_cleanup() {
    cleanup_timer_ = state_.timers().after(retention_check_interval, [this] {
        cleanup();
        schedule_cleanup();
    });
}

} // namespace kafkit::broker
