#include "server/cluster_server.hpp"

#include "server/connection.hpp"
#include "state/broker_state.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <cstdio>

namespace kafkit::broker {

cluster_server::cluster_server(asio::io_context& io, const broker_config& config) : io_(io) {
    for (int i = 0; i < config.brokers; ++i) {
        listen_address where = static_cast<std::size_t>(i) < config.listeners.size()
                                   ? config.listeners[static_cast<std::size_t>(i)]
                                   : listen_address{config.listeners.front().host, 0};
        const auto address = asio::ip::make_address(where.host);
        auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(io_);
        const asio::ip::tcp::endpoint endpoint(address, where.port);
        acceptor->open(endpoint.protocol());
        acceptor->set_option(asio::ip::tcp::acceptor::reuse_address(true));
        acceptor->bind(endpoint);
        acceptor->listen(asio::socket_base::max_listen_connections);
        broker_node node;
        node.id = config.first_node_id + i;
        node.host = where.host;
        node.port = acceptor->local_endpoint().port();
        if (!config.rack_prefix.empty()) node.rack = config.rack_prefix + std::to_string(node.id);
        nodes_.push_back(node);
        acceptors_.push_back(std::move(acceptor));
    }
}

cluster_server::~cluster_server() = default;

void cluster_server::start(broker_state& state) {
    state_ = &state;
    for (std::size_t i = 0; i < acceptors_.size(); ++i)
        asio::co_spawn(io_, accept_loop(this, i), [](const std::exception_ptr& e) {
            if (e) std::fprintf(stderr, "kafkit-broker: accept loop failed\n");
        });
}

asio::awaitable<void> cluster_server::accept_loop(cluster_server* self, std::size_t node_index) {
    auto& acceptor = *self->acceptors_[node_index];
    while (!self->stopping_) {
        std::error_code ec;
        auto socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (ec == asio::error::operation_aborted || self->stopping_) co_return;
            // Out of descriptors and the like: wait a little rather than spin.
            asio::steady_timer pause(self->io_, std::chrono::milliseconds(50));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        // The state's copy of the node is the one that faults change (up/down).
        const broker_node* node = self->state_->find_node(self->nodes_[node_index].id);
        if (!node || !node->up) {
            std::error_code ignored;
            socket.close(ignored);
            continue;
        }
        const auto id = self->next_connection_id_++;
        auto conn = std::make_shared<connection>(std::move(socket), *self->state_, *node, id,
                                                 [self](std::uint64_t gone) { self->forget(gone); });
        self->connections_.emplace(id, conn);
        conn->start();
    }
}

void cluster_server::forget(std::uint64_t id) {
    connections_.erase(id);
    maybe_finish_shutdown();
}

void cluster_server::maybe_finish_shutdown() {
    if (stopping_ && connections_.empty() && on_stopped_) std::exchange(on_stopped_, nullptr)();
}

void cluster_server::shutdown(std::chrono::milliseconds deadline, std::function<void()> done) {
    stopping_ = true;
    on_stopped_ = std::move(done);
    for (auto& acceptor : acceptors_) {
        std::error_code ec;
        acceptor->close(ec);
    }
    // Copy: stop_after_current may close a connection, which erases it from the map.
    auto live = connections_;
    for (auto& [id, conn] : live) conn->stop_after_current();
    auto timer = std::make_shared<asio::steady_timer>(io_, deadline);
    timer->async_wait([this, timer](const std::error_code&) {
        auto rest = connections_;
        for (auto& [id, conn] : rest) conn->close("shutting down");
        maybe_finish_shutdown();
    });
    maybe_finish_shutdown();
}

int cluster_server::drop_connections(std::int32_t node_id, const std::string& client_id) {
    std::vector<std::shared_ptr<connection>> victims;
    for (auto& [id, conn] : connections_)
        if ((node_id == -1 || conn->node_id() == node_id) && (client_id.empty() || conn->client_id() == client_id))
            victims.push_back(conn);
    for (auto& conn : victims) conn->close("dropped by fault injection");
    return static_cast<int>(victims.size());
}

void cluster_server::set_node_up(std::int32_t node_id, bool up) {
    if (broker_node* node = state_->find_node(node_id)) node->up = up;
    if (!up) drop_connections(node_id, {});
}

} // namespace kafkit::broker
