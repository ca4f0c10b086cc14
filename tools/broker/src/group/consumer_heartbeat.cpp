// consumer_group_coordinator: the ConsumerGroupHeartbeat path of members that join (epoch 0)
// or stay (their current epoch), in Kafka's three steps: (1) the member is created or
// updated, and the group epoch bumps when subscriptions or the subscribed topics changed;
// (2) the target assignment is recomputed when the group epoch is ahead of it; (3) the
// member is reconciled toward its target. Checks come first so that a refused heartbeat
// changes nothing.

#include "group/consumer_group_coordinator.hpp"

#include "state/broker_state.hpp"

#include <algorithm>

namespace kafkit::broker {
namespace {

constexpr auto* refused = &consumer_heartbeat_result::refused;

/// True when every owned partition is in `assigned` (a topic it lacks fails, as in Kafka).
bool is_subset(const topic_assignment& owned, const topic_assignment& assigned) {
    for (const auto& [topic, partitions] : owned) {
        auto it = assigned.find(topic);
        if (it == assigned.end()) return false;
        for (auto p : partitions)
            if (!it->second.count(p)) return false;
    }
    return true;
}

/// Kafka's member epoch check: ahead is fenced; behind is fenced unless it is the previous
/// epoch and the member owns no more than it is assigned (the answer that bumped it was lost).
bool epoch_fenced(const consumer_member& member, std::int32_t received, const std::optional<topic_assignment>& owned) {
    const auto& a = member.assignment;
    if (received > a.member_epoch) return true;
    if (received < a.member_epoch)
        return received != a.previous_member_epoch || !owned || !is_subset(*owned, a.assigned);
    return false;
}

std::string fenced_message(const consumer_member& member, std::int32_t received) {
    const auto known = member.assignment.member_epoch;
    return std::string("The consumer group member has a ") + (received > known ? "greater" : "smaller") +
           " member epoch (" + std::to_string(received) + ") than the one known by the group coordinator (" +
           std::to_string(known) + "). The member must abandon all its partitions and rejoin.";
}

/// Which member a heartbeat is for, decided before anything changes.
struct member_plan {
    consumer_member* existing = nullptr; ///< the member it updates
    consumer_member* replaced = nullptr; ///< a static member that left (-2) and is taken over
};

/// A copy of a departed static member under its successor's id, at epoch 0 (Kafka keeps
/// its subscription and partitions so the successor continues where it left off).
std::unique_ptr<consumer_member> successor_of(const consumer_member& old, const std::string& member_id) {
    auto m = std::make_unique<consumer_member>();
    m->member_id = member_id;
    m->instance_id = old.instance_id;
    m->rack_id = old.rack_id;
    m->client_id = old.client_id;
    m->client_host = old.client_host;
    m->rebalance_timeout_ms = old.rebalance_timeout_ms;
    m->subscription = old.subscription;
    m->assignment = old.assignment;
    m->assignment.member_epoch = 0;
    m->assignment.previous_member_epoch = 0;
    return m;
}

/// Applies the heartbeat's fields that are set (null means unchanged).
void update_member(consumer_member& m, const consumer_heartbeat_params& p, std::optional<std::regex> compiled) {
    if (p.instance_id) m.instance_id = p.instance_id;
    if (p.rack_id) m.rack_id = p.rack_id;
    if (p.rebalance_timeout_ms != -1) m.rebalance_timeout_ms = p.rebalance_timeout_ms;
    if (p.server_assignor) m.subscription.server_assignor = p.server_assignor;
    if (p.subscribed_topic_names) {
        auto names = *p.subscribed_topic_names;
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        m.subscription.topic_names = std::move(names);
    }
    if (p.subscribed_topic_regex && *p.subscribed_topic_regex != m.subscription.topic_regex) {
        m.subscription.topic_regex = *p.subscribed_topic_regex;
        m.subscription.compiled = std::move(compiled);
    }
    m.client_id = p.client_id;
    m.client_host = p.client_host;
}

} // namespace

consumer_heartbeat_result consumer_group_coordinator::heartbeat(const consumer_heartbeat_params& params) {
    if (params.member_epoch == leave_group_member_epoch || params.member_epoch == leave_group_static_member_epoch)
        return leave(params);
    const bool created = !find(params.group_id);
    auto result = join_or_heartbeat(params);
    // A refused join leaves no trace of the group it would have created.
    if (result.error != kafka_errc::none && created)
        if (consumer_group* g = find(params.group_id); g && g->empty()) erase(params.group_id);
    return result;
}

consumer_heartbeat_result consumer_group_coordinator::join_or_heartbeat(const consumer_heartbeat_params& p) {
    const bool joining = p.member_epoch == 0;
    consumer_group* group = joining ? &get_or_create(p.group_id) : find(p.group_id);
    const std::string not_member = "Member " + p.member_id + " is not a member of group " + p.group_id + ".";
    if (!group) return refused(kafka_errc::unknown_member_id, not_member);
    const auto max_size = static_cast<std::size_t>(state_.config().group_consumer_max_size);
    if (group->members().size() >= max_size && (p.member_id.empty() || !group->find(p.member_id)))
        return refused(kafka_errc::group_max_size_reached, "The consumer group has reached its maximum capacity of " +
                                                               std::to_string(max_size) + " members.");
    // ConsumerGroupHeartbeat v0: the coordinator names a new member; v1+ members name themselves.
    const std::string member_id = p.member_id.empty() ? state_.random_uuid().to_string() : p.member_id;

    member_plan plan;
    if (!p.instance_id) {
        plan.existing = group->find(member_id);
        if (!plan.existing && !joining) return refused(kafka_errc::unknown_member_id, not_member);
    } else if (consumer_member* old = group->static_member(*p.instance_id); joining) {
        if (old && old->assignment.member_epoch != leave_group_static_member_epoch)
            return refused(kafka_errc::unreleased_instance_id,
                           "Static member " + member_id + " with instance id " + *p.instance_id +
                               " cannot join the group because the instance id is owned by " + old->member_id +
                               " member.");
        plan.replaced = old;
        if (!old) plan.existing = group->find(member_id);
    } else {
        if (!old) return refused(kafka_errc::unknown_member_id, "Instance id " + *p.instance_id + " is unknown.");
        if (old->member_id != member_id)
            return refused(kafka_errc::fenced_instance_id, "Static member " + member_id + " with instance id " +
                                                               *p.instance_id + " was fenced by member " +
                                                               old->member_id + ".");
        plan.existing = old;
    }
    // Only the static branch above lets a join through without the epoch check, as in Kafka.
    if (plan.existing && (!p.instance_id || !joining) && epoch_fenced(*plan.existing, p.member_epoch, p.owned))
        return refused(kafka_errc::fenced_member_epoch, fenced_message(*plan.existing, p.member_epoch));

    const consumer_member* before = plan.existing ? plan.existing : plan.replaced;
    std::optional<std::regex> compiled;
    if (p.subscribed_topic_regex && !p.subscribed_topic_regex->empty() &&
        (!before || before->subscription.topic_regex != *p.subscribed_topic_regex)) {
        try {
            compiled.emplace(*p.subscribed_topic_regex);
        } catch (const std::regex_error& e) {
            return refused(kafka_errc::invalid_regular_expression,
                           "SubscribedTopicRegex `" + *p.subscribed_topic_regex +
                               "` is not a valid regular expression: " + e.what() + ".");
        }
    }

    // (1) The member, created, taken over or updated.
    consumer_member* member = plan.existing;
    std::vector<std::string> names_before;
    std::string regex_before;
    if (!member) {
        std::unique_ptr<consumer_member> fresh;
        if (plan.replaced) {
            fresh = successor_of(*plan.replaced, member_id);
            topic_assignment target = group->target(plan.replaced->member_id);
            group->remove(plan.replaced->member_id);
            group->set_member_target(member_id, std::move(target));
        } else {
            fresh = std::make_unique<consumer_member>();
            fresh->member_id = member_id;
        }
        member = &group->add(std::move(fresh));
    }
    names_before = member->subscription.topic_names;
    regex_before = member->subscription.topic_regex;
    update_member(*member, p, std::move(compiled));
    group->register_static_member(*member);
    bool bump = group->group_epoch() == 0 || names_before != member->subscription.topic_names ||
                regex_before != member->subscription.topic_regex;
    if (refresh_metadata(*group)) bump = true;
    if (bump) group->bump_group_epoch();

    // (2) The target assignment of the group epoch.
    if (group->group_epoch() > group->assignment_epoch()) update_target(*group);

    // (3) The member toward its target.
    const topic_assignment assigned_before = member->assignment.assigned;
    reconcile_member(*group, *member, p.owned);
    schedule_session(*group, *member);

    consumer_heartbeat_result result;
    result.member_id = member_id;
    result.member_epoch = member->assignment.member_epoch;
    result.heartbeat_interval_ms = state_.config().group_consumer_heartbeat_interval_ms;
    // The assignment goes out on a full request (a join, or every field set, as after an
    // error) and whenever it changed.
    const bool full = joining || (p.rebalance_timeout_ms != -1 && p.subscribed_topic_names && p.owned);
    if (full || assigned_before != member->assignment.assigned) result.assignment = member->assignment.assigned;
    return result;
}

} // namespace kafkit::broker
