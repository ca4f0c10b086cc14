#pragma once
// What the network core's tests share:
// - fake_broker, a tiny Kafka broker on the test's own io_context: it listens on 127.0.0.1
//   port 0, answers ApiVersions with the ranges it is told to advertise and Metadata with
//   the response it is given (both through kafkit::protocol's encoders), and records every
//   request. It can hold requests of an API unanswered, and a policy can answer with raw
//   bytes or close the connection. Single-threaded: it runs in the test's io_context.
// - run_until(), which runs that io_context until a condition holds or a deadline passes.
// - net_fixture: the io_context, the fakes, client settings with short backoffs, a log.

#include "config/client_settings.hpp"
#include "config_test_support.hpp"
#include "net/api_versions.hpp"
#include "util/logger.hpp"

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/api_versions.hpp"
#include "kafkit/protocol/messages/metadata.hpp"

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kafkit::testing {

/// The API keys the network tests send and check.
inline constexpr std::int16_t api_versions_key = 18;
inline constexpr std::int16_t metadata_key = 3;

/// Runs `io` until `done()` holds; false when `limit` passed first. Waits on the io_context,
/// never sleeps.
template <class Pred>
bool run_until(asio::io_context& io, Pred&& done,
               std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        io.run_one_for(std::chrono::milliseconds(20));
        if (io.stopped()) io.restart();
    }
    return true;
}

/// One request as the fake read it.
struct fake_request {
    std::size_t session = 0; ///< which accepted connection, from 1
    std::int16_t api_key = 0;
    std::int16_t api_version = 0;
    std::int32_t correlation_id = 0;
    std::vector<std::uint8_t> body; ///< a copy of the body

    [[nodiscard]] protocol::bytes_view body_view() const { return {body.data(), body.size()}; }
};

/// What the fake does with a request.
struct fake_reply {
    enum class kind { answer, hold, raw, close };
    kind what = kind::answer;
    std::vector<std::uint8_t> bytes; ///< kind::raw: written as they are

    static fake_reply answer() { return {}; }
    static fake_reply hold() { return {kind::hold, {}}; }
    static fake_reply raw(std::vector<std::uint8_t> bytes) { return {kind::raw, std::move(bytes)}; }
    static fake_reply close() { return {kind::close, {}}; }
};

class fake_broker {
public:
    enum class start_mode {
        listening,  ///< accepts connections at once
        bound_only, ///< holds the port without listening (connections are refused) until listen()
    };
    using policy = std::function<fake_reply(const fake_request&)>;

    explicit fake_broker(asio::io_context& io, start_mode mode = start_mode::listening)
        : s_(std::make_shared<state>(io)) {
        s_->acceptor.open(asio::ip::tcp::v4());
        s_->acceptor.bind({asio::ip::make_address_v4("127.0.0.1"), 0});
        s_->port = s_->acceptor.local_endpoint().port();
        // The ranges a current broker would list for what the client sends.
        advertise(3, {0, 12});
        advertise(0, {0, 11});
        s_->metadata.cluster_id = "fake-cluster";
        s_->metadata.controller_id = 1;
        auto& self = s_->metadata.brokers.emplace_back();
        self.node_id = 1;
        self.host = "127.0.0.1";
        self.port = s_->port;
        if (mode == start_mode::listening) listen();
    }
    ~fake_broker() { stop(); }
    fake_broker(const fake_broker&) = delete;
    fake_broker& operator=(const fake_broker&) = delete;

    [[nodiscard]] std::uint16_t port() const noexcept { return s_->port; }
    [[nodiscard]] detail::broker_address address() const { return {"127.0.0.1", s_->port}; }

    /// Starts accepting connections.
    void listen() {
        s_->acceptor.listen();
        asio::co_spawn(s_->io, accept_loop(s_), note_failure{s_});
    }

