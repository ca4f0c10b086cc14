#pragma once
// One TCP connection to one broker: connect (with socket.connection.setup.timeout.ms),
// the ApiVersions handshake, requests pipelined up to max.in.flight with correlation ids,
// responses matched in order, request.timeout.ms, connections.max.idle.ms, and reconnect
// backoff with jitter after a failure. Lives on the I/O thread; no call is thread-safe.

#include "config/client_settings.hpp"
#include "net/api_versions.hpp"
#include "net/backoff.hpp"
#include "net/frame_buffer.hpp"
#include "net/request.hpp"
#include "util/logger.hpp"

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace kafkit::detail {

/// Counters of one connection, for statistics.
struct connection_counters {
    std::int64_t requests_sent = 0;
    std::int64_t bytes_sent = 0;
    std::int64_t responses_received = 0;
    std::int64_t bytes_received = 0;
    std::int64_t request_errors = 0;
    std::int64_t connects = 0;
    std::int64_t disconnects = 0;
};

class broker_connection : public std::enable_shared_from_this<broker_connection> {
public:
    enum class state { idle, connecting, ready, backoff, draining, shut_down };

    /// Told when the connection becomes ready (empty error) or goes down (the reason;
    /// empty for an idle close).
    using state_listener = std::function<void(broker_connection&, bool ready, std::error_code reason)>;

    /// A connection to `address`; `node_id` is -1 for a bootstrap server. Nothing happens
    /// until connect() or send().
    broker_connection(asio::io_context& io, const client_settings& settings, logger log, std::int32_t node_id,
                      broker_address address, state_listener listener);
    ~broker_connection();
    broker_connection(const broker_connection&) = delete;
    broker_connection& operator=(const broker_connection&) = delete;

    /// Queues `request`; it is written once the connection is ready and has room in
    /// max.in.flight. Connects if needed. When the connection fails before the answer,
    /// the handler gets the reason (errc::connection_failed, disconnected, timed_out).
    void send(outbound_request request);

    /// Starts connecting unless connected, connecting, or backing off (then it connects
    /// when the backoff ends).
    void connect();

    /// Closes the socket and fails what is queued and in flight with `reason`. It reconnects
    /// on the next send() or connect(), after the backoff when `reason` is a failure.
    void close(std::error_code reason);

    /// Closes for good (the client is stopping): no reconnect, handlers get errc::closed.
    void shut_down();

    /// shut_down(), but after requests sent without expecting an answer (acks=0) it first
    /// shuts down the sending side and waits, until `deadline`, for the broker to close
    /// its side. A socket closed with unread bytes in it is reset, and a reset makes the
    /// broker drop what it had not read yet: the last acks=0 records would be lost with a
    /// broker that answers them (librdkafka's mock). `done` runs once it is closed.
    void shut_down_after_drain(std::chrono::steady_clock::time_point deadline, std::function<void()> done);

    [[nodiscard]] state current_state() const noexcept { return state_; }
    [[nodiscard]] bool is_ready() const noexcept { return state_ == state::ready; }
    /// Requests written and not answered yet.
    [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_.size(); }
    /// Requests queued and not written yet.
    [[nodiscard]] std::size_t queued() const noexcept { return queue_.size(); }
    /// True when a request sent now would be written without waiting for a response
    /// (max.in.flight counts the queued ones too).
    [[nodiscard]] bool has_capacity() const noexcept {
        return is_ready() && queue_.size() + in_flight_.size() < max_in_flight_;
    }
    /// The broker's API versions (valid once ready).
    [[nodiscard]] const broker_api_versions& versions() const noexcept { return versions_; }
    [[nodiscard]] std::int32_t node_id() const noexcept { return node_id_; }
    [[nodiscard]] const broker_address& address() const noexcept { return address_; }
    /// "host:port".
    [[nodiscard]] std::string address_string() const { return address_.host + ":" + std::to_string(address_.port); }
    [[nodiscard]] const connection_counters& counters() const noexcept { return counters_; }

private:
    struct in_flight_request {
        std::int32_t correlation_id = 0;
        std::int16_t api_key = 0;
        std::int16_t version = 0;
        response_handler on_response;
        std::chrono::steady_clock::time_point deadline;
    };

    static asio::awaitable<void> run_session(std::shared_ptr<broker_connection> self, std::uint64_t session);
    static asio::awaitable<void> write_loop(std::shared_ptr<broker_connection> self, std::uint64_t session);
    static asio::awaitable<void> read_loop(std::shared_ptr<broker_connection> self, std::uint64_t session);
    static asio::awaitable<void> housekeeping(std::shared_ptr<broker_connection> self, std::uint64_t session);
    asio::awaitable<std::error_code> connect_socket(std::uint64_t session);
    asio::awaitable<std::error_code> handshake(std::uint64_t session);
    asio::awaitable<std::error_code> fill(std::size_t needed);
    asio::awaitable<std::error_code> read_frame(std::size_t& size);

    void start_session();
    void on_session_failed(std::uint64_t session, std::error_code reason);
    void become_ready();
    void fail_all(std::error_code reason);
    void finish_drain();
    void wake_writer();
    /// Encodes the request into the write buffer and records it in flight.
    bool encode_into(outbound_request& request, std::int16_t version, request_buffer& out);
    void dispatch_response(const std::uint8_t* frame, std::size_t size);
    /// After a handler kept the read buffer: reads go on in another, which gets the bytes
    /// not handled yet.
    void replace_kept_read_buffer();

    asio::io_context& io_;
    const client_settings& settings_;
    logger log_;
    std::int32_t node_id_;
    broker_address address_;
    state_listener listener_;
    std::size_t max_in_flight_;

    state state_ = state::idle;
    std::uint64_t session_ = 0;     // bumped by every connect attempt and close
    std::optional<outbound_request> handshake_; // the ApiVersions request, written first
    std::int16_t handshake_version_ = 0;
    asio::ip::tcp::socket socket_;
    asio::steady_timer write_signal_;
    asio::steady_timer backoff_timer_;
    exponential_backoff backoff_;
    std::uint32_t failures_ = 0;

    std::deque<outbound_request> queue_;
    std::deque<in_flight_request> in_flight_;
    std::deque<std::int32_t> unanswered_ids_; // acks=0 requests, whose answers are dropped
    std::int32_t next_correlation_id_ = 1;
    std::function<void()> drained_; // shut_down_after_drain's `done`
    broker_api_versions versions_;
    std::chrono::steady_clock::time_point last_activity_;

    std::shared_ptr<frame_buffer_pool> read_pool_;
    std::shared_ptr<frame_buffer> read_buffer_;
    std::size_t read_begin_ = 0;
    std::size_t read_end_ = 0;
    connection_counters counters_;
};

} // namespace kafkit::detail
