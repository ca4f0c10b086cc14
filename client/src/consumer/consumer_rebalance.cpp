// consumer_engine's side of group membership, on the application's thread: subscribe and
// unsubscribe, the rebalances the membership posts (revoking, losing and assigning
// partitions, with the listener's calls), auto-commit, and leaving on close. The same steps
// serve both group protocols; under KIP-848 an applied assignment is acknowledged to the
// membership instead of rejoining.

#include "consumer/consumer_engine.hpp"

#include "kafkit/exception.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <algorithm>
#include <exception>
#include <future>
#include <utility>

namespace kafkit::detail {
namespace {

using clock_type = std::chrono::steady_clock;

bool contains(const std::vector<topic_partition>& list, const topic_partition& tp) {
    return std::find(list.begin(), list.end(), tp) != list.end();
}

} // namespace

void consumer_engine::subscribe(const std::vector<std::string>& topics, rebalance_listener listener) {
    check_open();
    if (!membership_) throw exception(make_error_code(kafka_errc::invalid_group_id), "subscribe() needs a group.id");
    if (topics.empty()) {
        unsubscribe();
        return;
    }
    if (subscription_.empty() && !partitions_.empty())
        throw exception(make_error_code(errc::invalid_state), "partitions are assigned manually; assign({}) first");
    topic_subscription wanted;
    try {
        wanted = topic_subscription(topics);
    } catch (const std::regex_error& e) {
        throw exception(make_error_code(errc::invalid_config), std::string("subscribe: a pattern does not compile: ") + e.what());
    }
    auto sorted = topics;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    const bool first = subscription_.empty();
    subscription_ = sorted;
    wanted_ = wanted;
    listener_ = std::move(listener);
    io_.run_and_wait([&] { membership_->set_subscription(std::move(wanted)); });
    if (first) join_wanted_ = true; // a member rejoins on its own when the topics change
}

void consumer_engine::unsubscribe() {
    check_open();
    if (subscription_.empty()) return;
    leave_group(clock_type::now() + settings_.client.request_timeout);
    subscription_.clear();
    wanted_ = {};
    listener_ = {};
}

void consumer_engine::leave_group(clock_type::time_point deadline) {
    if (member_.generation >= 0) revoke(assignment(), deadline);
    else lose(assignment());
    auto left = std::make_shared<std::promise<void>>();
    auto future = left->get_future();
    io_.run_and_wait([&] {
        membership_->set_subscription(topic_subscription{});
        membership_->leave("the consumer is leaving the group", [left] { left->set_value(); });
    });
    future.wait_until(deadline);
    member_ = {};
    join_wanted_ = false;
    listener_error_ = nullptr; // leaving: nobody polls to be told
    (void)group_events_.take(); // what the membership said before leaving no longer applies
}

void consumer_engine::handle_group_events(polled_batch& out) {
    auto events = group_events_.take();
    if (events.fatal) {
        fatal_ = events.fatal;
        fatal_context_ = "group " + settings_.group_id + (events.fatal_reason.empty() ? "" : ": " + events.fatal_reason);
        lose(assignment());
        throw exception(fatal_, fatal_context_);
    }
    if (subscription_.empty()) return; // left since
    if (events.poll_exceeded)
        out.events.push_back({consumer_event::kind::error, std::nullopt, make_error_code(errc::max_poll_exceeded), {}});
    if (events.assignment) apply_assignment(*events.assignment);
    if (events.rejoin) prepare_rejoin(events.lost);
    if (join_wanted_) {
        join_wanted_ = false;
        auto owned = assignment();
        const auto generation = member_.generation;
        io_.run_and_wait([&] { membership_->join(std::move(owned), generation); });
    }
    if (listener_error_) std::rethrow_exception(std::exchange(listener_error_, nullptr));
}

void consumer_engine::apply_assignment(const group_assignment_event& e) {
    member_ = e.who;
    const auto owned = assignment();
    std::vector<topic_partition> revoked;
    std::vector<topic_partition> added;
    for (const auto& tp : owned)
        if (!contains(e.partitions, tp)) revoked.push_back(tp);
    for (const auto& tp : e.partitions)
        if (partitions_.count(tp) == 0) added.push_back(tp);
    // Eager members gave up everything before joining; cooperative ones give up now what
    // moved elsewhere, and rejoin so that its new owner gets it (KIP-429). KIP-848 members
    // tell the coordinator in a heartbeat instead, once the listener has run.
    if (!revoked.empty()) {
        revoke(revoked);
        if (e.protocol == rebalance_protocol::cooperative && !e.acknowledge) join_wanted_ = true;
    }
    add_partitions(added);
    call_listener(listener_.on_assigned, added, "on_assigned");
    if (e.acknowledge) {
        auto now_owned = assignment();
        io_.run_and_wait([&] { membership_->assignment_applied(std::move(now_owned)); });
    }
}

void consumer_engine::prepare_rejoin(bool lost) {
    const auto owned = assignment();
    if (lost || member_.generation < 0) {
        lose(owned);
    } else if (membership_->preparing_protocol() == rebalance_protocol::eager) {
        revoke(owned);
    } else {
        std::vector<topic_partition> unsubscribed;
        for (const auto& tp : owned)
            if (!wanted_.matches(tp.topic, false, settings_.exclude_internal_topics)) unsubscribed.push_back(tp);
        revoke(unsubscribed);
    }
    join_wanted_ = true;
}

void consumer_engine::revoke(const std::vector<topic_partition>& partitions,
                             std::optional<clock_type::time_point> deadline) {
    if (partitions.empty()) return;
    commit_before_giving_up(partitions, deadline);
    call_listener(listener_.on_revoked, partitions, "on_revoked");
    remove_partitions(partitions);
}

void consumer_engine::lose(const std::vector<topic_partition>& partitions) {
    member_.generation = -1;
    if (partitions.empty()) return;
    call_listener(listener_.on_lost ? listener_.on_lost : listener_.on_revoked, partitions, "on_lost");
    remove_partitions(partitions);
}

void consumer_engine::call_listener(const std::function<void(const std::vector<topic_partition>&)>& callback,
                                    const std::vector<topic_partition>& partitions, const char* which) {
    if (!callback) return;
    try {
        callback(partitions);
    } catch (const std::exception& e) {
        // The rebalance goes on; poll() rethrows the first one afterwards, as Java's does.
        log_.error("consumer", std::string("the rebalance listener's ") + which + " threw: " + e.what());
        if (!listener_error_) listener_error_ = std::current_exception();
    }
}

group_identity consumer_engine::committer() const {
    if (subscription_.empty()) return {}; // manual assignment: a commit outside membership
    return membership_->commit_identity(member_); // called on the I/O thread, poll()'s side waiting
}

void consumer_engine::commit_before_giving_up(const std::vector<topic_partition>& partitions,
                                              std::optional<clock_type::time_point> deadline) {
    if (!settings_.enable_auto_commit || !offsets_ || partitions.empty()) return;
    std::map<topic_partition, offset_and_metadata> offsets;
    for (const auto& tp : partitions) {
        const auto it = partitions_.find(tp);
        if (it != partitions_.end() && it->second.position >= 0)
            offsets[tp] = offset_and_metadata{record_offset(it->second.position), it->second.last_epoch, {}};
    }
    if (offsets.empty()) return;
    auto timeout = settings_.client.request_timeout;
    if (deadline)
        timeout = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - clock_type::now()),
                             std::chrono::milliseconds(0), timeout);
    if (const auto ec = commit_sync(std::move(offsets), timeout))
        log_.warning("consumer", "committing before giving partitions up failed: " + ec.message());
}

void consumer_engine::maybe_auto_commit() {
    if (!settings_.enable_auto_commit || !offsets_ || partitions_.empty()) return;
    const auto now = clock_type::now();
    if (next_auto_commit_ == clock_type::time_point{}) next_auto_commit_ = now + settings_.auto_commit_interval;
    if (now < next_auto_commit_) return;
    next_auto_commit_ = now + settings_.auto_commit_interval;
    if (!subscription_.empty() && member_.generation < 0) return; // between generations
    commit_async(std::nullopt, [log = log_](std::error_code ec, const auto&) {
        if (ec) log.warning("consumer", "auto-commit failed: " + ec.message());
    });
}

} // namespace kafkit::detail
