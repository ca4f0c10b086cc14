#include "admin/admin_engine.hpp"

#include "kafkit/exception.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace kafkit::detail {

admin_engine::admin_engine(admin_settings settings)
    : settings_(std::move(settings)), log_(settings_.client.log, settings_.client.log_level_min),
      backoff_(settings_.client.retry_backoff, settings_.client.retry_backoff_max),
      cluster_(io_.context(), settings_.client, log_) {
    io_.run_and_wait([this] { cluster_.start(); });
}

admin_engine::~admin_engine() { close(); }

void admin_engine::close() {
    if (io_.is_current()) throw exception(make_error_code(errc::invalid_state), "admin_client::close on its I/O thread");
    {
        std::lock_guard lock(submit_mutex_);
        if (!accepting_) return;
        accepting_ = false; // what was submitted before runs first, and meets closed_
    }
    io_.run_and_wait([this] {
        closed_ = true;
        cluster_.shut_down(); // in-flight requests fail with errc::closed
        for (auto& [id, timer] : timers_) timer->cancel();
    });
    // One more turn runs what that queued (failed requests, cancelled backoffs).
    io_.run_and_wait([] {});
    io_.stop();
    // Whatever still waited in the stopped I/O thread (a connection attempt, a resolve)
    // will not answer now: its operation's open outcomes fail here.
    std::vector<std::pair<std::weak_ptr<void>, std::function<void()>>> closers;
    {
        std::lock_guard lock(submit_mutex_);
        closers.swap(closers_);
    }
    for (auto& [owner, fail_open] : closers)
        if (auto alive = owner.lock()) fail_open();
}

admin_engine::clock_type::time_point admin_engine::deadline(std::optional<std::chrono::milliseconds> timeout) const {
    return clock_type::now() + timeout.value_or(settings_.default_api_timeout);
}

bool admin_engine::retriable(std::error_code ec) noexcept {
    if (is_retriable(ec)) return true;
    return ec == errc::disconnected || ec == errc::timed_out || ec == errc::connection_failed;
}

