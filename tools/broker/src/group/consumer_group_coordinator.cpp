// consumer_group_coordinator: lookups, leaving and fencing, the session and rebalance
// timeouts, the target assignment and the offset checks. The join/heartbeat path is in
// consumer_heartbeat.cpp.

#include "group/consumer_group_coordinator.hpp"

#include "state/broker_state.hpp"

namespace kafkit::broker {
namespace {

constexpr auto* refused = &consumer_heartbeat_result::refused;

} // namespace

consumer_group_coordinator::consumer_group_coordinator(broker_state& state) : state_(state) {}

consumer_group_coordinator::~consumer_group_coordinator() {
    groups_.clear();
}

consumer_group* consumer_group_coordinator::find(std::string_view group_id) const {
    auto it = groups_.find(group_id);
    return it == groups_.end() ? nullptr : it->second.get();
}

consumer_group& consumer_group_coordinator::get_or_create(const std::string& group_id) {
    auto it = groups_.find(group_id);
    if (it == groups_.end()) it = groups_.emplace(group_id, std::make_unique<consumer_group>(group_id)).first;
    return *it->second;
}

void consumer_group_coordinator::erase(std::string_view group_id) {
    if (auto it = groups_.find(group_id); it != groups_.end()) groups_.erase(it);
}

consumer_heartbeat_result consumer_group_coordinator::leave(const consumer_heartbeat_params& params) {
    consumer_group* group = find(params.group_id);
    // Kafka answers GROUP_ID_NOT_FOUND for a group it does not know; here membership is not
    // persisted, so an unknown group means a member from before a restart: it must rejoin.
    if (!group) return refused(kafka_errc::unknown_member_id, "Consumer group " + params.group_id + " not found.");
    consumer_member* member = nullptr;
    if (!params.instance_id) {
        member = group->find(params.member_id);
        if (!member)
            return refused(kafka_errc::unknown_member_id,
                           "Member " + params.member_id + " is not a member of group " + params.group_id + ".");
    } else {
        member = group->static_member(*params.instance_id);
        if (!member)
            return refused(kafka_errc::unknown_member_id, "Instance id " + *params.instance_id + " is unknown.");
        if (member->member_id != params.member_id)
            return refused(kafka_errc::fenced_instance_id, "Static member " + params.member_id + " with instance id " +
                                                               *params.instance_id + " was fenced by member " +
                                                               member->member_id + ".");
    }
    if (params.member_epoch == leave_group_static_member_epoch) {
        // A static member leaving for a while keeps its place and partitions (nobody else
        // gets them) until it rejoins under its instance id or its session times out.
        member_assignment_state parked = member->assignment;
        parked.member_epoch = leave_group_static_member_epoch;
        parked.pending_revocation.clear();
        group->update_assignment(*member, std::move(parked));
        member->rebalance_timer.cancel();
    } else {
        fence(*group, member->member_id);
    }
    consumer_heartbeat_result result;
    result.member_id = params.member_id;
    result.member_epoch = params.member_epoch;
    return result;
}

void consumer_group_coordinator::fence(consumer_group& group, const std::string& member_id) {
    group.remove(member_id);
    refresh_metadata(group);
    group.bump_group_epoch();
}

std::set<std::string, std::less<>> consumer_group_coordinator::subscribed_topics(const consumer_member& member) const {
    std::set<std::string, std::less<>> out;
    for (const auto& name : member.subscription.topic_names)
        if (state_.find_topic(name)) out.insert(name);
    if (member.subscription.compiled) {
        // Internal topics are never matched by a pattern, as in Kafka.
        for (const auto& [name, t] : state_.topics())
            if (!t->internal && std::regex_match(name, *member.subscription.compiled)) out.insert(name);
    }
    return out;
}

bool consumer_group_coordinator::refresh_metadata(consumer_group& group) {
    subscription_metadata metadata;
    for (const auto& [id, member] : group.members())
        for (const auto& name : subscribed_topics(*member))
            if (const topic* t = state_.find_topic(name))
                metadata[name] = {t->id, static_cast<std::int32_t>(t->partitions.size())};
    if (metadata == group.metadata()) return false;
    group.set_metadata(std::move(metadata));
    return true;
}

void consumer_group_coordinator::update_target(consumer_group& group) {
    assignment_spec spec;
    for (const auto& [name, t] : group.metadata()) spec.partitions[t.id] = t.partitions;
    for (const auto& [id, member] : group.members()) {
        assignment_member m;
        m.member_id = id;
        for (const auto& name : subscribed_topics(*member))
            if (auto it = group.metadata().find(name); it != group.metadata().end()) m.topics.insert(it->second.id);
        m.current = group.target(id);
        spec.members.push_back(std::move(m));
    }
    group.set_target(group.group_epoch(), group.preferred_assignor().assign(spec));
}

void consumer_group_coordinator::reconcile_member(consumer_group& group, consumer_member& member,
                                                  const std::optional<topic_assignment>& owned) {
    if (member.assignment.is_reconciled_to(group.assignment_epoch())) return;
    auto next = reconcile(
        member.assignment, group.assignment_epoch(), group.target(member.member_id),
        [&group](const protocol::uuid& t, std::int32_t p) { return group.owner_epoch(t, p); }, owned);
    if (next == member.assignment) return;
    group.update_assignment(member, std::move(next));
    member.rebalance_timer.cancel();
    if (member.assignment.state != member_state::unrevoked_partitions) return;
    // A member that does not revoke within its rebalance timeout is fenced, so the others
    // get its partitions.
    member.rebalance_timer = state_.timers().after(
        std::chrono::milliseconds(member.rebalance_timeout_ms),
        [this, group_id = group.id(), member_id = member.member_id, epoch = member.assignment.member_epoch] {
            rebalance_expired(group_id, member_id, epoch);
        });
}

void consumer_group_coordinator::schedule_session(consumer_group& group, consumer_member& member) {
    member.session_timer.cancel();
    member.session_timer = state_.timers().after(
        std::chrono::milliseconds(state_.config().group_consumer_session_timeout_ms),
        [this, group_id = group.id(), member_id = member.member_id] { session_expired(group_id, member_id); });
}

void consumer_group_coordinator::session_expired(const std::string& group_id, const std::string& member_id) {
    consumer_group* group = find(group_id);
    if (group && group->find(member_id)) fence(*group, member_id);
}

void consumer_group_coordinator::rebalance_expired(const std::string& group_id, const std::string& member_id,
                                                   std::int32_t epoch) {
    consumer_group* group = find(group_id);
    if (!group) return;
    const consumer_member* member = group->find(member_id);
    if (member && member->assignment.member_epoch == epoch) fence(*group, member_id);
}

kafka_errc consumer_group_coordinator::validate_commit(const consumer_group& group, std::string_view member_id,
                                                       std::int32_t member_epoch, std::int16_t api_version) const {
    // Admin tools and consumers outside group management commit with epoch -1.
    if (member_epoch < 0 && group.empty()) return kafka_errc::none;
    const consumer_member* member = group.find(member_id);
    if (!member) return kafka_errc::unknown_member_id;
    if (api_version < 9) return kafka_errc::unsupported_version;
    return member_epoch == member->assignment.member_epoch ? kafka_errc::none : kafka_errc::stale_member_epoch;
}

kafka_errc consumer_group_coordinator::validate_fetch(const consumer_group& group,
                                                      const std::optional<std::string>& member_id,
                                                      std::int32_t member_epoch) const {
    if (!member_id && member_epoch < 0) return kafka_errc::none;
    const consumer_member* member = group.find(member_id.value_or(""));
    if (!member) return kafka_errc::unknown_member_id;
    return member_epoch == member->assignment.member_epoch ? kafka_errc::none : kafka_errc::stale_member_epoch;
}

} // namespace kafkit::broker
