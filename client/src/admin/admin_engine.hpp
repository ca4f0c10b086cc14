#pragma once
// What every admin operation is built on: the I/O thread and network core, routing of a
// request (any broker, the controller, one broker), one backoff-and-retry rule, and the
// lookups operations share (topic metadata, group coordinators). Operations live in their
// area's file (admin_topics.cpp, admin_groups.cpp, ...); each keeps its state in a
// shared_ptr its callbacks hold, and completes its promises on the I/O thread.

#include "config/admin_settings.hpp"
#include "net/backoff.hpp"
#include "net/cluster_client.hpp"
#include "net/io_thread.hpp"
#include "net/request.hpp"
#include "util/logger.hpp"

#include "kafkit/protocol/messages/metadata.hpp"

#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace kafkit::detail {

/// Where a request goes.
struct admin_route {
    enum class kind { any_broker, controller, node };
    kind what = kind::any_broker;
    std::int32_t node = -1;

    static admin_route any() { return {}; }
    static admin_route controller() { return {kind::controller, -1}; }
    static admin_route to(std::int32_t node_id) { return {kind::node, node_id}; }
};

/// A group or transactional id's coordinator, or why it has none.
struct coordinator_answer {
    std::int32_t node = -1;
    std::error_code error;
    std::string message;
};

class admin_engine;

/// One step of an operation, tried until it succeeds or gives up: the attempt sends its
/// request; its handler calls again() on a retriable failure, which waits out the backoff
/// and tries once more, or gives up with errc::timed_out past the deadline (errc::closed
/// when the client closes).
class retry_loop : public std::enable_shared_from_this<retry_loop> {
public:
    using attempt_fn = std::function<void(const std::shared_ptr<retry_loop>& self)>;

    retry_loop(admin_engine& engine, std::chrono::steady_clock::time_point deadline, attempt_fn attempt,
               std::function<void(std::error_code)> give_up)
        : engine_(engine), deadline_(deadline), attempt_(std::move(attempt)), give_up_(std::move(give_up)) {}

    void start() { attempt_(shared_from_this()); }
    void again();
    [[nodiscard]] std::chrono::steady_clock::time_point deadline() const noexcept { return deadline_; }

private:
    admin_engine& engine_;
    std::chrono::steady_clock::time_point deadline_;
    attempt_fn attempt_;
    std::function<void(std::error_code)> give_up_;
    std::uint32_t attempts_ = 0;
};

class admin_engine {
public:
    using clock_type = std::chrono::steady_clock;

    explicit admin_engine(admin_settings settings);
    ~admin_engine();
    admin_engine(const admin_engine&) = delete;
    admin_engine& operator=(const admin_engine&) = delete;

    /// Stops every operation (their open entities fail with errc::closed) and the I/O
    /// thread. Idempotent; not from the I/O thread.
    void close();

    /// Runs `start` on the I/O thread and keeps `fail_open` for close(), which runs it once
    /// the I/O thread has stopped to fail with errc::closed whatever was still waiting there
    /// (a connection attempt, a resolve). `owner` is the operation's promises: once they are
    /// gone there is nothing to fail. A closed client runs neither and returns false. Any thread.
    bool submit(std::function<void()> start, std::weak_ptr<void> owner, std::function<void()> fail_open) {
        std::lock_guard lock(submit_mutex_);
        if (!accepting_) return false;
        if (closers_.size() >= closers_pruned_at_ * 2) { // forget finished operations now and then
            std::erase_if(closers_, [](const auto& c) { return c.first.expired(); });
            closers_pruned_at_ = std::max<std::size_t>(closers_.size(), 16);
        }
        closers_.emplace_back(std::move(owner), std::move(fail_open));
        io_.post(std::move(start));
        return true;
    }

    /// The deadline of an operation started now with `timeout` (default.api.timeout.ms when unset).
    [[nodiscard]] clock_type::time_point deadline(std::optional<std::chrono::milliseconds> timeout) const;

    /// I/O thread: sends `request` along `where`; its handler gets the outcome. A route that
    /// cannot be followed now (no controller known, an unknown node) fails the request with a
    /// retriable error and asks for fresh metadata. The request's timeout is
    /// request.timeout.ms, shortened to what is left before `deadline`.
    void dispatch(admin_route where, clock_type::time_point deadline, outbound_request request);

    template <class Request, class Response, class Handler>
    void send(admin_route where, clock_type::time_point deadline, Request request, Handler on_done) {
        dispatch(where, deadline, make_request<Request, Response>(std::move(request), std::move(on_done)));
    }

    /// I/O thread: runs `again` after the backoff for attempt number `attempt` (0 after the
    /// first failure); or `give_up(errc::timed_out)` when that would pass `deadline`, and
    /// `give_up(errc::closed)` when the client closes meanwhile.
    void after_backoff(std::uint32_t attempt, clock_type::time_point deadline, std::function<void()> again,
                       std::function<void(std::error_code)> give_up);

    /// I/O thread: starts a retry_loop.
    void retry(clock_type::time_point deadline, retry_loop::attempt_fn attempt, std::function<void(std::error_code)> give_up) {
        std::make_shared<retry_loop>(*this, deadline, std::move(attempt), std::move(give_up))->start();
    }

    /// True for an error worth another attempt while time is left: Kafka's retriable errors
    /// and a lost or timed-out connection.
    [[nodiscard]] static bool retriable(std::error_code ec) noexcept;

    /// I/O thread: a Metadata request for `topics` (every topic when nullopt) to any broker,
    /// retried until `deadline`; the answer also refreshes the brokers the client knows.
    void fetch_metadata(std::optional<std::vector<std::string>> topics, clock_type::time_point deadline,
                        bool include_authorized_operations,
                        std::function<void(std::error_code, const protocol::metadata_response&)> done);

    /// I/O thread: the coordinators of `keys` (key_type 0: groups, 1: transactional ids),
    /// batched in one FindCoordinator (v4+) or one request per key; retriable errors are
    /// retried until `deadline`, other errors are answers.
    void find_coordinators(std::int8_t key_type, std::vector<std::string> keys, clock_type::time_point deadline,
                           std::function<void(std::map<std::string, coordinator_answer>)> done);
    /// Forgets a coordinator after NOT_COORDINATOR or a lost connection.
    void forget_coordinator(std::int8_t key_type, const std::string& key);

    [[nodiscard]] cluster_client& cluster() noexcept { return cluster_; }
    [[nodiscard]] const metadata_cache& metadata() const noexcept { return cluster_.metadata(); }

private:
    struct coordinator_lookup;
    void find_coordinators_attempt(const std::shared_ptr<coordinator_lookup>& lookup,
                                   const std::shared_ptr<retry_loop>& loop);

    admin_settings settings_;
    logger log_;
    exponential_backoff backoff_;
    io_thread io_;
    cluster_client cluster_;
    /// Coordinators found, by key type and key, reused until an error says they moved.
    std::map<std::pair<std::int8_t, std::string>, std::int32_t> coordinators_;
    /// Backoffs waiting, so that close() can end them.
    std::map<std::uint64_t, std::shared_ptr<asio::steady_timer>> timers_;
    std::uint64_t next_timer_ = 0;
    bool closed_ = false; ///< I/O thread's view
    std::mutex submit_mutex_;
    bool accepting_ = true; ///< under submit_mutex_
    std::vector<std::pair<std::weak_ptr<void>, std::function<void()>>> closers_; ///< under submit_mutex_
    std::size_t closers_pruned_at_ = 16;
};

} // namespace kafkit::detail
