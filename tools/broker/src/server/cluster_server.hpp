#pragma once
// The network side of the cluster: one acceptor per broker node, the live connections,
// graceful shutdown, and the connection-level faults (drop, node down).

#include "kafkit/broker/broker_config.hpp"
#include "state/broker_node.hpp"

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace kafkit::broker {

class broker_state;
class connection;

class cluster_server {
public:
    /// Binds one acceptor per node (std::system_error when an address cannot be bound).
    cluster_server(asio::io_context& io, const broker_config& config);
    ~cluster_server();

    /// The nodes with their bound ports, to build the broker state from.
    [[nodiscard]] const std::vector<broker_node>& bound_nodes() const noexcept { return nodes_; }
    /// Starts accepting; connections are served against `state`.
    void start(broker_state& state);
    /// Stops accepting, lets each connection answer its current request, then closes it.
    /// `done` runs once every connection is closed or `deadline` has passed.
    void shutdown(std::chrono::milliseconds deadline, std::function<void()> done);

    /// Closes connections to `node_id` (-1: all) from `client_id` (empty: all).
    int drop_connections(std::int32_t node_id, const std::string& client_id);
    /// A down node closes its connections and refuses new ones.
    void set_node_up(std::int32_t node_id, bool up);

private:
    static asio::awaitable<void> accept_loop(cluster_server* self, std::size_t node_index);
    void forget(std::uint64_t id);
    void maybe_finish_shutdown();

    asio::io_context& io_;
    std::vector<broker_node> nodes_;
    std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> acceptors_;
    broker_state* state_ = nullptr;
    std::unordered_map<std::uint64_t, std::shared_ptr<connection>> connections_;
    std::uint64_t next_connection_id_ = 1;
    bool stopping_ = false;
    std::function<void()> on_stopped_;
};

} // namespace kafkit::broker
