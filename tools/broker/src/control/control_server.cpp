#include "control/control_server.hpp"

#include "control/control_protocol.hpp"

#include <asio/co_spawn.hpp>
#include <asio/read_until.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <cstdio>
#include <functional>
#include <string>

namespace kafkit::broker {
namespace {

/// A request line longer than this is not a control request: answered with an error, and
/// the connection closed (there is no way to find the next line boundary cheaply).
constexpr std::size_t max_line_bytes = 1024 * 1024;

void report_failure(const std::exception_ptr& e) {
    if (!e) return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        std::fprintf(stderr, "kafkit-broker: control socket task failed: %s\n", ex.what());
    }
}

} // namespace

/// One control connection: reads lines, answers each before reading the next.
class control_server::session : public std::enable_shared_from_this<session> {
public:
    session(asio::ip::tcp::socket socket, control_target& target, std::function<void()> on_closed)
        : socket_(std::move(socket)), target_(target), on_closed_(std::move(on_closed)) {}

    static asio::awaitable<void> run(std::shared_ptr<session> self) {
        std::string buffer;
        while (self->open_) {
            std::error_code ec;
            const std::size_t n = co_await asio::async_read_until(
                self->socket_, asio::dynamic_buffer(buffer, max_line_bytes), '\n',
                asio::redirect_error(asio::use_awaitable, ec));
            if (ec == asio::error::not_found) {
                co_await self->write(R"({"error":"request line longer than 1 MiB","ok":false})");
                break;
            }
            if (ec) break;
            std::string line = buffer.substr(0, n - 1);
            buffer.erase(0, n);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.find_first_not_of(" \t") == std::string::npos) continue; // blank lines are ignored
            const control_reply reply = handle_control_line(line, self->target_);
            if (!co_await self->write(reply.line)) break;
            // The reply is on the wire before the stop begins, so the caller learns it was taken.
            if (reply.shutdown) self->target_.shutdown();
        }
        self->close();
    }

    /// Closes the socket; the server forgets the session. Idempotent.
    void close() {
        if (!open_) return;
        open_ = false;
        std::error_code ec;
        socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
        socket_.close(ec);
        if (on_closed_) std::exchange(on_closed_, nullptr)();
    }

private:
    asio::awaitable<bool> write(std::string line) {
        line += '\n';
        std::error_code ec;
        co_await asio::async_write(socket_, asio::buffer(line), asio::redirect_error(asio::use_awaitable, ec));
        co_return !ec;
    }

    asio::ip::tcp::socket socket_;
    control_target& target_;
    std::function<void()> on_closed_;
    bool open_ = true;
};

control_server::control_server(asio::io_context& io, const listen_address& where, control_target& target)
    : io_(io), acceptor_(io), target_(target) {
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(where.host), where.port);
    acceptor_.open(endpoint.protocol());
    // A restarted broker binds the same port again while old connections are in TIME_WAIT.
    acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
}

control_server::~control_server() = default;

void control_server::start() { asio::co_spawn(io_, accept_loop(this), report_failure); }

asio::awaitable<void> control_server::accept_loop(control_server* self) {
    while (!self->closed_) {
        std::error_code ec;
        auto socket = co_await self->acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
        if (self->closed_ || ec == asio::error::operation_aborted) co_return;
        if (ec) {
            // Out of descriptors and the like: wait a little rather than spin.
            asio::steady_timer pause(self->io_, std::chrono::milliseconds(50));
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        const auto id = self->next_id_++;
        auto s = std::make_shared<session>(std::move(socket), self->target_, [self, id] { self->forget(id); });
        self->sessions_.emplace(id, s);
        asio::co_spawn(self->io_, session::run(std::move(s)), report_failure);
    }
}

void control_server::forget(std::uint64_t id) { sessions_.erase(id); }

void control_server::close() {
    if (closed_) return;
    closed_ = true;
    std::error_code ec;
    acceptor_.close(ec);
    auto live = sessions_; // close() erases from the map
    for (auto& [id, s] : live) s->close();
}

} // namespace kafkit::broker