    /// Closes the listener and every connection; requests still read are dropped unanswered
    /// and the policy is released (it may view the test's locals).
    void stop() {
        s_->stopped = true;
        s_->on_request = nullptr;
        std::error_code ignored;
        s_->acceptor.close(ignored);
        for (auto& session : s_->sessions)
            session->socket.close(ignored);
    }

    /// The highest ApiVersions version it understands; above it, it answers in v0 with
    /// UNSUPPORTED_VERSION and this range (KIP-511).
    void set_api_versions_max(std::int16_t max) noexcept { s_->api_versions_max = max; }
    /// Lists `api_key` with `range` in its ApiVersions answer.
    void advertise(std::int16_t api_key, detail::version_range range) {
        s_->advertised[api_key] = range;
    }
    /// Leaves `api_key` out of its ApiVersions answer.
    void unadvertise(std::int16_t api_key) { s_->advertised.erase(api_key); }
    /// Its answer to Metadata: by default itself as node 1, controller, no topics.
    [[nodiscard]] protocol::metadata_response& metadata() noexcept { return s_->metadata; }
    /// Decides what to do with each request (default: answer it, or hold it as below).
    void set_policy(policy p) { s_->on_request = std::move(p); }
    /// Leaves requests of `api_key` unanswered from now on (answer_held() answers them).
    void hold(std::int16_t api_key) { s_->held_keys.insert(api_key); }
    /// Whether it closes a connection once its client has shut down sending (default: yes).
    void set_close_on_end_of_stream(bool close) noexcept { s_->close_on_end_of_stream = close; }
    /// Answers requests of `api_key` again as they come (the held ones stay held).
    void stop_holding(std::int16_t api_key) { s_->held_keys.erase(api_key); }

    /// Answers the held requests, in the order they came.
    void answer_held() {
        auto held = std::move(s_->held);
        s_->held.clear();
        for (auto& [to, request] : held)
            write(*s_, to, answer(*s_, request));
    }

    /// The normal answer to `request` as a whole frame.
    [[nodiscard]] std::vector<std::uint8_t> answer(const fake_request& request) const {
        return answer(*s_, request);
    }

    [[nodiscard]] const std::vector<fake_request>& requests() const noexcept {
        return s_->requests;
    }
    /// The requests of `api_key`, in order.
    [[nodiscard]] std::vector<fake_request> requests_of(std::int16_t api_key) const {
        std::vector<fake_request> out;
        for (const auto& r : s_->requests)
            if (r.api_key == api_key) out.push_back(r);
        return out;
    }
    [[nodiscard]] std::size_t count(std::int16_t api_key) const {
        return requests_of(api_key).size();
    }
    [[nodiscard]] std::size_t held() const noexcept { return s_->held.size(); }
    [[nodiscard]] std::size_t sessions_accepted() const noexcept { return s_->sessions.size(); }
    /// Connections whose client end closed (or that the fake closed).
    [[nodiscard]] std::size_t sessions_ended() const noexcept { return s_->sessions_ended; }
    /// The most requests one connection had unanswered at once.
    [[nodiscard]] std::size_t max_outstanding() const noexcept { return s_->max_outstanding; }
    /// Fake tasks that ended with an exception, or requests it could not parse or answer.
    [[nodiscard]] int failures() const noexcept { return s_->failures; }

private:
    struct session {
        session(std::size_t i, asio::ip::tcp::socket s) : id(i), socket(std::move(s)) {}
        std::size_t id;
        asio::ip::tcp::socket socket;
        std::size_t outstanding = 0;
        std::vector<std::uint8_t> pending; ///< bytes not handed to async_write yet
        bool writing = false;
    };

