// group_coordinator: JoinGroup and the join phase of a rebalance, as Kafka 3.9's classic
// group coordinator runs them: KIP-394 member ids, static members (KIP-345, KIP-814),
// group.initial.rebalance.delay.ms for a group's first rebalance, the rebalance timeout
// (members that do not rejoin in time are dropped) and the generation that follows.

#include "group/group_coordinator.hpp"

#include "state/broker_state.hpp"

#include <algorithm>

namespace kafkit::broker {
namespace {

/// group.classic.new.member.join.timeout.ms: a new member whose JoinGroup is parked is
/// dropped after this long (its connection may be gone; it can rejoin).
constexpr std::int32_t new_member_join_timeout_ms = 300000;

join_result join_error(kafka_errc error, std::string member_id) {
    join_result result;
    result.error = error;
    result.member_id = std::move(member_id);
    return result;
}

/// The current generation as a rejoining member is told it (no rebalance needed).
join_result current_generation(const classic_group& group, const std::string& member_id, bool with_members) {
    join_result result;
    result.generation_id = group.generation();
    result.protocol_type = group.protocol_type();
    result.protocol_name = group.protocol_name();
    result.leader = group.leader();
    result.member_id = member_id;
    if (with_members) result.members = group.current_member_metadata();
    return result;
}

} // namespace

std::string group_coordinator::new_member_id(const join_params& params) {
    // Kafka: "<group.instance.id or client.id>-<random UUID>".
    return (params.group_instance_id ? *params.group_instance_id : params.client_id) + "-" +
           state_.random_uuid().to_string();
}

void group_coordinator::join(join_params params, join_callback done) {
    if (const consumer_group* consumer = consumer_.find(params.group_id)) {
        // A KIP-848 consumer group with members cannot take classic members here (Kafka's
        // mixed groups are not supported); an empty one gives way to a classic group.
        if (!consumer->empty()) return done(join_error(kafka_errc::inconsistent_group_protocol, params.member_id));
        consumer_.erase(params.group_id);
    }
    classic_group* group = find_group(params.group_id);
    if (!group) {
        // A member id for a group that does not exist is stale (the group was deleted or the
        // coordinator restarted): the member must join afresh.
        if (!params.member_id.empty()) return done(join_error(kafka_errc::unknown_member_id, params.member_id));
        group = &get_or_create(params.group_id);
    }
    if (params.member_id.empty())
        join_new_member(*group, std::move(params), std::move(done));
    else
        join_existing_member(*group, std::move(params), std::move(done));
}

void group_coordinator::join_new_member(classic_group& group, join_params params, join_callback done) {
    if (group.is(group_state::dead)) return done(join_error(kafka_errc::coordinator_not_available, {}));
    if (!group.supports_protocols(params.protocol_type, params.protocols))
        return done(join_error(kafka_errc::inconsistent_group_protocol, {}));
    const std::string member_id = new_member_id(params);
    if (params.group_instance_id) {
        // KIP-345: a known instance takes over its old member id's place.
        if (const std::string* old_id = group.static_member_id(*params.group_instance_id)) {
            const std::string old = *old_id;
            return update_static_member_and_rebalance(group, old, member_id, std::move(params), std::move(done));
        }
        return add_member_and_rebalance(group, member_id, std::move(params), std::move(done));
    }
    if (params.require_known_member_id) {
        // KIP-394: hand out the id and expect the member back with it within its session
        // timeout; until then the join phase waits for it too.
        auto expiry = state_.timers().after(std::chrono::milliseconds(params.session_timeout_ms),
                                            [this, group_id = group.id(), member_id] {
                                                heartbeat_expired(group_id, member_id);
                                            });
        group.add_pending(member_id, std::move(expiry));
        return done(join_error(kafka_errc::member_id_required, member_id));
    }
    add_member_and_rebalance(group, member_id, std::move(params), std::move(done));
}

void group_coordinator::join_existing_member(classic_group& group, join_params params, join_callback done) {
    const std::string member_id = params.member_id;
    if (group.is(group_state::dead)) return done(join_error(kafka_errc::coordinator_not_available, member_id));
    if (!group.supports_protocols(params.protocol_type, params.protocols))
        return done(join_error(kafka_errc::inconsistent_group_protocol, member_id));
    if (group.is_pending(member_id))
        return add_member_and_rebalance(group, member_id, std::move(params), std::move(done));
    if (auto error = group.validate_member(member_id, params.group_instance_id); error != kafka_errc::none)
        return done(join_error(error, member_id));

    group_member& member = *group.find(member_id);
    const bool same_metadata = member.matches(params.protocols);
    switch (group.state()) {
    case group_state::preparing_rebalance: break;
    case group_state::completing_rebalance:
        // It missed its JoinGroup answer: tell it the current generation again.
        if (same_metadata) return done(current_generation(group, member_id, group.is_leader(member_id)));
        break;
    case group_state::stable:
        // A follower that changed nothing just learns the generation; the leader rejoining
        // forces a rebalance (it may have seen metadata change, e.g. new partitions).
        if (same_metadata && !group.is_leader(member_id)) return done(current_generation(group, member_id, false));
        break;
    case group_state::empty:
    case group_state::dead: return done(join_error(kafka_errc::unknown_member_id, member_id));
    }
    group.update_member(member, std::move(params.protocols), params.rebalance_timeout_ms, params.session_timeout_ms,
                        std::move(done));
    maybe_prepare_rebalance_or_complete_join(group);
}

void group_coordinator::add_member_and_rebalance(classic_group& group, const std::string& member_id,
                                                 join_params params, join_callback done) {
    auto member = std::make_unique<group_member>();
    member->member_id = member_id;
    member->group_instance_id = std::move(params.group_instance_id);
    member->client_id = std::move(params.client_id);
    member->client_host = std::move(params.client_host);
    member->rebalance_timeout_ms = params.rebalance_timeout_ms;
    member->session_timeout_ms = params.session_timeout_ms;
    member->protocol_type = std::move(params.protocol_type);
    member->protocols = std::move(params.protocols);
    member->is_new = true;
    // A member joining while the first rebalance is delayed extends the delay.
    if (group.is(group_state::preparing_rebalance) && group.previous_state() == group_state::empty)
        group.new_member_added = true;
    group_member& added = group.add(std::move(member), std::move(done));
    // Its session timeout does not apply while its JoinGroup is parked (it cannot heartbeat);
    // the new-member timeout bounds a member that went away meanwhile.
    schedule_heartbeat(group, added, new_member_join_timeout_ms);
    maybe_prepare_rebalance_or_complete_join(group);
}

void group_coordinator::update_static_member_and_rebalance(classic_group& group, const std::string& old_id,
                                                           const std::string& new_id, join_params params,
                                                           join_callback done) {
    const std::string old_leader = group.leader();
    group_member& member = group.replace_static_member(*params.group_instance_id, old_id, new_id);
    schedule_heartbeat(group, member, member.session_timeout_ms);
    group.update_member(member, std::move(params.protocols), params.rebalance_timeout_ms, params.session_timeout_ms,
                        std::move(done));
    switch (group.state()) {
    case group_state::stable:
        if (group.protocol_name() && *group.protocol_name() == group.select_protocol()) {
            // KIP-345: same protocol choice, so no rebalance: the member gets the current
            // generation under its new id (and SyncGroup gives it its old assignment). A
            // v9+ leader is told to skip the assignment (KIP-814); before v9 the old
            // leader id keeps it from assigning.
            const bool leader = group.is_leader(new_id);
            join_result result = current_generation(group, new_id, params.supports_skip_assignment && leader);
            if (params.supports_skip_assignment) {
                result.skip_assignment = leader;
            } else {
                result.leader = old_leader;
            }
            group.complete_join(member, result);
        } else {
            maybe_prepare_rebalance_or_complete_join(group);
        }
        break;
    case group_state::completing_rebalance:
        // The leader may be assigning to the old id: start over with the new one.
        prepare_rebalance(group);
        break;
    case group_state::preparing_rebalance: maybe_complete_join_phase(group); break;
    case group_state::empty:
    case group_state::dead: break; // a group with a static member is neither
    }
}

void group_coordinator::maybe_prepare_rebalance_or_complete_join(classic_group& group) {
    if (group.can_rebalance())
        prepare_rebalance(group);
    else
        maybe_complete_join_phase(group);
}

void group_coordinator::prepare_rebalance(classic_group& group) {
    // Members waiting for an assignment of the generation being abandoned rejoin.
    if (group.is(group_state::completing_rebalance)) {
        for (const auto& m : group.members()) m->assignment.clear();
        propagate_assignment(group, kafka_errc::rebalance_in_progress);
    }
    group.sync_timer.cancel();
    group.clear_pending_sync();
    const bool initial = group.is(group_state::empty);
    group.transition_to(group_state::preparing_rebalance);
    if (initial) {
        // group.initial.rebalance.delay.ms: give the other members of a new group time to
        // arrive, extended while they keep arriving, up to the rebalance timeout.
        const auto delay = state_.config().group_initial_rebalance_delay_ms;
        const auto remaining = std::max(group.rebalance_timeout_ms() - delay, 0);
        group.join_timer.cancel();
        group.join_timer = state_.timers().after(std::chrono::milliseconds(delay),
                                                 [this, group_id = group.id(), delay, remaining] {
                                                     initial_delay_expired(group_id, delay, remaining);
                                                 });
        return;
    }
    if (group.has_all_members_joined())
        complete_join(group);
    else
        schedule_join_deadline(group, group.rebalance_timeout_ms());
}

void group_coordinator::schedule_join_deadline(classic_group& group, std::int32_t delay_ms) {
    group.join_timer.cancel();
    group.join_timer = state_.timers().after(std::chrono::milliseconds(delay_ms), [this, group_id = group.id()] {
        if (classic_group* g = find_group(group_id); g && g->is(group_state::preparing_rebalance)) complete_join(*g);
    });
}

void group_coordinator::initial_delay_expired(const std::string& group_id, std::int32_t delay_ms,
                                              std::int32_t remaining_ms) {
    classic_group* group = find_group(group_id);
    if (!group || !group->is(group_state::preparing_rebalance)) return;
    if (group->new_member_added && remaining_ms != 0) {
        group->new_member_added = false;
        const auto next_delay = std::min(state_.config().group_initial_rebalance_delay_ms, remaining_ms);
        const auto next_remaining = std::max(remaining_ms - delay_ms, 0);
        group->join_timer = state_.timers().after(std::chrono::milliseconds(next_delay),
                                                  [this, group_id, next_delay, next_remaining] {
                                                      initial_delay_expired(group_id, next_delay, next_remaining);
                                                  });
        return;
    }
    complete_join(*group);
}

void group_coordinator::maybe_complete_join_phase(classic_group& group) {
    // The first rebalance of a group always waits out the initial delay.
    if (!group.is(group_state::preparing_rebalance) || group.previous_state() == group_state::empty) return;
    if (group.has_all_members_joined()) complete_join(group);
}

void group_coordinator::complete_join(classic_group& group) {
    group.join_timer.cancel();
    // Dynamic members that did not rejoin in time are gone; static ones stay until their
    // session times out (KIP-345).
    std::vector<std::string> missing;
    for (const auto& m : group.members())
        if (!m->is_awaiting_join() && !m->is_static()) missing.push_back(m->member_id);
    for (const auto& id : missing) group.remove(id);

    if (group.is(group_state::dead)) return;
    if (!group.elect_joined_leader() && group.size() > 0) {
        // Nobody rejoined: wait another rebalance timeout for sessions to expire.
        schedule_join_deadline(group, group.rebalance_timeout_ms());
        return;
    }
    group.init_next_generation();
    if (group.is(group_state::empty)) return;

    for (const auto& m : group.members()) {
        join_result result = current_generation(group, m->member_id, group.is_leader(m->member_id));
        group.complete_join(*m, result);
        schedule_heartbeat(group, *m, m->session_timeout_ms);
        m->is_new = false;
        group.add_pending_sync(m->member_id);
    }
    schedule_pending_sync(group);
}

} // namespace kafkit::broker
