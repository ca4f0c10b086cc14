// group_coordinator: SyncGroup, Heartbeat and LeaveGroup, and the timers that remove
// members: the session timeout (no heartbeat), the pending-sync deadline (no SyncGroup after
// the join phase) and the expiry of KIP-394 member ids that never came back.

#include "group/group_coordinator.hpp"

#include "state/broker_state.hpp"

namespace kafkit::broker {
namespace {

sync_result sync_error(kafka_errc error) {
    sync_result result;
    result.error = error;
    return result;
}

/// SyncGroup v5's check: a protocol the request names must be the group's (when it has one).
bool inconsistent(const std::optional<std::string>& requested, const std::optional<std::string>& group) {
    return requested && group && *requested != *group;
}

} // namespace

void group_coordinator::sync(sync_params params, sync_callback done) {
    classic_group* group = find_group(params.group_id);
    if (!group) return done(sync_error(kafka_errc::unknown_member_id));
    if (group->is(group_state::dead)) return done(sync_error(kafka_errc::coordinator_not_available));
    if (auto error = group->validate_member(params.member_id, params.group_instance_id); error != kafka_errc::none)
        return done(sync_error(error));
    if (params.generation_id != group->generation()) return done(sync_error(kafka_errc::illegal_generation));
    if (inconsistent(params.protocol_type, group->protocol_type()) ||
        inconsistent(params.protocol_name, group->protocol_name()))
        return done(sync_error(kafka_errc::inconsistent_group_protocol));

    group_member& member = *group->find(params.member_id);
    switch (group->state()) {
    case group_state::preparing_rebalance: return done(sync_error(kafka_errc::rebalance_in_progress));
    case group_state::completing_rebalance:
        member.awaiting_sync = std::move(done);
        group->remove_pending_sync(params.member_id);
        if (group->is_leader(params.member_id)) {
            // The leader's assignment is final; members it left out get an empty one.
            for (const auto& m : group->members()) {
                m->assignment.clear();
                for (auto& [id, assignment] : params.assignments)
                    if (id == m->member_id) m->assignment = assignment;
            }
            propagate_assignment(*group, kafka_errc::none);
            group->transition_to(group_state::stable);
        }
        return;
    case group_state::stable: {
        group->remove_pending_sync(params.member_id);
        sync_result result;
        result.protocol_type = group->protocol_type();
        result.protocol_name = group->protocol_name();
        result.assignment = member.assignment;
        return done(result);
    }
    case group_state::empty:
    case group_state::dead: return done(sync_error(kafka_errc::unknown_member_id));
    }
}

kafka_errc group_coordinator::heartbeat(std::string_view group_id, std::string_view member_id,
                                        const std::optional<std::string>& group_instance_id,
                                        std::int32_t generation_id) {
    classic_group* group = find_group(group_id);
    if (!group) return kafka_errc::unknown_member_id;
    if (group->is(group_state::dead)) return kafka_errc::coordinator_not_available;
    if (group->is(group_state::empty)) return kafka_errc::unknown_member_id;
    if (auto error = group->validate_member(member_id, group_instance_id); error != kafka_errc::none) return error;
    if (generation_id != group->generation()) return kafka_errc::illegal_generation;
    group_member& member = *group->find(member_id);
    schedule_heartbeat(*group, member, member.session_timeout_ms);
    // While a rebalance waits, the heartbeat is how a member learns it must rejoin.
    return group->is(group_state::preparing_rebalance) ? kafka_errc::rebalance_in_progress : kafka_errc::none;
}

leave_outcome group_coordinator::leave(std::string_view group_id, const std::vector<member_identity>& members) {
    leave_outcome outcome;
    classic_group* group = find_group(group_id);
    if (!group) {
        outcome.members.assign(members.size(), kafka_errc::unknown_member_id);
        return outcome;
    }
    if (group->is(group_state::dead)) {
        outcome.error = kafka_errc::coordinator_not_available;
        return outcome;
    }
    bool removed = false;
    for (const auto& identity : members) {
        kafka_errc error = kafka_errc::none;
        if (!identity.group_instance_id) {
            if (group->is_pending(identity.member_id)) {
                group->remove(identity.member_id);
                removed = true;
            } else if (!group->has(identity.member_id)) {
                error = kafka_errc::unknown_member_id;
            } else {
                remove_member(*group, identity.member_id);
                removed = true;
            }
        } else {
            // KIP-345: a static member may be named by instance id alone (admin removal);
            // a member id that is not the instance's current one is fenced.
            const std::string* known = group->static_member_id(*identity.group_instance_id);
            if (!known) {
                error = kafka_errc::unknown_member_id;
            } else if (!identity.member_id.empty() && *known != identity.member_id) {
                error = kafka_errc::fenced_instance_id;
            } else {
                remove_member(*group, std::string(*known));
                removed = true;
            }
        }
        outcome.members.push_back(error);
    }
    if (removed) after_members_removed(*group);
    return outcome;
}

void group_coordinator::unload() {
    for (auto& [id, group] : groups_) {
        for (const auto& m : group->members()) {
            join_result moved;
            moved.error = kafka_errc::not_coordinator;
            moved.member_id = m->member_id;
            group->complete_join(*m, moved);
            group->complete_sync(*m, sync_error(kafka_errc::not_coordinator));
        }
    }
}

void group_coordinator::remove_member(classic_group& group, const std::string& member_id) {
    group_member* member = group.find(member_id);
    if (!member) return;
    // Its parked requests are answered so it rejoins if it is still alive.
    join_result join_gone;
    join_gone.error = kafka_errc::unknown_member_id;
    group.complete_join(*member, join_gone);
    group.complete_sync(*member, sync_error(kafka_errc::unknown_member_id));
    group.remove(member_id);
}

void group_coordinator::after_members_removed(classic_group& group) {
    if (group.is(group_state::stable) || group.is(group_state::completing_rebalance))
        maybe_prepare_rebalance_or_complete_join(group);
    else if (group.is(group_state::preparing_rebalance) && group.has_all_members_joined())
        complete_join(group);
}

void group_coordinator::schedule_heartbeat(classic_group& group, group_member& member, std::int32_t timeout_ms) {
    member.heartbeat_timer.cancel();
    member.heartbeat_timer = state_.timers().after(
        std::chrono::milliseconds(timeout_ms),
        [this, group_id = group.id(), member_id = member.member_id] { heartbeat_expired(group_id, member_id); });
}

void group_coordinator::heartbeat_expired(const std::string& group_id, const std::string& member_id) {
    classic_group* group = find_group(group_id);
    if (!group || group->is(group_state::dead)) return;
    if (group->is_pending(member_id)) {
        // A KIP-394 member id that never came back.
        group->remove(member_id);
        if (group->is(group_state::preparing_rebalance) && group->has_all_members_joined()) complete_join(*group);
        return;
    }
    group_member* member = group->find(member_id);
    if (!member) return;
    // A member parked in JoinGroup or SyncGroup is alive (it cannot heartbeat meanwhile),
    // unless it is new: then the new-member join timeout has run out.
    if (!member->is_new && (member->is_awaiting_join() || member->is_awaiting_sync())) return;
    remove_member(*group, member_id);
    after_members_removed(*group);
}

void group_coordinator::schedule_pending_sync(classic_group& group) {
    group.sync_timer.cancel();
    group.sync_timer = state_.timers().after(
        std::chrono::milliseconds(group.rebalance_timeout_ms()),
        [this, group_id = group.id(), generation = group.generation()] { pending_sync_expired(group_id, generation); });
}

void group_coordinator::pending_sync_expired(const std::string& group_id, std::int32_t generation) {
    classic_group* group = find_group(group_id);
    if (!group || group->generation() != generation) return;
    if (!group->is(group_state::completing_rebalance) && !group->is(group_state::stable)) return;
    if (group->pending_sync().empty()) return;
    // Members that got their JoinGroup answer but never synced within the rebalance
    // timeout are dropped, and the others rebalance without them.
    const std::vector<std::string> late(group->pending_sync().begin(), group->pending_sync().end());
    for (const auto& id : late) remove_member(*group, id);
    prepare_rebalance(*group);
}

void group_coordinator::propagate_assignment(classic_group& group, kafka_errc error) {
    for (const auto& m : group.members()) {
        sync_result result;
        result.error = error;
        if (error == kafka_errc::none) {
            result.protocol_type = group.protocol_type();
            result.protocol_name = group.protocol_name();
        }
        result.assignment = m->assignment;
        // The session timer restarts once the member has its answer.
        if (group.complete_sync(*m, result)) schedule_heartbeat(group, *m, m->session_timeout_ms);
    }
}

} // namespace kafkit::broker
