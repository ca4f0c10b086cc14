#include "consumer/group_membership.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/heartbeat.hpp"
#include "kafkit/protocol/messages/leave_group.hpp"
#include "kafkit/protocol/messages/sync_group.hpp"
#include "net/backoff.hpp"
#include "net/request.hpp"

#include <algorithm>
#include <set>

namespace kafkit::detail {
namespace {

/// JoinGroup v1+ carry the rebalance timeout; v4+ answer a new member MEMBER_ID_REQUIRED
/// (KIP-394); v5+ carry group.instance.id; v8+ a reason.
constexpr version_range join_group_versions{1, 9};
constexpr version_range sync_group_versions{1, 5};
constexpr version_range heartbeat_versions{1, 4};
constexpr version_range leave_group_versions{1, 5};
constexpr const char* protocol_type = "consumer";

std::error_code error_of(std::int16_t code) {
    return code == 0 ? std::error_code{} : make_error_code(static_cast<kafka_errc>(code));
}

std::string_view name_of(assignor_name a) {
    switch (a) {
        case assignor_name::range: return "range";
        case assignor_name::roundrobin: return "roundrobin";
        case assignor_name::sticky: return "sticky";
        case assignor_name::cooperative_sticky: return "cooperative-sticky";
    }
    return "range";
}

/// Errors after which the join is tried again as it was, after a backoff. An answer that
/// cannot be read is no verdict of the group's (librdkafka's mock writes null member ids into
/// its JoinGroup error answers): joining again beats failing for good.
bool join_retriable(std::error_code ec) {
    return ec == kafka_errc::coordinator_load_in_progress || ec == kafka_errc::rebalance_in_progress ||
           ec == errc::malformed_frame || group_offsets::coordinator_moved(ec) || is_retriable(ec);
}

} // namespace

group_membership::group_membership(asio::io_context& io, const consumer_settings& settings, cluster_client& cluster,
                                   group_offsets& coordinator, group_events& events, logger log)
    : io_(io), settings_(settings), cluster_(cluster), coordinator_(coordinator), events_(events), log_(std::move(log)),
      heartbeat_timer_(io), retry_timer_(io), poll_timer_(io) {
    bool all_cooperative = !settings_.partition_assignment_strategy.empty();
    for (const auto name : settings_.partition_assignment_strategy) {
        auto assignor = make_assignor(name_of(name));
        if (!assignor) continue;
        all_cooperative &= assignor->protocol() == rebalance_protocol::cooperative;
        assignors_.push_back(std::move(assignor));
    }
    preparing_protocol_ = all_cooperative ? rebalance_protocol::cooperative : rebalance_protocol::eager;
    identity_.instance_id = settings_.group_instance_id;
    cluster_.on_metadata([this] { on_metadata(); });
}

void group_membership::set_subscription(topic_subscription subscription) {
    wanted_ = std::move(subscription);
    cluster_.add_topics(wanted_.names());
    if (wanted_.has_patterns()) cluster_.want_all_topics();
    resolve_subscription();
}

void group_membership::resolve_subscription() {
    auto topics = wanted_.resolve(cluster_.metadata(), settings_.exclude_internal_topics);
    if (topics == subscription_) return;
    subscription_ = std::move(topics);
    if (state_ == state::stable && !subscription_.empty()) ask_rejoin("the subscribed topics changed");
}

std::vector<std::uint8_t> group_membership::subscription_metadata(const partition_assignor& assignor) const {
    member_subscription s;
    s.topics = subscription_;
    s.owned_partitions = owned_;
    s.generation_id = owned_generation_;
    if (!settings_.client.client_rack.empty()) s.rack_id = settings_.client.client_rack;
    s.user_data = assignor.subscription_user_data(owned_, owned_generation_);
    auto bytes = encode_subscription(s);
    return bytes ? std::move(*bytes) : std::vector<std::uint8_t>{};
}

void group_membership::join(std::vector<topic_partition> owned, std::int32_t owned_generation) {
    if (state_ == state::left || state_ == state::joining || state_ == state::assigning || state_ == state::syncing)
        return;
    owned_ = std::move(owned);
    owned_generation_ = owned_generation;
    state_ = state::joining;
    heartbeat_timer_.cancel();
    send_join();
}

void group_membership::send_join() {
    coordinator_.with_coordinator([this](std::error_code ec, std::int32_t node) {
        if (state_ != state::joining) return;
        auto conn = ec ? nullptr : cluster_.coordinator_connection(node);
        if (!ec && !conn) ec = make_error_code(errc::connection_failed);
        if (ec) {
            retry_join(ec);
            return;
        }
        // Kept alive by the request: the protocols' metadata is encoded from it.
        auto metadata = std::make_shared<std::vector<std::vector<std::uint8_t>>>();
        protocol::join_group_request request;
        request.group_id = settings_.group_id;
        request.session_timeout_ms = static_cast<std::int32_t>(settings_.session_timeout.count());
        request.rebalance_timeout_ms = static_cast<std::int32_t>(settings_.max_poll_interval.count());
        request.member_id = identity_.member_id;
        request.protocol_type = protocol_type;
        for (const auto& assignor : assignors_) metadata->push_back(subscription_metadata(*assignor));
        joined_with_ = subscription_;
        for (std::size_t i = 0; i < assignors_.size(); ++i) {
            auto& p = request.protocols.emplace_back();
            p.name = std::string(assignors_[i]->name());
            p.metadata = protocol::bytes_view((*metadata)[i]);
        }
        const auto fit = [metadata, instance = identity_.instance_id](protocol::join_group_request& r,
                                                                      std::int16_t version) {
            if (version >= 5) r.group_instance_id = instance;
        };
        auto on_done = [this](std::error_code ec, protocol::join_group_response r, std::int16_t) { on_join(ec, r); };
        auto out = make_request<protocol::join_group_request, protocol::join_group_response>(
            std::move(request), std::move(on_done), join_group_versions, fit);
        // The coordinator holds a JoinGroup until the group has joined, up to the rebalance timeout.
        out.timeout = settings_.max_poll_interval + std::chrono::seconds(5);
        log_.debug("group", "joining group " + settings_.group_id + " as '" + identity_.member_id + "'");
        conn->send(std::move(out));
    });
}

void group_membership::retry_join(std::error_code ec) {
    if (group_offsets::coordinator_moved(ec)) coordinator_.forget_coordinator();
    const auto wait = exponential_backoff(settings_.client.retry_backoff, settings_.client.retry_backoff_max)
                          .delay(attempt_++);
    log_.debug("group", "join of " + settings_.group_id + " failed (" + ec.message() + "), retrying");
    retry_timer_.expires_after(wait);
    retry_timer_.async_wait([this](std::error_code waited) {
        if (!waited && state_ == state::joining) send_join();
    });
}

void group_membership::on_join(std::error_code ec, const protocol::join_group_response& r) {
    if (state_ != state::joining) return;
    if (!ec) ec = error_of(r.error_code);
    if (ec == kafka_errc::member_id_required) { // KIP-394: join again with the id given
        identity_.member_id = r.member_id;
        send_join();
        return;
    }
    if (ec == kafka_errc::unknown_member_id || ec == kafka_errc::illegal_generation) {
        lose(ec == kafka_errc::unknown_member_id, "JoinGroup: " + ec.message());
        return;
    }
    if (ec == kafka_errc::fenced_instance_id || ec == kafka_errc::group_authorization_failed ||
        ec == kafka_errc::invalid_session_timeout || ec == kafka_errc::inconsistent_group_protocol ||
        ec == kafka_errc::invalid_group_id || ec == kafka_errc::group_max_size_reached ||
        ec == kafka_errc::unsupported_version) {
        fail(ec, "JoinGroup");
        return;
    }
    if (ec) {
        if (join_retriable(ec)) retry_join(ec);
        else fail(ec, "JoinGroup");
        return;
    }
    attempt_ = 0;
    identity_.generation = r.generation_id;
    identity_.member_id = r.member_id;
    protocol_name_ = r.protocol_name.value_or("");
    leader_ = r.leader == r.member_id;
    log_.info("group", "joined group " + settings_.group_id + " generation " + std::to_string(r.generation_id) +
                           " as " + (leader_ ? "leader" : "member") + " (" + protocol_name_ + ")");
    if (!leader_ || r.skip_assignment) { // KIP-814: a static leader rejoining keeps the assignment
        send_sync({});
        return;
    }
    members_.clear();
    std::set<std::string> topics;
    for (const auto& m : r.members) {
        auto decoded = decode_subscription(m.metadata);
        member_subscription s;
        if (decoded) s = std::move(*decoded);
        else log_.warning("group", "member " + m.member_id + "'s subscription is unreadable: " + decoded.error().message());
        s.member_id = m.member_id;
        s.group_instance_id = m.group_instance_id;
        topics.insert(s.topics.begin(), s.topics.end());
        members_.push_back(std::move(s));
    }
    // Assigned from metadata fetched after the join, as librdkafka and Java do: partition
    // counts may have moved since the last refresh.
    assign_after_update_ = cluster_.metadata().updates();
    cluster_.add_topics({topics.begin(), topics.end()});
    cluster_.request_metadata_update();
    state_ = state::assigning;
}

void group_membership::try_assign() {
    if (state_ != state::assigning || cluster_.metadata().updates() <= assign_after_update_) return;
    assignor_cluster cluster;
    for (const auto& m : members_) {
        for (const auto& topic : m.topics) {
            if (cluster.partition_counts.count(topic) != 0) continue;
            const auto* t = cluster_.metadata().topic(topic);
            if (t == nullptr) { // not in a metadata answer yet: on_metadata() comes back
                cluster_.request_metadata_update();
                return;
            }
            cluster.partition_counts[topic] = t->error_code == 0 ? static_cast<std::int32_t>(t->partitions.size()) : 0;
        }
    }
    const auto chosen = std::find_if(assignors_.begin(), assignors_.end(),
                                     [&](const auto& a) { return a->name() == protocol_name_; });
    if (chosen == assignors_.end()) {
        fail(make_error_code(kafka_errc::inconsistent_group_protocol), "the coordinator chose assignor " + protocol_name_);
        return;
    }
    assigned_counts_ = cluster.partition_counts;
    std::map<std::string, std::vector<std::uint8_t>> assignments;
    for (auto& [member, partitions] : (*chosen)->assign(cluster, members_)) {
        auto bytes = encode_assignment(member_assignment{std::move(partitions), {}});
        if (bytes) assignments[member] = std::move(*bytes);
    }
    send_sync(std::move(assignments));
}

void group_membership::send_sync(std::map<std::string, std::vector<std::uint8_t>> assignments) {
    state_ = state::syncing;
    coordinator_.with_coordinator([this, assignments = std::make_shared<decltype(assignments)>(std::move(
                                             assignments))](std::error_code ec, std::int32_t node) {
        if (state_ != state::syncing) return;
        auto conn = ec ? nullptr : cluster_.coordinator_connection(node);
        if (!ec && !conn) ec = make_error_code(errc::connection_failed);
        if (ec) {
            on_sync(ec, 0, {});
            return;
        }
        protocol::sync_group_request request;
        request.group_id = settings_.group_id;
        request.generation_id = identity_.generation;
        request.member_id = identity_.member_id;
        for (const auto& [member, bytes] : *assignments) {
            auto& a = request.assignments.emplace_back();
            a.member_id = member;
            a.assignment = protocol::bytes_view(bytes);
        }
        const auto fit = [assignments, instance = identity_.instance_id,
                          name = protocol_name_](protocol::sync_group_request& r, std::int16_t version) {
            if (version >= 3) r.group_instance_id = instance;
            if (version >= 5) {
                r.protocol_type = protocol_type;
                r.protocol_name = name;
            }
        };
        auto on_done = [this](std::error_code ec, protocol::sync_group_response r, std::int16_t) {
            std::vector<topic_partition> partitions;
            if (!ec && r.error_code == 0 && !r.assignment.empty()) {
                auto decoded = decode_assignment(r.assignment);
                if (decoded) partitions = std::move(decoded->partitions);
                else ec = decoded.error();
            }
            on_sync(ec, r.error_code, std::move(partitions));
        };
        conn->send(make_request<protocol::sync_group_request, protocol::sync_group_response>(
            std::move(request), std::move(on_done), sync_group_versions, fit));
    });
}

void group_membership::on_sync(std::error_code ec, std::int16_t error, std::vector<topic_partition> partitions) {
    if (state_ != state::syncing) return;
    if (!ec) ec = error_of(error);
    if (ec == kafka_errc::unknown_member_id || ec == kafka_errc::illegal_generation) {
        lose(ec == kafka_errc::unknown_member_id, "SyncGroup: " + ec.message());
        return;
    }
    if (ec == kafka_errc::fenced_instance_id || ec == kafka_errc::group_authorization_failed ||
        ec == kafka_errc::inconsistent_group_protocol) {
        fail(ec, "SyncGroup");
        return;
    }
    if (ec) {
        // Another rebalance began, or the coordinator went: join again (the application
        // has prepared already; what it holds is still its own).
        log_.debug("group", "SyncGroup of " + settings_.group_id + " failed (" + ec.message() + "), joining again");
        state_ = state::joining;
        retry_join(ec);
        return;
    }
    state_ = state::stable;
    log_.info("group", "group " + settings_.group_id + " generation " + std::to_string(identity_.generation) +
                           ": assigned " + std::to_string(partitions.size()) + " partitions");
    const auto chosen = std::find_if(assignors_.begin(), assignors_.end(),
                                     [&](const auto& a) { return a->name() == protocol_name_; });
    group_assignment_event event;
    event.who = identity_;
    event.partitions = std::move(partitions);
    event.protocol = chosen != assignors_.end() ? (*chosen)->protocol() : rebalance_protocol::eager;
    owned_ = event.partitions;
    owned_generation_ = identity_.generation;
    events_.assigned(std::move(event));
    schedule_heartbeat(settings_.heartbeat_interval);
    schedule_poll_check(settings_.max_poll_interval);
    // The topics changed while joining (a pattern's first metadata, say): join again.
    if (joined_with_ != subscription_) ask_rejoin("the subscribed topics changed while joining");
}

void group_membership::schedule_heartbeat(std::chrono::milliseconds after) {
    heartbeat_timer_.expires_after(after);
    heartbeat_timer_.async_wait([this](std::error_code ec) {
        if (!ec) send_heartbeat();
    });
}

void group_membership::send_heartbeat() {
    if ((state_ != state::stable && state_ != state::awaiting_app) || identity_.generation < 0 || heartbeat_in_flight_)
        return;
    coordinator_.with_coordinator([this](std::error_code ec, std::int32_t node) {
        if (state_ != state::stable && state_ != state::awaiting_app) return;
        auto conn = ec ? nullptr : cluster_.coordinator_connection(node);
        if (!ec && !conn) ec = make_error_code(errc::connection_failed);
        if (ec) {
            on_heartbeat(ec);
            return;
        }
        protocol::heartbeat_request request;
        request.group_id = settings_.group_id;
        request.generation_id = identity_.generation;
        request.member_id = identity_.member_id;
        const auto fit = [instance = identity_.instance_id](protocol::heartbeat_request& r, std::int16_t version) {
            if (version >= 3) r.group_instance_id = instance;
        };
        heartbeat_in_flight_ = true;
        auto on_done = [this, generation = identity_.generation](std::error_code ec, protocol::heartbeat_response r,
                                                                 std::int16_t) {
            heartbeat_in_flight_ = false;
            if (generation != identity_.generation) { // an answer for a generation since left
                // A tick of the new generation skipped while this was out comes again.
                if (state_ == state::stable) schedule_heartbeat(settings_.heartbeat_interval);
                return;
            }
            on_heartbeat(ec ? ec : error_of(r.error_code));
        };
        conn->send(make_request<protocol::heartbeat_request, protocol::heartbeat_response>(
            std::move(request), std::move(on_done), heartbeat_versions, fit));
    });
}

void group_membership::on_heartbeat(std::error_code ec) {
    if (state_ != state::stable && state_ != state::awaiting_app) return;
    if (ec == kafka_errc::rebalance_in_progress) {
        // Heartbeats go on until the application rejoins: they keep the session meanwhile.
        if (state_ == state::stable) ask_rejoin("the group is rebalancing");
    } else if (ec == kafka_errc::unknown_member_id || ec == kafka_errc::illegal_generation) {
        lose(ec == kafka_errc::unknown_member_id, "Heartbeat: " + ec.message());
        return;
    } else if (ec == kafka_errc::fenced_instance_id || ec == kafka_errc::group_authorization_failed) {
        fail(ec, "Heartbeat");
        return;
    } else if (ec) {
        if (group_offsets::coordinator_moved(ec)) coordinator_.forget_coordinator();
        log_.debug("group", "heartbeat to the coordinator of " + settings_.group_id + " failed: " + ec.message());
        schedule_heartbeat(settings_.client.retry_backoff);
        return;
    }
    schedule_heartbeat(settings_.heartbeat_interval);
}

void group_membership::schedule_poll_check(std::chrono::milliseconds after) {
    poll_timer_.expires_after(after);
    poll_timer_.async_wait([this](std::error_code ec) {
        if (!ec) check_poll_interval();
    });
}

void group_membership::check_poll_interval() {
    if (identity_.generation < 0 || (state_ != state::stable && state_ != state::awaiting_app)) return;
    if (const auto left = polls_.left(settings_.max_poll_interval); left.count() > 0) {
        schedule_poll_check(left);
        return;
    }
    log_.warning("group", "poll() was not called for more than max.poll.interval.ms (" +
                              std::to_string(settings_.max_poll_interval.count()) + " ms): leaving group " +
                              settings_.group_id);
    leave("consumer poll timeout has expired", [] {}); // a static member keeps its id
    identity_.generation = -1;
    state_ = state::awaiting_app;
    events_.poll_exceeded();
    events_.rejoin(true);
}

void group_membership::lose(bool reset_member_id, const std::string& why) {
    log_.info("group", "group " + settings_.group_id + ": " + why + "; partitions lost, rejoining");
    identity_.generation = -1;
    if (reset_member_id) identity_.member_id.clear();
    state_ = state::awaiting_app;
    heartbeat_timer_.cancel();
    poll_timer_.cancel();
    events_.rejoin(true);
}

void group_membership::ask_rejoin(const std::string& why) {
    log_.info("group", "group " + settings_.group_id + ": " + why + "; rejoining");
    state_ = state::awaiting_app;
    events_.rejoin(false);
}

void group_membership::fail(std::error_code ec, const std::string& what) {
    log_.error("group", "group " + settings_.group_id + ": " + what + " failed: " + ec.message());
    identity_.generation = -1;
    state_ = state::idle;
    heartbeat_timer_.cancel();
    poll_timer_.cancel();
    events_.fail(ec);
}

void group_membership::on_metadata() {
    if (wanted_.has_patterns()) resolve_subscription();
    if (state_ == state::assigning) {
        try_assign();
        return;
    }
    if (state_ != state::stable || !leader_) return;
    for (const auto& [topic, count] : assigned_counts_) {
        const auto* t = cluster_.metadata().topic(topic);
        const auto now = t != nullptr && t->error_code == 0 ? static_cast<std::int32_t>(t->partitions.size()) : 0;
        if (t != nullptr && now != count) {
            ask_rejoin("topic " + topic + " has " + std::to_string(now) + " partitions now");
            return;
        }
    }
}

void group_membership::leave(const std::string& reason, std::function<void()> done) {
    const bool member = !identity_.member_id.empty() && state_ != state::left;
    const bool dynamic = !identity_.instance_id;
    heartbeat_timer_.cancel();
    retry_timer_.cancel();
    poll_timer_.cancel();
    state_ = state::idle;
    if (!member || !dynamic) {
        done();
        return;
    }
    const auto member_id = identity_.member_id;
    coordinator_.with_coordinator([this, member_id, reason, done = std::move(done)](std::error_code ec,
                                                                                     std::int32_t node) {
        // Not the coordinator connection: a JoinGroup held there would hold this behind it.
        auto conn = ec ? nullptr : cluster_.connection(node);
        if (!conn) {
            done();
            return;
        }
        protocol::leave_group_request request;
        request.group_id = settings_.group_id;
        const auto fit = [member_id, reason](protocol::leave_group_request& r, std::int16_t version) {
            if (version >= 3) { // a batch of members (KIP-345)
                auto& m = r.members.emplace_back();
                m.member_id = member_id;
                if (version >= 5) m.reason = reason;
            } else {
                r.member_id = member_id;
            }
        };
        log_.info("group", "leaving group " + settings_.group_id + ": " + reason);
        conn->send(make_request<protocol::leave_group_request, protocol::leave_group_response>(
            std::move(request), [done](std::error_code, protocol::leave_group_response, std::int16_t) { done(); },
            leave_group_versions, fit));
    });
    identity_.generation = -1;
    identity_.member_id.clear();
}

void group_membership::stop() {
    state_ = state::left;
    heartbeat_timer_.cancel();
    retry_timer_.cancel();
    poll_timer_.cancel();
}

} // namespace kafkit::detail