void admin_engine::dispatch(admin_route where, clock_type::time_point deadline, outbound_request request) {
    if (closed_) {
        request.on_response(make_error_code(errc::closed), 0, {});
        return;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
    request.timeout = std::clamp(left, std::chrono::milliseconds(1), settings_.client.request_timeout);
    std::int32_t node = where.node;
    switch (where.what) {
    case admin_route::kind::any_broker: cluster_.send_to_any(std::move(request)); return;
    case admin_route::kind::controller:
        node = cluster_.metadata().controller();
        if (node < 0) {
            cluster_.request_metadata_update();
            request.on_response(make_error_code(kafka_errc::not_controller), 0, {});
            return;
        }
        break;
    case admin_route::kind::node: break;
    }
    // A broker that cannot be reached coordinates nothing for now: its groups and
    // transactional ids are looked up again on the next attempt.
    request.on_response = [this, node, inner = std::move(request.on_response)](std::error_code ec, std::int16_t version,
                                                                               const response_body& body) {
        if (ec == errc::disconnected || ec == errc::connection_failed || ec == errc::timed_out)
            std::erase_if(coordinators_, [node](const auto& c) { return c.second == node; });
        inner(ec, version, body);
    };
    auto conn = cluster_.connection(node);
    if (!conn) {
        cluster_.request_metadata_update();
        request.on_response(make_error_code(errc::connection_failed), 0, {});
        return;
    }
    conn->send(std::move(request));
}

void admin_engine::after_backoff(std::uint32_t attempt, clock_type::time_point deadline, std::function<void()> again,
                                 std::function<void(std::error_code)> give_up) {
    if (closed_) {
        give_up(make_error_code(errc::closed));
        return;
    }
    const auto at = clock_type::now() + backoff_.delay(attempt);
    if (at >= deadline) {
        give_up(make_error_code(errc::timed_out));
        return;
    }
    const auto id = next_timer_++;
    auto timer = std::make_shared<asio::steady_timer>(io_.context(), at);
    timers_.emplace(id, timer);
    timer->async_wait([this, id, again = std::move(again), give_up = std::move(give_up)](std::error_code) {
        timers_.erase(id);
        if (closed_) give_up(make_error_code(errc::closed));
        else again();
    });
}

void retry_loop::again() {
    engine_.after_backoff(attempts_++, deadline_, [self = shared_from_this()] { self->attempt_(self); }, give_up_);
}

void admin_engine::fetch_metadata(std::optional<std::vector<std::string>> topics, clock_type::time_point deadline,
                                  bool include_authorized_operations,
                                  std::function<void(std::error_code, const protocol::metadata_response&)> done) {
    protocol::metadata_request request;
    if (topics) {
        for (const auto& t : *topics) request.topics->emplace_back().name = t;
    } else {
        request.topics.reset(); // every topic
    }
    request.include_topic_authorized_operations = include_authorized_operations;
    retry(
        deadline,
        [this, request, done](const std::shared_ptr<retry_loop>& loop) {
            dispatch(admin_route::any(), loop->deadline(),
                     make_request<protocol::metadata_request, protocol::metadata_response>(
                         request,
                         [this, loop, done](std::error_code ec, protocol::metadata_response response, std::int16_t) {
                             if (ec && retriable(ec)) return loop->again();
                             if (!ec) cluster_.metadata().apply(response);
                             done(ec, response);
                         },
                         client_versions(protocol::metadata_request::api_key),
                         [](protocol::metadata_request& r, std::int16_t version) {
                             // Fields a version lacks keep their defaults.
                             r.allow_auto_topic_creation = version < 4;
                             if (version < 8 || version > 10) r.include_cluster_authorized_operations = false;
                             if (version < 8) r.include_topic_authorized_operations = false;
                         }));
        },
        [done](std::error_code why) { done(why, {}); });
}

struct admin_engine::coordinator_lookup {
    std::int8_t key_type = 0;
    std::set<std::string> pending;
    std::map<std::string, coordinator_answer> answers;
    std::function<void(std::map<std::string, coordinator_answer>)> done;
};

void admin_engine::find_coordinators(std::int8_t key_type, std::vector<std::string> keys, clock_type::time_point deadline,
                                     std::function<void(std::map<std::string, coordinator_answer>)> done) {
    auto lookup = std::make_shared<coordinator_lookup>();
    lookup->key_type = key_type;
    lookup->done = std::move(done);
    for (auto& key : keys) {
        if (auto it = coordinators_.find({key_type, key}); it != coordinators_.end())
            lookup->answers[key] = coordinator_answer{it->second, {}, {}};
        else lookup->pending.insert(std::move(key));
    }
    if (lookup->pending.empty()) {
        lookup->done(std::move(lookup->answers));
        return;
    }
    retry(
        deadline, [this, lookup](const std::shared_ptr<retry_loop>& loop) { find_coordinators_attempt(lookup, loop); },
        [lookup](std::error_code why) {
            for (const auto& key : lookup->pending) lookup->answers[key] = coordinator_answer{-1, why, {}};
            lookup->pending.clear();
            lookup->done(std::move(lookup->answers));
        });
}

void admin_engine::find_coordinators_attempt(const std::shared_ptr<coordinator_lookup>& lookup,
                                             const std::shared_ptr<retry_loop>& loop) {
    protocol::find_coordinator_request request;
    request.key_type = lookup->key_type;
    request.coordinator_keys.assign(lookup->pending.begin(), lookup->pending.end());
    auto on_answer = [this, lookup, loop](std::error_code ec, protocol::find_coordinator_response response,
                                          std::int16_t version) {
        if (ec) {
            if (retriable(ec)) return loop->again();
            for (const auto& key : lookup->pending) lookup->answers[key] = coordinator_answer{-1, ec, {}};
            lookup->pending.clear();
            return lookup->done(std::move(lookup->answers));
        }
        if (version < 4) { // one key per request: the first pending one was asked
            auto& c = response.coordinators.emplace_back();
            c.key = *lookup->pending.begin();
            c.node_id = response.node_id;
            c.host = response.host;
            c.port = response.port;
            c.error_code = response.error_code;
            c.error_message = response.error_message;
        }
        bool retry_wanted = false;
        for (const auto& c : response.coordinators) {
            if (lookup->pending.count(c.key) == 0) continue;
            const auto error = make_error_code(static_cast<kafka_errc>(c.error_code));
            if (c.error_code != 0 && retriable(error)) {
                retry_wanted = true;
                continue;
            }
            coordinator_answer answer{c.error_code == 0 ? c.node_id : -1, c.error_code == 0 ? std::error_code{} : error,
                                      c.error_message.value_or("")};
            if (c.error_code == 0) coordinators_[{lookup->key_type, c.key}] = c.node_id;
            lookup->answers[c.key] = std::move(answer);
            lookup->pending.erase(c.key);
        }
        if (lookup->pending.empty()) return lookup->done(std::move(lookup->answers));
        // Keys left unasked (before v4) go at once; keys whose coordinator was not ready wait.
        if (retry_wanted) return loop->again();
        find_coordinators_attempt(lookup, loop);
    };
    dispatch(admin_route::any(), loop->deadline(),
             make_request<protocol::find_coordinator_request, protocol::find_coordinator_response>(
                 std::move(request), std::move(on_answer), client_versions(protocol::find_coordinator_request::api_key),
                 [](protocol::find_coordinator_request& r, std::int16_t version) {
                     if (version >= 4) return;
                     r.key = r.coordinator_keys.front();
                     r.coordinator_keys.clear();
                     if (version < 1) r.key_type = 0;
                 }));
}

void admin_engine::forget_coordinator(std::int8_t key_type, const std::string& key) { coordinators_.erase({key_type, key}); }

} // namespace kafkit::detail