    struct state {
        explicit state(asio::io_context& context) : io(context), acceptor(context) {}
        asio::io_context& io;
        asio::ip::tcp::acceptor acceptor;
        std::uint16_t port = 0;
        std::int16_t api_versions_max = protocol::api_versions_request::max_version;
        std::map<std::int16_t, detail::version_range> advertised;
        protocol::metadata_response metadata;
        policy on_request;
        std::set<std::int16_t> held_keys;
        std::vector<std::shared_ptr<session>> sessions;
        std::vector<fake_request> requests;
        std::vector<std::pair<std::shared_ptr<session>, fake_request>> held;
        bool stopped = false;
        bool close_on_end_of_stream = true;
        std::size_t sessions_ended = 0;
        std::size_t max_outstanding = 0;
        int failures = 0;
    };

    struct note_failure {
        std::shared_ptr<state> s;
        void operator()(const std::exception_ptr& e) const {
            if (e) ++s->failures;
        }
    };

    static std::vector<std::uint8_t> answer(const state& s, const fake_request& request) {
        std::vector<std::uint8_t> out;
        bool encoded = false;
        if (request.api_key == protocol::api_versions_response::api_key) {
            protocol::api_versions_response response;
            std::int16_t version = request.api_version;
            if (version > s.api_versions_max) {
                // As Kafka answers a version it does not know: v0, the error, its own range.
                response.error_code = static_cast<std::int16_t>(kafka_errc::unsupported_version);
                response.api_keys.push_back(
                    {protocol::api_versions_response::api_key, 0, s.api_versions_max, {}});
                version = 0;
            } else {
                response.api_keys.push_back(
                    {protocol::api_versions_response::api_key, 0, s.api_versions_max, {}});
                for (const auto& [key, range] : s.advertised)
                    response.api_keys.push_back({key, range.min, range.max, {}});
            }
            encoded =
                protocol::encode_response_frame(response, version, request.correlation_id, out)
                    .has_value();
        } else if (request.api_key == protocol::metadata_response::api_key) {
            encoded = protocol::encode_response_frame(s.metadata, request.api_version,
                                                      request.correlation_id, out)
                          .has_value();
        }
        if (!encoded) out.clear();
        return out;
    }

    /// Queues `bytes` on the connection; frames go out whole and in order.
    static void write(state& s, const std::shared_ptr<session>& to,
                      const std::vector<std::uint8_t>& bytes) {
        if (bytes.empty()) {
            ++s.failures; // nothing the fake knows how to answer
            return;
        }
        if (to->outstanding > 0) --to->outstanding;
        to->pending.insert(to->pending.end(), bytes.begin(), bytes.end());
        if (!to->writing) flush(to);
    }

    static void flush(const std::shared_ptr<session>& to) {
        if (to->pending.empty()) {
            to->writing = false;
            return;
        }
        to->writing = true;
        auto buffer = std::make_shared<std::vector<std::uint8_t>>(std::move(to->pending));
        to->pending.clear();
        asio::async_write(to->socket, asio::buffer(*buffer),
                          [to, buffer](std::error_code ec, std::size_t) {
                              if (ec) {
                                  to->writing = false;
                                  return;
                              }
                              flush(to);
                          });
    }

    static void handle(const std::shared_ptr<state>& s, const std::shared_ptr<session>& from,
                       fake_request request) {
        const auto reply = s->on_request                         ? s->on_request(request)
                           : s->held_keys.count(request.api_key) ? fake_reply::hold()
                                                                 : fake_reply::answer();
        switch (reply.what) {
        case fake_reply::kind::answer:
            write(*s, from, answer(*s, request));
            break;
        case fake_reply::kind::hold:
            s->held.emplace_back(from, std::move(request));
            break;
        case fake_reply::kind::raw:
            write(*s, from, reply.bytes);
            break;
        case fake_reply::kind::close: {
            std::error_code ignored;
            from->socket.close(ignored);
            break;
        }
        }
    }

