#include "server/connection.hpp"

#include "kafkit/protocol/messages/api_table.hpp"
#include "server/request_context.hpp"
#include "server/request_dispatch.hpp"
#include "state/broker_state.hpp"

#include <asio/co_spawn.hpp>
#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <cstdio>

namespace kafkit::broker {
namespace {

/// The connection's side of one request: forwards the one answer to the connection if it
/// still exists.
class request_slot final : public response_sink {
public:
    explicit request_slot(std::weak_ptr<connection> conn) : conn_(std::move(conn)) {}
    void send_response(std::vector<std::uint8_t> frame) override {
        if (auto c = claim()) c->deliver(std::move(frame));
    }
    void no_response() override {
        if (auto c = claim()) c->deliver(std::nullopt);
    }
    void close(const std::string& reason) override {
        if (auto c = claim()) c->close(reason);
    }
    [[nodiscard]] bool is_open() const override {
        auto c = conn_.lock();
        return c && c->is_open();
    }

private:
    std::shared_ptr<connection> claim() {
        if (answered_) return nullptr;
        answered_ = true;
        return conn_.lock();
    }
    std::weak_ptr<connection> conn_;
    bool answered_ = false;
};

constexpr std::size_t initial_read_buffer = 64 * 1024;

std::int32_t read_be32(const std::uint8_t* p) {
    return static_cast<std::int32_t>((std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                                     (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]});
}

} // namespace

connection::connection(asio::ip::tcp::socket socket, broker_state& state, const broker_node& node, std::uint64_t id,
                       std::function<void(std::uint64_t)> on_closed)
    : socket_(std::move(socket)), state_(state), node_(node), id_(id), on_closed_(std::move(on_closed)),
      read_buffer_(initial_read_buffer), reply_ready_(socket_.get_executor()), write_ready_(socket_.get_executor()) {
    std::error_code ec;
    const auto remote = socket_.remote_endpoint(ec);
    peer_ = ec ? std::string("unknown") : remote.address().to_string();
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

void connection::start() {
    auto on_done = [](const std::exception_ptr& e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            std::fprintf(stderr, "kafkit-broker: connection task failed: %s\n", ex.what());
        }
    };
    asio::co_spawn(socket_.get_executor(), read_loop(shared_from_this()), on_done);
    asio::co_spawn(socket_.get_executor(), write_loop(shared_from_this()), on_done);
}

void connection::log(int level, const std::string& what) const {
    if (level < state_.config().log_level) return;
    std::fprintf(stderr, "kafkit-broker: node %d, connection %llu from %s (client.id %s): %s\n", node_.id,
                 static_cast<unsigned long long>(id_), peer_.c_str(), client_id_.c_str(), what.c_str());
}

void connection::close(const std::string& reason) {
    if (!open_) return;
    open_ = false;
    if (!reason.empty()) log(2, "closing: " + reason);
    std::error_code ec;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    reply_ready_.cancel();
    write_ready_.cancel();
    if (on_closed_) std::exchange(on_closed_, nullptr)(id_);
}

void connection::stop_after_current() {
    stopping_ = true;
    if (reading_idle_) {
        std::error_code ec;
        socket_.cancel(ec); // the read loop ends; the write loop drains and closes
    }
}

void connection::deliver(std::optional<std::vector<std::uint8_t>> response) {
    if (!awaiting_reply_) return;
    awaiting_reply_ = false;
    reply_ = std::move(response);
    reply_ready_.cancel();
}

asio::awaitable<bool> connection::fill(std::size_t needed) {
    while (read_end_ - read_begin_ < needed) {
        if (read_begin_ > 0) { // compact
            std::memmove(read_buffer_.data(), read_buffer_.data() + read_begin_, read_end_ - read_begin_);
            read_end_ -= read_begin_;
            read_begin_ = 0;
        }
        if (read_buffer_.size() < needed) read_buffer_.resize(needed);
        std::error_code ec;
        const auto n = co_await socket_.async_read_some(
            asio::buffer(read_buffer_.data() + read_end_, read_buffer_.size() - read_end_),
            asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return false;
        read_end_ += n;
    }
    co_return true;
}

asio::awaitable<void> connection::read_loop(std::shared_ptr<connection> self) {
    const auto max_frame = static_cast<std::size_t>(self->state_.config().socket_request_max_bytes);
    while (self->open_ && !self->stopping_) {
        self->reading_idle_ = self->read_end_ == self->read_begin_;
        if (!co_await self->fill(4)) break;
        self->reading_idle_ = false;
        const std::int32_t size = read_be32(self->read_buffer_.data() + self->read_begin_);
        if (size < 0 || static_cast<std::size_t>(size) > max_frame) {
            // Kafka's InvalidReceiveException: the size is checked before anything is read.
            self->close("frame size " + std::to_string(size) + " is larger than socket.request.max.bytes (" +
                        std::to_string(max_frame) + ") or negative");
            co_return;
        }
        if (!co_await self->fill(4 + static_cast<std::size_t>(size))) break;
        const auto* begin = self->read_buffer_.data() + self->read_begin_ + 4;
        auto frame = std::make_shared<std::vector<std::uint8_t>>(begin, begin + size);
        self->read_begin_ += 4 + static_cast<std::size_t>(size);
        if (self->read_begin_ == self->read_end_) self->read_begin_ = self->read_end_ = 0;

        self->awaiting_reply_ = true;
        self->reply_.reset();
        self->reply_delay_ = std::chrono::milliseconds(0);
        self->dispatch(std::move(frame));
        while (self->awaiting_reply_ && self->open_) {
            self->reply_ready_.expires_at(asio::steady_timer::time_point::max());
            std::error_code ec;
            co_await self->reply_ready_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        if (!self->open_) co_return;
        if (self->reply_delay_.count() > 0) {
            asio::steady_timer delay(self->socket_.get_executor(), self->reply_delay_);
            std::error_code ec;
            co_await delay.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (!self->open_) co_return;
        }
        if (self->reply_) {
            self->write_queue_.push_back(std::move(*self->reply_));
            self->write_ready_.cancel();
        }
    }
    // Peer closed, a read error, or a graceful stop: the write loop sends what is queued
    // and then closes.
    self->stopping_ = true;
    self->write_ready_.cancel();
}

asio::awaitable<void> connection::write_loop(std::shared_ptr<connection> self) {
    std::vector<std::vector<std::uint8_t>> batch;
    std::vector<asio::const_buffer> buffers;
    while (self->open_) {
        if (self->write_queue_.empty()) {
            if (self->stopping_) break;
            self->write_ready_.expires_at(asio::steady_timer::time_point::max());
            std::error_code ec;
            co_await self->write_ready_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        batch.clear();
        buffers.clear();
        while (!self->write_queue_.empty()) {
            batch.push_back(std::move(self->write_queue_.front()));
            self->write_queue_.pop_front();
        }
        for (const auto& b : batch) buffers.emplace_back(asio::buffer(b));
        std::error_code ec;
        co_await asio::async_write(self->socket_, buffers, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
    }
    self->close({});
}

void connection::dispatch(std::shared_ptr<std::vector<std::uint8_t>> frame) {
    request_origin origin;
    origin.peer = peer_;
    origin.connection_id = id_;
    origin.client_id = client_id_;
    auto sink = std::make_shared<request_slot>(weak_from_this());
    const auto result = dispatch_request(state_, node_, std::move(frame), std::move(sink), origin);
    if (result.client_id) client_id_ = *result.client_id;
    if (result.api_key >= 0 && state_.config().log_level == 0) {
        const auto* info = protocol::find_api(result.api_key);
        log(0, "request " + (info ? std::string(info->name) : std::to_string(result.api_key)) + " v" +
                   std::to_string(result.api_version));
    }
    if (!result.refused.empty()) {
        close(result.refused);
        return;
    }
    reply_delay_ = result.delay;
}

} // namespace kafkit::broker
