#include "net/cluster_client.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "net/backoff.hpp"

#include <asio/post.hpp>

#include <algorithm>
#include <limits>

namespace kafkit::detail {
namespace {
using clock_type = std::chrono::steady_clock;
}

cluster_client::cluster_client(asio::io_context& io, const client_settings& settings, logger log)
    : io_(io), settings_(settings), log_(std::move(log)), retire_timer_(io), refresh_timer_(io) {}

cluster_client::~cluster_client() { shut_down(); }

void cluster_client::start() {
    std::int32_t bootstrap_id = -1;
    for (const auto& address : settings_.bootstrap_servers) {
        bootstrap_.push_back(std::make_shared<broker_connection>(
            io_, settings_, log_, bootstrap_id--, address,
            [this](broker_connection& c, bool ready, std::error_code) { connection_changed(c, ready); }));
    }
    send_metadata_request();
}

void cluster_client::shut_down() { shut_down(clock_type::time_point::min(), nullptr); }

void cluster_client::retire_idle() {
    if (shut_down_) return;
    std::erase_if(retiring_, [](const std::shared_ptr<broker_connection>& c) {
        if (c->in_flight() + c->queued() > 0) return false;
        c->shut_down();
        return true;
    });
    if (!retiring_.empty()) schedule_retire(std::chrono::milliseconds(100));
}

void cluster_client::schedule_retire(std::chrono::milliseconds after) {
    // A timer, not a post: destroying the client cancels it, so `this` is never used late.
    retire_timer_.expires_after(after);
    retire_timer_.async_wait([this](std::error_code ec) {
        if (!ec) retire_idle();
    });
}

void cluster_client::shut_down(clock_type::time_point deadline, std::function<void()> done) {
    if (shut_down_) {
        if (done) done();
        return;
    }
    shut_down_ = true;
    refresh_timer_.cancel();
    retire_timer_.cancel();
    for (auto& c : retiring_) c->shut_down();
    retiring_.clear();
    // `done` runs after the last connection has closed; the extra count is released below,
    // once every connection was asked.
    auto open = std::make_shared<std::size_t>(1);
    auto one_closed = [open, done = std::move(done)] {
        if (--*open == 0 && done) done();
    };
    for (auto& c : bootstrap_) c->shut_down();
    for (auto* all : {&connections_, &coordinator_connections_}) {
        for (auto& [id, c] : *all) {
            ++*open;
            c->shut_down_after_drain(deadline, one_closed);
        }
    }
    one_closed();
}

void cluster_client::add_topics(const std::vector<std::string>& topics) {
    bool added = false;
    for (const auto& t : topics) added |= topics_.insert(t).second;
    if (!added || shut_down_) return;
    // New topics are asked for at once, not after retry.backoff.ms: that backoff is for
    // failures, and records wait for this answer.
    if (metadata_in_flight_) new_topics_wanted_ = true;
    else send_metadata_request();
}

void cluster_client::want_all_topics() {
    if (all_topics_ || shut_down_) return;
    all_topics_ = true;
    if (metadata_in_flight_) new_topics_wanted_ = true;
    else send_metadata_request();
}

void cluster_client::request_metadata_update() {
    if (shut_down_) return;
    if (metadata_in_flight_) {
        update_wanted_ = true;
        return;
    }
    const auto since = clock_type::now() - last_metadata_request_;
    if (since >= settings_.retry_backoff) send_metadata_request();
    else schedule_refresh(std::chrono::duration_cast<std::chrono::milliseconds>(settings_.retry_backoff - since));
}

void cluster_client::schedule_refresh(std::chrono::milliseconds after) {
    const auto at = clock_type::now() + after;
    if (refresh_timer_.expiry() > clock_type::now() && refresh_timer_.expiry() <= at) return; // sooner one armed
    refresh_timer_.expires_at(at);
    refresh_timer_.async_wait([this](std::error_code ec) {
        if (ec || shut_down_) return;
        if (metadata_in_flight_) update_wanted_ = true;
        else send_metadata_request();
    });
}

void cluster_client::send_metadata_request() {
    if (shut_down_) return;
    protocol::metadata_request request;
    if (all_topics_) {
        request.topics.reset(); // null: every topic
    } else {
        for (const auto& t : topics_) request.topics->emplace_back().name = t;
    }
    const bool lists_all = all_topics_;
    metadata_in_flight_ = true;
    update_wanted_ = false;
    new_topics_wanted_ = false;
    last_metadata_request_ = clock_type::now();
    send_to_any(make_request<protocol::metadata_request, protocol::metadata_response>(
        std::move(request), [this, lists_all](std::error_code ec, protocol::metadata_response response, std::int16_t) {
            on_metadata_response(ec, response, lists_all);
        }));
}

void cluster_client::on_metadata_response(std::error_code ec, const protocol::metadata_response& response,
                                          bool lists_all) {
    metadata_in_flight_ = false;
    if (shut_down_) return;
    if (ec) {
        const exponential_backoff backoff(settings_.retry_backoff, settings_.retry_backoff_max);
        const auto wait = backoff.delay(metadata_failures_++);
        log_.debug("metadata", "metadata request failed (" + ec.message() + "), retrying in " +
                                   std::to_string(wait.count()) + " ms");
        schedule_refresh(wait);
        return;
    }
    metadata_failures_ = 0;
    metadata_.apply(response, lists_all);

    // Once brokers are known the bootstrap connections are no longer needed; each closes
    // once what was sent through it is answered (not here: this may be its own answer).
    if (!bootstrap_.empty() && !metadata_.brokers().empty()) {
        retiring_.insert(retiring_.end(), bootstrap_.begin(), bootstrap_.end());
        bootstrap_.clear();
        schedule_retire(std::chrono::milliseconds(0));
    }
    // Topics still being created, or partitions without a leader: ask again soon.
    bool incomplete = false;
    for (const auto& name : topics_) {
        const auto* t = metadata_.topic(name);
        if (t == nullptr || t->error_code != 0 || t->partitions.empty()) {
            incomplete = true;
            continue;
        }
        for (const auto& p : t->partitions) incomplete |= p.leader < 0;
    }
    for (const auto& listener : metadata_listeners_) listener();
    if (new_topics_wanted_) send_metadata_request();
    else if (update_wanted_ || incomplete) request_metadata_update();
    else schedule_refresh(settings_.metadata_max_age);
}

std::shared_ptr<broker_connection> cluster_client::connection(std::int32_t node_id) {
    if (auto it = connections_.find(node_id); it != connections_.end()) return it->second;
    const auto* broker = metadata_.broker(node_id);
    if (broker == nullptr || shut_down_) return nullptr;
    auto conn = std::make_shared<broker_connection>(
        io_, settings_, log_, node_id, broker_address{broker->host, broker->port},
        [this](broker_connection& c, bool ready, std::error_code) { connection_changed(c, ready); });
    connections_.emplace(node_id, conn);
    return conn;
}

std::shared_ptr<broker_connection> cluster_client::coordinator_connection(std::int32_t node_id) {
    if (auto it = coordinator_connections_.find(node_id); it != coordinator_connections_.end()) return it->second;
    const auto* broker = metadata_.broker(node_id);
    if (broker == nullptr || shut_down_) return nullptr;
    // No connection listener: nothing waits for this one to become ready.
    auto conn = std::make_shared<broker_connection>(io_, settings_, log_, node_id,
                                                    broker_address{broker->host, broker->port},
                                                    [](broker_connection&, bool, std::error_code) {});
    coordinator_connections_.emplace(node_id, conn);
    return conn;
}

broker_connection* cluster_client::pick_connection() {
    broker_connection* best = nullptr;
    std::size_t best_load = std::numeric_limits<std::size_t>::max();
    for (auto& [id, c] : connections_) {
        if (!c->is_ready()) continue;
        const auto load = c->in_flight() + c->queued();
        if (load < best_load) {
            best = c.get();
            best_load = load;
        }
    }
    if (best != nullptr) return best;
    for (auto& c : bootstrap_)
        if (c->is_ready()) return c.get();
    // Nothing ready: the next known broker in turn (it connects when sent to).
    std::vector<broker_connection*> candidates;
    for (const auto& [id, info] : metadata_.brokers())
        if (auto c = connection(id)) candidates.push_back(c.get());
    if (candidates.empty())
        for (auto& c : bootstrap_) candidates.push_back(c.get());
    if (candidates.empty()) return nullptr;
    return candidates[next_bootstrap_++ % candidates.size()];
}

void cluster_client::send_to_any(outbound_request request) {
    auto* conn = shut_down_ ? nullptr : pick_connection();
    if (conn == nullptr) {
        request.on_response(make_error_code(shut_down_ ? errc::closed : errc::connection_failed), 0, {});
        return;
    }
    conn->send(std::move(request));
}

void cluster_client::connection_changed(broker_connection& conn, bool ready) {
    if (shut_down_) return;
    for (const auto& listener : connection_listeners_) listener(conn.node_id(), ready);
}

} // namespace kafkit::detail
