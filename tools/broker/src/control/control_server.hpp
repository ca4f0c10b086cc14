#pragma once
// The JSON-lines control socket: a TCP listener whose connections each send request lines
// and read one response line per request (see control_protocol.hpp). Runs on the
// io_context it is given; everything it calls on its target runs on that thread.

#include "control/control_target.hpp"
#include "kafkit/broker/broker_config.hpp"

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <cstdint>
#include <map>
#include <memory>

namespace kafkit::broker {

/// Accepts control connections and answers their request lines against one target.
class control_server {
public:
    /// Binds `where` (port 0: any free port) and listens; std::system_error when it cannot.
    /// `target` must outlive the server's open connections (close() ends them).
    control_server(asio::io_context& io, const listen_address& where, control_target& target);
    ~control_server();
    control_server(const control_server&) = delete;
    control_server& operator=(const control_server&) = delete;

    /// The bound port.
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// Starts accepting (call on any thread before the io_context runs, or on its thread).
    void start();
    /// Stops accepting and closes every control connection at once. Idempotent; I/O thread.
    void close();

private:
    class session;
    static asio::awaitable<void> accept_loop(control_server* self);
    void forget(std::uint64_t id);

    asio::io_context& io_;
    asio::ip::tcp::acceptor acceptor_;
    control_target& target_;
    std::uint16_t port_ = 0;
    bool closed_ = false;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, std::shared_ptr<session>> sessions_;
};

} // namespace kafkit::broker