    static asio::awaitable<void> serve(std::shared_ptr<state> s, std::shared_ptr<session> from) {
        for (;;) {
            std::array<std::uint8_t, 4> size_bytes{};
            std::error_code ec;
            co_await asio::async_read(from->socket, asio::buffer(size_bytes),
                                      asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;
            const auto size = static_cast<std::int32_t>(
                (std::uint32_t{size_bytes[0]} << 24) | (std::uint32_t{size_bytes[1]} << 16) |
                (std::uint32_t{size_bytes[2]} << 8) | size_bytes[3]);
            if (size < 8 || size > (1 << 24)) {
                ++s->failures;
                break;
            }
            std::vector<std::uint8_t> frame(static_cast<std::size_t>(size));
            co_await asio::async_read(from->socket, asio::buffer(frame),
                                      asio::redirect_error(asio::use_awaitable, ec));
            if (ec || s->stopped) break;
            auto parts =
                protocol::read_request_frame(protocol::bytes_view(frame.data(), frame.size()));
            if (!parts) {
                ++s->failures;
                break;
            }
            fake_request request{from->id, parts->api_key, parts->api_version,
                                 parts->correlation_id,
                                 std::vector<std::uint8_t>(parts->body.begin(), parts->body.end())};
            s->requests.push_back(request);
            s->max_outstanding = std::max(s->max_outstanding, ++from->outstanding);
            handle(s, from, std::move(request));
        }
        ++s->sessions_ended;
        if (s->close_on_end_of_stream) { // as a broker does when its client is done
            std::error_code ignored;
            from->socket.close(ignored);
        }
    }

    static asio::awaitable<void> accept_loop(std::shared_ptr<state> s) {
        for (;;) {
            std::error_code ec;
            auto socket =
                co_await s->acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return;
            auto from = std::make_shared<session>(s->sessions.size() + 1, std::move(socket));
            s->sessions.push_back(from);
            asio::co_spawn(s->io, serve(s, from), note_failure{s});
        }
    }

    std::shared_ptr<state> s_;
};

/// `value` as 4 big-endian bytes, as frames carry sizes and correlation ids.
inline std::vector<std::uint8_t> big_endian32(std::int32_t value) {
    const auto u = static_cast<std::uint32_t>(value);
    return {static_cast<std::uint8_t>(u >> 24), static_cast<std::uint8_t>(u >> 16),
            static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u)};
}

/// The io_context and fakes of a network test, client settings with short backoffs, and
/// a log. A test fixture derives from it and shuts its clients down in its destructor; this
/// one then stops the fakes and lets the coroutines finish.
struct net_fixture {
    net_fixture() {
        settings.bootstrap_servers = {{"127.0.0.1", 9092}};
        settings.reconnect_backoff = std::chrono::milliseconds(20);
        settings.reconnect_backoff_max = std::chrono::milliseconds(100);
        settings.retry_backoff = std::chrono::milliseconds(20);
        settings.retry_backoff_max = std::chrono::milliseconds(100);
    }
    ~net_fixture() {
        for (auto& f : fakes)
            f->stop();
        // Bounded: the last coroutines end within a housekeeping tick.
        io.restart();
        io.run_for(std::chrono::seconds(2));
    }
    net_fixture(const net_fixture&) = delete;
    net_fixture& operator=(const net_fixture&) = delete;

    fake_broker& add_fake(fake_broker::start_mode mode = fake_broker::start_mode::listening) {
        fakes.push_back(std::make_unique<fake_broker>(io, mode));
        return *fakes.back();
    }

    /// A logger for the client under test, into `logs`, debug lines included.
    detail::logger make_logger() { return detail::logger(logs.sink(), log_level::debug); }

    /// True when some log line contains `text`.
    [[nodiscard]] bool logged(std::string_view text) const {
        return std::any_of(logs.lines.begin(), logs.lines.end(), [&](const std::string& line) {
            return line.find(text) != std::string::npos;
        });
    }

    detail::client_settings settings;
    log_capture logs;
    asio::io_context io;
    std::vector<std::unique_ptr<fake_broker>> fakes;
};

} // namespace kafkit::testing
