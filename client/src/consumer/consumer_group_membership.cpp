#include "consumer/consumer_group_membership.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "net/backoff.hpp"
#include "net/request.hpp"

#include <algorithm>
#include <random>

namespace kafkit::detail {
namespace {

/// v0 (KIP-848); v1 adds SubscribedTopicRegex and has the client name itself (KIP-1082).
constexpr version_range heartbeat_versions{0, 1};
constexpr std::int32_t leave_epoch = -1;
constexpr std::int32_t static_leave_epoch = -2; ///< a static member that will be back

constexpr const char* unsupported_reason =
    "the cluster does not serve ConsumerGroupHeartbeat, the consumer group protocol of KIP-848; "
    "set group.protocol=classic for this cluster";

std::error_code error_of(std::int16_t code) {
    return code == 0 ? std::error_code{} : make_error_code(static_cast<kafka_errc>(code));
}

/// A random id as Kafka's Uuid.randomUuid makes one (version 4), whose text does not start
/// with '-' (Kafka avoids that too: such an id reads as a flag on command lines).
std::string random_member_id() {
    std::random_device device;
    for (;;) {
        protocol::uuid id;
        for (std::size_t i = 0; i < id.bytes.size(); i += 4) {
            const auto word = device();
            for (std::size_t b = 0; b < 4; ++b) id.bytes[i + b] = static_cast<std::uint8_t>(word >> (8 * b));
        }
        id.bytes[6] = static_cast<std::uint8_t>((id.bytes[6] & 0x0f) | 0x40);
        id.bytes[8] = static_cast<std::uint8_t>((id.bytes[8] & 0x3f) | 0x80);
        auto text = id.to_string();
        if (text.front() != '-') return text;
    }
}

topic_id_partitions assignment_of(const protocol::consumer_group_heartbeat_response::assignment_struct& a) {
    topic_id_partitions out;
    for (const auto& t : a.topic_partitions) out[t.topic_id].insert(t.partitions.begin(), t.partitions.end());
    return out;
}

} // namespace

consumer_group_membership::consumer_group_membership(asio::io_context& io, const consumer_settings& settings,
                                                     cluster_client& cluster, group_offsets& coordinator,
                                                     group_events& events, logger log)
    : settings_(settings), cluster_(cluster), coordinator_(coordinator), events_(events), log_(std::move(log)),
      member_id_(random_member_id()), interval_(settings.heartbeat_interval), heartbeat_timer_(io), poll_timer_(io) {
    cluster_.on_metadata([this] { on_metadata(); });
    coordinator_.renew_stale_commits_with(
        [this](const std::vector<topic_partition>& partitions) { return renewed_committer(partitions); });
}

consumer_group_membership::~consumer_group_membership() { coordinator_.renew_stale_commits_with(nullptr); }

void consumer_group_membership::set_subscription(topic_subscription subscription) {
    const auto before = describe();
    wanted_ = std::move(subscription);
    cluster_.add_topics(wanted_.names());
    // Patterns need every topic's metadata: to match them here, or to resolve the ids of
    // what the coordinator matched.
    if (wanted_.has_patterns()) cluster_.want_all_topics();
    resolve_subscription();
    heartbeat_if_changed(before);
}

void consumer_group_membership::resolve_subscription() {
    resolved_names_ = wanted_.resolve(cluster_.metadata(), settings_.exclude_internal_topics);
}

void consumer_group_membership::heartbeat_if_changed(const member_description& before) {
    // As Java's consumer: the coordinator hears of a change at once, not at the next interval.
    const auto now = describe();
    if (now.topic_names != before.topic_names || now.topic_regex != before.topic_regex) heartbeat_now();
}

bool consumer_group_membership::regex_on_server() const {
    // The coordinator never matches internal topics, and takes one regex, so only a lone
    // pattern with internal topics excluded goes there; v0 cannot carry it at all.
    return version_ != 0 && wanted_.names().empty() && wanted_.patterns().size() == 1 &&
           settings_.exclude_internal_topics;
}

member_description consumer_group_membership::describe() const {
    member_description d;
    d.group_id = settings_.group_id;
    d.member_id = member_id_;
    d.member_epoch = epoch_;
    d.instance_id = settings_.group_instance_id;
    if (!settings_.client.client_rack.empty()) d.rack_id = settings_.client.client_rack;
    d.rebalance_timeout_ms = static_cast<std::int32_t>(settings_.max_poll_interval.count());
    if (regex_on_server())
        d.topic_regex = wanted_.patterns().front();
    else
        d.topic_names = resolved_names_;
    if (!settings_.group_remote_assignor.empty()) d.server_assignor = settings_.group_remote_assignor;
    d.owned = owned_;
    return d;
}

void consumer_group_membership::move_to(state next) {
    ++session_; // what is in flight now answers a state that is gone
    in_flight_ = again_ = false;
    cancel_timers();
    if (state_ != state::left) state_ = next;
    epoch_ = 0;
    target_.reset();
    reconciling_ = false;
    fields_.reset();
}

void consumer_group_membership::join(std::vector<topic_partition> /*owned*/, std::int32_t /*owned_generation*/) {
    if (state_ == state::left || state_ == state::joining || state_ == state::member) return;
    move_to(state::joining);
    owned_.clear();
    owned_names_.clear();
    first_assignment_ = false;
    failures_ = 0;
    log_.debug("group", "joining group " + settings_.group_id + " as " + member_id_ + " (KIP-848)");
    schedule_poll_check(settings_.max_poll_interval);
    send_heartbeat();
}

void consumer_group_membership::heartbeat_now() {
    if (state_ != state::joining && state_ != state::member) return;
    if (in_flight_) {
        again_ = true;
        return;
    }
    heartbeat_timer_.cancel();
    send_heartbeat();
}

void consumer_group_membership::schedule_heartbeat(std::chrono::milliseconds after) {
    heartbeat_timer_.expires_after(after);
    heartbeat_timer_.async_wait([this](std::error_code ec) {
        if (!ec) send_heartbeat();
    });
}

void consumer_group_membership::send_heartbeat() {
    if ((state_ != state::joining && state_ != state::member) || in_flight_) return;
    in_flight_ = true; // from the coordinator lookup on
    again_ = false;
    coordinator_.with_coordinator([this, session = session_](std::error_code ec, std::int32_t node) {
        if (session != session_) return;
        auto conn = ec ? nullptr : cluster_.coordinator_connection(node);
        if (!ec && !conn) ec = make_error_code(errc::connection_failed);
        if (ec) {
            in_flight_ = false;
            on_heartbeat(ec, {}, -1);
            return;
        }
        auto request = fields_.next(describe(), state_ == state::joining);
        const auto fit = [names = resolved_names_, named_by_coordinator = !id_from_coordinator_](
                             protocol::consumer_group_heartbeat_request& r, std::int16_t version) {
            if (version >= 1) return;
            if (r.subscribed_topic_regex) { // v0 has no regex: the topics it matches now
                if (!r.subscribed_topic_names) r.subscribed_topic_names = names;
                r.subscribed_topic_regex.reset();
            }
            if (r.member_epoch == 0 && named_by_coordinator) r.member_id.clear();
        };
        auto on_done = [this, session](std::error_code ec, protocol::consumer_group_heartbeat_response r,
                                       std::int16_t version) {
            if (session != session_) return;
            in_flight_ = false;
            on_heartbeat(ec, r, version);
        };
        conn->send(
            make_request<protocol::consumer_group_heartbeat_request, protocol::consumer_group_heartbeat_response>(
                std::move(request), std::move(on_done), heartbeat_versions, fit));
    });
}

void consumer_group_membership::on_heartbeat(std::error_code ec, const protocol::consumer_group_heartbeat_response& r,
                                             std::int16_t version) {
    if (state_ != state::joining && state_ != state::member) return;
    if (!ec) ec = error_of(r.error_code);
    if (!ec) {
        version_ = version;
        on_accepted(r);
        return;
    }
    fields_.reset(); // the coordinator may not have heard the last one: say everything again
    const std::string message = r.error_message ? " (" + *r.error_message + ")" : "";
    if (ec == kafka_errc::unknown_member_id || ec == kafka_errc::fenced_member_epoch) {
        fenced(ec.message() + message);
    } else if (ec == kafka_errc::unsupported_version || ec == errc::unsupported_version) {
        fail(ec, "ConsumerGroupHeartbeat" + message, unsupported_reason);
    } else if (ec == kafka_errc::coordinator_load_in_progress || group_offsets::coordinator_moved(ec) ||
               is_retriable(ec)) {
        retry_later(ec);
    } else if (ec != errc::closed) {
        // UNRELEASED_INSTANCE_ID, FENCED_INSTANCE_ID, GROUP_MAX_SIZE_REACHED, authorization,
        // UNSUPPORTED_ASSIGNOR, INVALID_REQUEST, INVALID_REGULAR_EXPRESSION and the unexpected.
        fail(ec, "ConsumerGroupHeartbeat" + message);
    }
}

void consumer_group_membership::on_accepted(const protocol::consumer_group_heartbeat_response& r) {
    failures_ = 0;
    if (r.member_id && !r.member_id->empty()) member_id_ = *r.member_id;
    id_from_coordinator_ = true;
    epoch_ = r.member_epoch;
    if (r.heartbeat_interval_ms > 0) interval_ = std::chrono::milliseconds(r.heartbeat_interval_ms);
    if (state_ == state::joining) {
        state_ = state::member;
        first_assignment_ = true;
        log_.info("group",
                  "joined group " + settings_.group_id + " as " + member_id_ + " epoch " + std::to_string(epoch_));
    }
    if (r.assignment) target_ = assignment_of(*r.assignment);
    maybe_reconcile();
    if (again_)
        send_heartbeat();
    else
        schedule_heartbeat(interval_);
}

void consumer_group_membership::retry_later(std::error_code ec) {
    if (group_offsets::coordinator_moved(ec)) coordinator_.forget_coordinator();
    const auto wait =
        exponential_backoff(settings_.client.retry_backoff, settings_.client.retry_backoff_max).delay(failures_++);
    log_.debug("group", "heartbeat to the coordinator of " + settings_.group_id + " failed (" + ec.message() +
                            "), again in " + std::to_string(wait.count()) + " ms");
    schedule_heartbeat(wait);
}

void consumer_group_membership::maybe_reconcile() {
    if (state_ != state::member || reconciling_ || !target_) return;
    std::vector<topic_partition> resolved;
    bool unresolved = false;
    for (const auto& [id, partitions] : *target_) {
        const auto* t = cluster_.metadata().topic_by_id(id);
        if (t == nullptr) {
            unresolved = true;
            continue;
        }
        topic_ids_[t->name] = id;
        for (const auto p : partitions) resolved.push_back({t->name, partition_id(p)});
    }
    // The rest is reconciled once the metadata names those topics.
    if (unresolved) cluster_.request_metadata_update();
    std::sort(resolved.begin(), resolved.end());
    if (resolved == owned_names_ && !first_assignment_) return;
    first_assignment_ = false;
    reconciling_ = true;
    log_.info("group", "group " + settings_.group_id + " epoch " + std::to_string(epoch_) + ": assigned " +
                           std::to_string(resolved.size()) + " partitions");
    group_assignment_event event;
    event.who = group_identity{epoch_, member_id_, settings_.group_instance_id};
    event.partitions = std::move(resolved);
    event.protocol = rebalance_protocol::cooperative;
    event.acknowledge = true;
    events_.assigned(std::move(event));
}

void consumer_group_membership::assignment_applied(std::vector<topic_partition> owned) {
    if (state_ != state::member || !reconciling_) return; // fenced or left meanwhile
    reconciling_ = false;
    std::sort(owned.begin(), owned.end());
    owned_.clear();
    for (const auto& tp : owned) {
        auto id = topic_ids_.find(tp.topic);
        if (id != topic_ids_.end()) owned_[id->second].insert(tp.partition.value());
    }
    owned_names_ = std::move(owned);
    heartbeat_now(); // the acknowledgement: TopicPartitions changed
    maybe_reconcile();
}

group_identity consumer_group_membership::commit_identity(const group_identity& /*applied*/) const {
    // Out of the group the epoch is 0, which the coordinator refuses: the partitions are
    // someone else's by then.
    return group_identity{state_ == state::member ? epoch_ : 0, member_id_, settings_.group_instance_id};
}

std::optional<group_identity>
consumer_group_membership::renewed_committer(const std::vector<topic_partition>& partitions) const {
    // Only partitions still owned: after a fence they may be another member's by now.
    if (state_ != state::member) return std::nullopt;
    for (const auto& tp : partitions)
        if (!std::binary_search(owned_names_.begin(), owned_names_.end(), tp)) return std::nullopt;
    return commit_identity({});
}

void consumer_group_membership::fenced(const std::string& why) {
    log_.info("group", "group " + settings_.group_id + ": " + why + "; partitions lost, rejoining");
    move_to(state::awaiting_app);
    events_.lose_membership();
}

void consumer_group_membership::fail(std::error_code ec, const std::string& what, std::string reason) {
    log_.error("group", "group " + settings_.group_id + ": " + what + " failed: " + ec.message() +
                            (reason.empty() ? "" : "; " + reason));
    move_to(state::idle);
    events_.fail(ec, std::move(reason));
}

void consumer_group_membership::on_metadata() {
    if (wanted_.has_patterns()) { // a new matching topic, or one gone
        const auto before = describe();
        resolve_subscription();
        heartbeat_if_changed(before);
    }
    maybe_reconcile();
}

void consumer_group_membership::leave(const std::string& reason, std::function<void()> done) {
    const bool in_group = state_ == state::joining || state_ == state::member;
    move_to(state::idle);
    if (!in_group) {
        done();
        return;
    }
    send_leave(settings_.group_instance_id ? static_leave_epoch : leave_epoch, reason, std::move(done));
}

void consumer_group_membership::send_leave(std::int32_t epoch, const std::string& reason, std::function<void()> done) {
    coordinator_.with_coordinator([this, epoch, reason, done = std::move(done)](std::error_code ec, std::int32_t node) {
        auto conn = ec ? nullptr : cluster_.coordinator_connection(node);
        if (!conn) {
            done();
            return;
        }
        protocol::consumer_group_heartbeat_request request;
        request.group_id = settings_.group_id;
        request.member_id = member_id_;
        request.member_epoch = epoch;
        request.instance_id = settings_.group_instance_id;
        log_.info("group",
                  "leaving group " + settings_.group_id + " with epoch " + std::to_string(epoch) + ": " + reason);
        auto on_done = [done](std::error_code, protocol::consumer_group_heartbeat_response, std::int16_t) { done(); };
        conn->send(
            make_request<protocol::consumer_group_heartbeat_request, protocol::consumer_group_heartbeat_response>(
                std::move(request), std::move(on_done), heartbeat_versions));
    });
}

void consumer_group_membership::schedule_poll_check(std::chrono::milliseconds after) {
    poll_timer_.expires_after(after);
    poll_timer_.async_wait([this](std::error_code ec) {
        if (!ec) check_poll_interval();
    });
}

void consumer_group_membership::check_poll_interval() {
    if (state_ != state::joining && state_ != state::member) return;
    const auto left = polls_.left(settings_.max_poll_interval);
    if (left.count() > 0) {
        schedule_poll_check(left);
        return;
    }
    log_.warning("group", "poll() was not called for more than max.poll.interval.ms (" +
                              std::to_string(settings_.max_poll_interval.count()) + " ms): leaving group " +
                              settings_.group_id);
    move_to(state::awaiting_app);
    // -1 even for a static member: its partitions go to the others now (KIP-848).
    send_leave(leave_epoch, "consumer poll timeout has expired", [] {});
    events_.poll_exceeded();
    events_.lose_membership();
}

void consumer_group_membership::cancel_timers() {
    heartbeat_timer_.cancel();
    poll_timer_.cancel();
}

void consumer_group_membership::stop() {
    move_to(state::left);
}

} // namespace kafkit::detail
