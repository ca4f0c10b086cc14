#include "group/consumer_group.hpp"

#include <algorithm>

namespace kafkit::broker {

std::string_view consumer_group_state_name(consumer_group_state state) noexcept {
    switch (state) {
    case consumer_group_state::empty: return "Empty";
    case consumer_group_state::assigning: return "Assigning";
    case consumer_group_state::reconciling: return "Reconciling";
    case consumer_group_state::stable: return "Stable";
    }
    return "Unknown";
}

consumer_group_state consumer_group::state() const noexcept {
    if (members_.empty()) return consumer_group_state::empty;
    if (group_epoch_ > assignment_epoch_) return consumer_group_state::assigning;
    for (const auto& [id, m] : members_)
        if (!m->assignment.is_reconciled_to(assignment_epoch_)) return consumer_group_state::reconciling;
    return consumer_group_state::stable;
}

consumer_member* consumer_group::find(std::string_view member_id) const noexcept {
    auto it = members_.find(member_id);
    return it == members_.end() ? nullptr : it->second.get();
}

consumer_member* consumer_group::static_member(std::string_view instance_id) const noexcept {
    auto it = static_members_.find(instance_id);
    return it == static_members_.end() ? nullptr : find(it->second);
}

consumer_member& consumer_group::add(std::unique_ptr<consumer_member> member) {
    register_static_member(*member);
    own(member->assignment);
    auto& slot = members_[member->member_id];
    slot = std::move(member);
    return *slot;
}

void consumer_group::register_static_member(const consumer_member& member) {
    if (member.instance_id) static_members_[*member.instance_id] = member.member_id;
}

std::unique_ptr<consumer_member> consumer_group::remove(std::string_view member_id) {
    auto it = members_.find(member_id);
    if (it == members_.end()) return nullptr;
    auto member = std::move(it->second);
    members_.erase(it);
    release(member->assignment);
    if (member->instance_id) {
        auto s = static_members_.find(*member->instance_id);
        if (s != static_members_.end() && s->second == member->member_id) static_members_.erase(s);
    }
    if (auto t = target_.find(member->member_id); t != target_.end()) target_.erase(t);
    return member;
}

void consumer_group::update_assignment(consumer_member& member, member_assignment_state next) {
    release(member.assignment);
    member.assignment = std::move(next);
    own(member.assignment);
}

void consumer_group::own(const member_assignment_state& a) {
    for (const auto* part : {&a.assigned, &a.pending_revocation})
        for (const auto& [topic, partitions] : *part)
            for (auto p : partitions) partition_epochs_[topic][p] = a.member_epoch;
}

void consumer_group::release(const member_assignment_state& a) {
    for (const auto* part : {&a.assigned, &a.pending_revocation})
        for (const auto& [topic, partitions] : *part) {
            auto it = partition_epochs_.find(topic);
            if (it == partition_epochs_.end()) continue;
            for (auto p : partitions) it->second.erase(p);
            if (it->second.empty()) partition_epochs_.erase(it);
        }
}

const topic_assignment& consumer_group::target(std::string_view member_id) const {
    static const topic_assignment none;
    auto it = target_.find(member_id);
    return it == target_.end() ? none : it->second;
}

void consumer_group::set_target(std::int32_t epoch, group_assignment target) {
    target_ = std::move(target);
    assignment_epoch_ = epoch;
}

void consumer_group::set_member_target(const std::string& member_id, topic_assignment target) {
    target_[member_id] = std::move(target);
}

std::int32_t consumer_group::owner_epoch(const protocol::uuid& topic, std::int32_t partition) const {
    auto it = partition_epochs_.find(topic);
    if (it == partition_epochs_.end()) return -1;
    auto p = it->second.find(partition);
    return p == it->second.end() ? -1 : p->second;
}

bool consumer_group::is_subscribed_to_topic(std::string_view topic) const {
    if (metadata_.count(topic)) return true;
    for (const auto& [id, m] : members_) {
        const auto& names = m->subscription.topic_names;
        if (std::binary_search(names.begin(), names.end(), topic)) return true;
    }
    return false;
}

const server_assignor& consumer_group::preferred_assignor() const {
    std::map<std::string_view, int> votes;
    for (const auto& [id, m] : members_)
        if (m->subscription.server_assignor) ++votes[*m->subscription.server_assignor];
    const server_assignor* best = nullptr;
    int best_votes = 0;
    for (const auto& [name, count] : votes) {
        const auto* a = find_server_assignor(name);
        if (a && count > best_votes) {
            best = a;
            best_votes = count;
        }
    }
    return best ? *best : default_server_assignor();
}

} // namespace kafkit::broker
