#include "group/classic_group.hpp"

#include "group/consumer_subscription.hpp"

#include <algorithm>

namespace kafkit::broker {

std::string_view group_state_name(group_state state) noexcept {
    switch (state) {
    case group_state::empty: return "Empty";
    case group_state::preparing_rebalance: return "PreparingRebalance";
    case group_state::completing_rebalance: return "CompletingRebalance";
    case group_state::stable: return "Stable";
    case group_state::dead: return "Dead";
    }
    return "Unknown";
}

classic_group::classic_group(std::string id) : id_(std::move(id)), state_timestamp_ms_(scheduler::wall_clock_ms()) {}

classic_group::~classic_group() {
    join_timer.cancel();
    sync_timer.cancel();
    for (auto& [id, expiry] : pending_members_) expiry.cancel();
}

void classic_group::add_pending(const std::string& member_id, timer_handle expiry) {
    auto [it, inserted] = pending_members_.emplace(member_id, std::move(expiry));
    if (!inserted) {
        it->second.cancel();
        it->second = std::move(expiry);
    }
}

void classic_group::transition_to(group_state next) {
    previous_state_ = state_;
    state_ = next;
    state_timestamp_ms_ = scheduler::wall_clock_ms();
}

group_member* classic_group::find(std::string_view member_id) const noexcept {
    for (const auto& m : members_)
        if (m->member_id == member_id) return m.get();
    return nullptr;
}

std::size_t classic_group::awaiting_join_count() const noexcept {
    return static_cast<std::size_t>(
        std::count_if(members_.begin(), members_.end(), [](const auto& m) { return m->is_awaiting_join(); }));
}

void classic_group::count_protocols(const group_member& member, int delta) {
    for (const auto& p : member.protocols) {
        auto& count = supported_protocols_[p.name];
        count = delta > 0 ? count + 1 : (count > 0 ? count - 1 : 0);
    }
}

group_member& classic_group::add(std::unique_ptr<group_member> member, join_callback on_join) {
    if (members_.empty()) protocol_type_ = member->protocol_type;
    if (leader_.empty()) leader_ = member->member_id;
    if (member->group_instance_id) static_members_[*member->group_instance_id] = member->member_id;
    if (auto p = pending_members_.find(member->member_id); p != pending_members_.end()) {
        p->second.cancel();
        pending_members_.erase(p);
    }
    member->awaiting_join = std::move(on_join);
    count_protocols(*member, +1);
    members_.push_back(std::move(member));
    return *members_.back();
}

std::unique_ptr<group_member> classic_group::remove(std::string_view member_id) {
    std::unique_ptr<group_member> removed;
    auto it = std::find_if(members_.begin(), members_.end(), [&](const auto& m) { return m->member_id == member_id; });
    if (it != members_.end()) {
        removed = std::move(*it);
        members_.erase(it);
        count_protocols(*removed, -1);
        if (removed->group_instance_id) {
            auto s = static_members_.find(*removed->group_instance_id);
            if (s != static_members_.end() && s->second == member_id) static_members_.erase(s);
        }
    }
    if (is_leader(member_id)) leader_ = members_.empty() ? std::string() : members_.front()->member_id;
    if (auto p = pending_members_.find(member_id); p != pending_members_.end()) {
        p->second.cancel();
        pending_members_.erase(p);
    }
    remove_pending_sync(member_id);
    return removed;
}

void classic_group::update_member(group_member& member, std::vector<member_protocol> protocols,
                                  std::int32_t rebalance_timeout_ms, std::int32_t session_timeout_ms,
                                  join_callback on_join) {
    count_protocols(member, -1);
    member.protocols = std::move(protocols);
    count_protocols(member, +1);
    member.rebalance_timeout_ms = rebalance_timeout_ms;
    member.session_timeout_ms = session_timeout_ms;
    member.awaiting_join = std::move(on_join);
}

const std::string* classic_group::static_member_id(std::string_view instance_id) const {
    auto it = static_members_.find(instance_id);
    return it == static_members_.end() ? nullptr : &it->second;
}

bool classic_group::is_static_member_fenced(const std::optional<std::string>& instance_id,
                                            std::string_view member_id) const {
    if (!instance_id) return false;
    const std::string* known = static_member_id(*instance_id);
    return known && *known != member_id;
}

kafka_errc classic_group::validate_member(std::string_view member_id,
                                          const std::optional<std::string>& instance_id) const {
    if (instance_id) {
        const std::string* known = static_member_id(*instance_id);
        if (!known) return kafka_errc::unknown_member_id;
        if (*known != member_id) return kafka_errc::fenced_instance_id;
    }
    return has(member_id) ? kafka_errc::none : kafka_errc::unknown_member_id;
}

group_member& classic_group::replace_static_member(const std::string& instance_id, const std::string& old_id,
                                                   const std::string& new_id) {
    group_member& member = *find(old_id);
    // Whoever still waits under the old id is a duplicate of this instance: fence it.
    join_result fenced_join;
    fenced_join.error = kafka_errc::fenced_instance_id;
    fenced_join.member_id = old_id;
    complete_join(member, fenced_join);
    sync_result fenced_sync;
    fenced_sync.error = kafka_errc::fenced_instance_id;
    complete_sync(member, fenced_sync);
    member.member_id = new_id;
    if (leader_ == old_id) leader_ = new_id;
    static_members_[instance_id] = new_id;
    remove_pending_sync(old_id);
    return member;
}

void classic_group::remove_pending_sync(std::string_view member_id) {
    if (auto it = pending_sync_.find(member_id); it != pending_sync_.end()) pending_sync_.erase(it);
}

bool classic_group::complete_join(group_member& member, const join_result& result) {
    if (!member.awaiting_join) return false;
    auto callback = std::move(member.awaiting_join);
    member.awaiting_join = nullptr;
    callback(result);
    return true;
}

bool classic_group::complete_sync(group_member& member, const sync_result& result) {
    if (!member.awaiting_sync) return false;
    auto callback = std::move(member.awaiting_sync);
    member.awaiting_sync = nullptr;
    callback(result);
    return true;
}

bool classic_group::has_all_members_joined() const noexcept {
    return awaiting_join_count() == members_.size() && pending_members_.empty();
}

std::int32_t classic_group::rebalance_timeout_ms() const noexcept {
    std::int32_t timeout = 0;
    for (const auto& m : members_) timeout = std::max(timeout, m->rebalance_timeout_ms);
    return timeout;
}

bool classic_group::can_rebalance() const noexcept {
    return state_ == group_state::empty || state_ == group_state::completing_rebalance || state_ == group_state::stable;
}

bool classic_group::supports_protocols(std::string_view protocol_type,
                                       const std::vector<member_protocol>& protocols) const {
    if (state_ == group_state::empty) return !protocol_type.empty() && !protocols.empty();
    if (!protocol_type_ || *protocol_type_ != protocol_type) return false;
    return std::any_of(protocols.begin(), protocols.end(), [&](const member_protocol& p) {
        auto it = supported_protocols_.find(p.name);
        return it != supported_protocols_.end() && it->second == members_.size();
    });
}

std::set<std::string, std::less<>> classic_group::candidate_protocols() const {
    std::set<std::string, std::less<>> candidates;
    for (const auto& [name, count] : supported_protocols_)
        if (count == members_.size() && count > 0) candidates.insert(name);
    return candidates;
}

std::string classic_group::select_protocol() const {
    const auto candidates = candidate_protocols();
    std::map<std::string, int, std::less<>> votes;
    for (const auto& m : members_) ++votes[m->vote(candidates)];
    // Kafka takes the candidate with the most votes (a tie is decided by hash order there);
    // here a tie goes to the candidate the leader lists first, which is deterministic.
    const group_member* leader = find(leader_);
    const group_member& order = leader ? *leader : *members_.front();
    std::string best;
    int best_votes = -1;
    for (const auto& p : order.protocols) {
        auto it = votes.find(p.name);
        if (it != votes.end() && it->second > best_votes) {
            best = p.name;
            best_votes = it->second;
        }
    }
    return best;
}

bool classic_group::elect_joined_leader() {
    if (leader_.empty()) return false;
    const group_member* current = find(leader_);
    if (current && current->is_awaiting_join()) return true;
    for (const auto& m : members_)
        if (m->is_awaiting_join()) {
            leader_ = m->member_id;
            return true;
        }
    return false;
}

void classic_group::init_next_generation() {
    ++generation_;
    if (!members_.empty()) {
        protocol_name_ = select_protocol();
        compute_subscribed_topics();
        transition_to(group_state::completing_rebalance);
    } else {
        protocol_name_.reset();
        compute_subscribed_topics();
        transition_to(group_state::empty);
    }
    pending_sync_.clear();
}

std::vector<join_member_info> classic_group::current_member_metadata() const {
    std::vector<join_member_info> out;
    for (const auto& m : members_) {
        join_member_info info;
        info.member_id = m->member_id;
        info.group_instance_id = m->group_instance_id;
        if (protocol_name_)
            if (const auto* metadata = m->metadata(*protocol_name_)) info.metadata = *metadata;
        out.push_back(std::move(info));
    }
    return out;
}

void classic_group::compute_subscribed_topics() {
    subscribed_topics_.reset();
    if (!protocol_type_ || *protocol_type_ != consumer_protocol_type) return;
    if (members_.empty()) {
        subscribed_topics_.emplace();
        return;
    }
    if (!protocol_name_) return;
    std::set<std::string, std::less<>> topics;
    for (const auto& m : members_) {
        const auto* metadata = m->metadata(*protocol_name_);
        if (!metadata) return;
        auto subscribed = consumer_subscription_topics(protocol::bytes_view(metadata->data(), metadata->size()));
        if (!subscribed) return; // unreadable: the coordinator does not know the subscriptions
        topics.insert(subscribed->begin(), subscribed->end());
    }
    subscribed_topics_ = std::move(topics);
}

bool classic_group::is_subscribed_to_topic(std::string_view topic) const {
    if (subscribed_topics_) return subscribed_topics_->count(topic) > 0;
    return protocol_type_ && *protocol_type_ == consumer_protocol_type;
}

} // namespace kafkit::broker
