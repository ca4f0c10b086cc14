#pragma once
// One client connection to one broker node: reads request frames, hands each to its
// handler, and writes the responses back in request order. Like Kafka, a connection
// handles one request at a time (the next is read once the previous one is answered), so
// responses never overtake each other.

#include "state/broker_node.hpp"

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::broker {

class broker_state;

class connection : public std::enable_shared_from_this<connection> {
public:
    /// `on_closed` runs once when the connection is gone (the server forgets it).
    connection(asio::ip::tcp::socket socket, broker_state& state, const broker_node& node, std::uint64_t id,
               std::function<void(std::uint64_t)> on_closed);

    /// Starts the read and write loops.
    void start();
    /// Closes at once (a bad frame, a fault injection, a node going down).
    void close(const std::string& reason);
    /// Graceful stop: the request being handled is answered and written, then it closes.
    void stop_after_current();

    [[nodiscard]] bool is_open() const noexcept { return open_; }
    [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
    [[nodiscard]] std::int32_t node_id() const noexcept { return node_.id; }
    [[nodiscard]] const std::string& client_id() const noexcept { return client_id_; }

    /// The handler's answer for the current request (nullopt: no response).
    void deliver(std::optional<std::vector<std::uint8_t>> response);

private:
    static asio::awaitable<void> read_loop(std::shared_ptr<connection> self);
    static asio::awaitable<void> write_loop(std::shared_ptr<connection> self);
    asio::awaitable<bool> fill(std::size_t needed);
    void dispatch(std::shared_ptr<std::vector<std::uint8_t>> frame);
    void log(int level, const std::string& what) const;

    asio::ip::tcp::socket socket_;
    broker_state& state_;
    const broker_node& node_;
    std::uint64_t id_;
    std::function<void(std::uint64_t)> on_closed_;
    std::string peer_;
    std::string client_id_;

    std::vector<std::uint8_t> read_buffer_;
    std::size_t read_begin_ = 0;
    std::size_t read_end_ = 0;

    // The request in flight: the read loop waits on `reply_ready_` until deliver() runs.
    asio::steady_timer reply_ready_;
    bool awaiting_reply_ = false;
    std::optional<std::vector<std::uint8_t>> reply_;
    std::chrono::milliseconds reply_delay_{0};

    std::deque<std::vector<std::uint8_t>> write_queue_;
    asio::steady_timer write_ready_;
    bool open_ = true;
    bool stopping_ = false;
    bool reading_idle_ = false; ///< blocked reading the next request (safe to cancel)
};

} // namespace kafkit::broker
