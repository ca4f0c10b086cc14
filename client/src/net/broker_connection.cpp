#include "net/broker_connection.hpp"

#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <cstring>
#include <exception>
#include <utility>

namespace kafkit::detail {
namespace {

using clock_type = std::chrono::steady_clock;
using asio::use_awaitable;
constexpr auto housekeeping_tick = std::chrono::milliseconds(100);
constexpr std::size_t initial_read_buffer = 64 * 1024;
/// Read buffers kept for reuse per connection, once handlers have let go of them.
constexpr std::size_t pooled_read_bytes = 8 * 1024 * 1024;
/// How many ids of requests sent without expecting an answer are remembered (see
/// dispatch_response); an answer older than that is a broken stream after all.
constexpr std::size_t max_unanswered_ids = 1024;

void write_be32(std::uint8_t* p, std::int32_t value) noexcept {
    const auto v = static_cast<std::uint32_t>(value);
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

/// The pieces of `buffer` in wire order: its bytes with each gathered run at its position.
void wire_pieces(const request_buffer& buffer, std::vector<asio::const_buffer>& pieces) {
    pieces.clear();
    std::size_t at = 0;
    for (const auto& run : buffer.gathered) {
        if (run.position > at) pieces.emplace_back(buffer.bytes.data() + at, run.position - at);
        pieces.emplace_back(run.bytes.data(), run.bytes.size());
        at = run.position;
    }
    if (buffer.bytes.size() > at) pieces.emplace_back(buffer.bytes.data() + at, buffer.bytes.size() - at);
}

std::int32_t read_be32(const std::uint8_t* p) noexcept {
    return static_cast<std::int32_t>((std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                                     (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]});
}

/// Ends a spawned coroutine: an exception is a bug, logged rather than lost.
struct log_exception {
    logger log;
    void operator()(const std::exception_ptr& e) const {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log.error("broker", std::string("connection task failed: ") + ex.what());
        }
    }
};

} // namespace

broker_connection::broker_connection(asio::io_context& io, const client_settings& settings, logger log,
                                     std::int32_t node_id, broker_address address, state_listener listener)
    : io_(io), settings_(settings), log_(std::move(log)), node_id_(node_id), address_(std::move(address)),
      listener_(std::move(listener)),
      max_in_flight_(static_cast<std::size_t>(std::max(1, settings.max_in_flight_requests_per_connection))),
      socket_(io), write_signal_(io), backoff_timer_(io),
      backoff_(settings.reconnect_backoff, settings.reconnect_backoff_max),
      read_pool_(std::make_shared<frame_buffer_pool>(pooled_read_bytes, &frame_buffer_weight)),
      read_buffer_(take_frame_buffer(*read_pool_, initial_read_buffer)) {}

broker_connection::~broker_connection() = default;

void broker_connection::send(outbound_request request) {
    if (state_ == state::shut_down) {
        request.on_response(errc::closed, 0, {});
        return;
    }
    queue_.push_back(std::move(request));
    if (state_ == state::ready) wake_writer();
    else connect();
}

void broker_connection::connect() {
    switch (state_) {
    case state::idle: start_session(); return;
    case state::backoff: {
        if (clock_type::now() >= backoff_timer_.expiry()) {
            start_session();
            return;
        }
        // Connect when the backoff ends; arming the timer again is harmless.
        backoff_timer_.async_wait([weak = weak_from_this()](std::error_code ec) {
            auto self = weak.lock();
            if (!ec && self && self->state_ == state::backoff) self->start_session();
        });
        return;
    }
    default: return;
    }
}

void broker_connection::start_session() {
    ++session_;
    state_ = state::connecting;
    ++counters_.connects;
    read_begin_ = read_end_ = 0;
    // A handler of the last session may still view the buffer (a Fetch response kept).
    if (read_buffer_.use_count() > 1) read_buffer_ = take_frame_buffer(*read_pool_, initial_read_buffer);
    unanswered_ids_.clear();
    std::error_code ignored;
    socket_.close(ignored);
    socket_ = asio::ip::tcp::socket(io_);
    last_activity_ = clock_type::now();
    log_.debug("broker", "connecting to " + address_string() + " (node " + std::to_string(node_id_) + ")");
    asio::co_spawn(io_, run_session(shared_from_this(), session_), log_exception{log_});
    asio::co_spawn(io_, housekeeping(shared_from_this(), session_), log_exception{log_});
}

asio::awaitable<std::error_code> broker_connection::connect_socket(std::uint64_t session) {
    asio::ip::tcp::resolver resolver(io_);
    std::error_code ec;
    auto endpoints = co_await resolver.async_resolve(address_.host, std::to_string(address_.port),
                                                     asio::redirect_error(use_awaitable, ec));
    if (session != session_) co_return make_error_code(errc::closed);
    if (ec) {
        log_.warning("broker", "cannot resolve " + address_.host + ": " + ec.message());
        co_return make_error_code(errc::connection_failed);
    }
    // use_all_dns_ips (the default): every address in turn, as asio::async_connect does.
    if (settings_.client_dns_lookup != dns_lookup::use_all_dns_ips && !endpoints.empty()) {
        auto first = *endpoints.begin();
        co_await socket_.async_connect(first.endpoint(), asio::redirect_error(use_awaitable, ec));
    } else {
        co_await asio::async_connect(socket_, endpoints, asio::redirect_error(use_awaitable, ec));
    }
    if (session != session_) co_return make_error_code(errc::closed);
    if (ec) {
        log_.warning("broker", "connect to " + address_string() + " failed: " + ec.message());
        co_return make_error_code(errc::connection_failed);
    }
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
    if (settings_.send_buffer_bytes > 0)
        socket_.set_option(asio::socket_base::send_buffer_size(settings_.send_buffer_bytes), ec);
    if (settings_.receive_buffer_bytes > 0)
        socket_.set_option(asio::socket_base::receive_buffer_size(settings_.receive_buffer_bytes), ec);
    co_return std::error_code{};
}

asio::awaitable<void> broker_connection::run_session(std::shared_ptr<broker_connection> self, std::uint64_t session) {
    auto ec = co_await self->connect_socket(session);
    if (session != self->session_) co_return;
    if (ec) {
        self->on_session_failed(session, ec);
        co_return;
    }
    // TLS (the handshake over socket_) and SASL (after ApiVersions) come in here, in that
    // order, when the security issue lands; until then the connection is plaintext.
    asio::co_spawn(self->io_, read_loop(self, session), log_exception{self->log_});
    asio::co_spawn(self->io_, write_loop(self, session), log_exception{self->log_});
    ec = co_await self->handshake(session);
    if (session != self->session_) co_return;
    if (ec) {
        self->on_session_failed(session, ec);
        co_return;
    }
    self->become_ready();
}

void broker_connection::become_ready() {
    state_ = state::ready;
    failures_ = 0;
    last_activity_ = clock_type::now();
    log_.debug("broker", "connected to " + address_string() + " (node " + std::to_string(node_id_) + ")");
    wake_writer();
    if (listener_) listener_(*this, true, {});
}

void broker_connection::on_session_failed(std::uint64_t session, std::error_code reason) {
    if (session != session_ || state_ == state::shut_down) return;
    if (state_ == state::draining) { // the broker's end of stream, or a write cut short
        finish_drain();
        return;
    }
    const bool was_ready = state_ == state::ready;
    ++session_;
    std::error_code ignored;
    socket_.close(ignored);
    write_signal_.cancel();
    ++counters_.disconnects;
    ++counters_.request_errors;
    state_ = state::backoff;
    backoff_timer_.expires_after(backoff_.delay(failures_++));
    log_.warning("broker", address_string() + " (node " + std::to_string(node_id_) + "): " +
                               (was_ready ? "disconnected: " : "connection failed: ") + reason.message());
    fail_all(reason);
    if (listener_) listener_(*this, false, reason);
    if (!queue_.empty()) connect();
}

void broker_connection::close(std::error_code reason) {
    if (state_ == state::shut_down || state_ == state::idle || state_ == state::draining) return;
    if (reason) {
        on_session_failed(session_, reason);
        return;
    }
    ++session_;
    std::error_code ignored;
    socket_.close(ignored);
    write_signal_.cancel();
    state_ = state::idle;
    fail_all(make_error_code(errc::disconnected));
    if (listener_) listener_(*this, false, {});
}

void broker_connection::shut_down() {
    if (state_ == state::shut_down) return;
    state_ = state::shut_down;
    ++session_;
    std::error_code ignored;
    socket_.close(ignored);
    write_signal_.cancel();
    backoff_timer_.cancel();
    fail_all(make_error_code(errc::closed));
}

void broker_connection::shut_down_after_drain(clock_type::time_point deadline, std::function<void()> done) {
    if (state_ != state::ready || unanswered_ids_.empty() || clock_type::now() >= deadline) {
        shut_down();
        if (done) done();
        return;
    }
    state_ = state::draining;
    drained_ = std::move(done);
    std::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored); // before any handler runs
    write_signal_.cancel();
    fail_all(make_error_code(errc::closed));
    // The read loop goes on, dropping what arrives, until the broker closes (read error);
    // this timer bounds the wait.
    backoff_timer_.expires_at(deadline);
    backoff_timer_.async_wait([weak = weak_from_this(), session = session_](std::error_code ec) {
        auto self = weak.lock();
        if (!ec && self && self->session_ == session && self->state_ == state::draining) self->finish_drain();
    });
}

void broker_connection::finish_drain() {
    shut_down();
    if (auto done = std::exchange(drained_, nullptr)) done();
}

void broker_connection::fail_all(std::error_code reason) {
    // Handlers may send again (to this connection or another): take everything out first.
    auto in_flight = std::move(in_flight_);
    in_flight_.clear();
    auto queued = std::move(queue_);
    queue_.clear();
    auto handshake = std::move(handshake_);
    handshake_.reset();
    for (auto& r : in_flight) r.on_response(reason, r.version, {});
    // Requests never written failed to connect, whatever closed the connection.
    const std::error_code unsent = reason == errc::closed ? reason : make_error_code(errc::connection_failed);
    for (auto& r : queued) r.on_response(unsent, 0, {});
    if (handshake) handshake->on_response(unsent, 0, {});
}

void broker_connection::wake_writer() { write_signal_.cancel(); }

bool broker_connection::encode_into(outbound_request& request, std::int16_t version, request_buffer& out) {
    const std::size_t start = out.bytes.size();
    const std::size_t first_gathered = out.gathered.size();
    const std::int32_t correlation_id = next_correlation_id_++;
    if (next_correlation_id_ == INT32_MAX) next_correlation_id_ = 1;
    out.bytes.resize(start + 4);
    protocol::write_request_header(out.bytes, request.api_key, version, correlation_id, settings_.client_id);
    if (auto r = request.encode_body(version, out); !r) {
        out.bytes.resize(start);
        out.gathered.resize(first_gathered);
        request.on_response(r.error(), version, {});
        return false;
    }
    std::size_t frame_size = out.bytes.size() - start - 4;
    for (std::size_t i = first_gathered; i < out.gathered.size(); ++i) frame_size += out.gathered[i].bytes.size();
    write_be32(out.bytes.data() + start, static_cast<std::int32_t>(frame_size));
    ++counters_.requests_sent;
    counters_.bytes_sent += static_cast<std::int64_t>(frame_size + 4);
    if (request.expects_response) {
        in_flight_.push_back({correlation_id, request.api_key, version, std::move(request.on_response),
                              clock_type::now() + request.timeout.value_or(settings_.request_timeout)});
    } else {
        unanswered_ids_.push_back(correlation_id);
        if (unanswered_ids_.size() > max_unanswered_ids) unanswered_ids_.pop_front();
    }
    return true;
}

asio::awaitable<void> broker_connection::write_loop(std::shared_ptr<broker_connection> self, std::uint64_t session) {
    request_buffer buffer;
    std::vector<asio::const_buffer> pieces;
    std::vector<response_handler> answered_on_write; // acks=0 requests
    while (session == self->session_) {
        buffer.clear();
        answered_on_write.clear();
        if (self->handshake_) {
            auto request = std::move(*self->handshake_);
            self->handshake_.reset();
            self->encode_into(request, self->handshake_version_, buffer);
        } else if (self->state_ == state::ready) {
            while (!self->queue_.empty() && self->in_flight_.size() < self->max_in_flight_) {
                auto request = std::move(self->queue_.front());
                self->queue_.pop_front();
                const auto version = self->versions_.pick(request.api_key, request.versions);
                if (!version) {
                    request.on_response(make_error_code(errc::unsupported_version), 0, {});
                    continue;
                }
                const bool answered = !request.expects_response;
                auto handler = answered ? request.on_response : response_handler{};
                if (self->encode_into(request, *version, buffer) && answered)
                    answered_on_write.push_back(std::move(handler));
            }
        }
        if (buffer.empty()) {
            self->write_signal_.expires_at(clock_type::time_point::max());
            std::error_code ec;
            co_await self->write_signal_.async_wait(asio::redirect_error(use_awaitable, ec));
            continue;
        }
        std::error_code ec;
        // The gathered runs live in requests whose handlers are in in_flight_ or
        // answered_on_write; whatever fails those handlers closes the socket first, so the
        // write never reads a run after its batch was handed back.
        wire_pieces(buffer, pieces);
        co_await asio::async_write(self->socket_, pieces, asio::redirect_error(use_awaitable, ec));
        if (ec) self->on_session_failed(session, make_error_code(errc::disconnected));
        // acks=0 requests are answered by their write, even when the session ended meanwhile
        // (fail_all does not know them); after a failed write they may not have arrived.
        const auto outcome = ec ? make_error_code(errc::disconnected) : std::error_code{};
        for (auto& h : answered_on_write) h(outcome, 0, {});
        if (ec || session != self->session_) co_return;
        self->last_activity_ = clock_type::now();
    }
}

asio::awaitable<std::error_code> broker_connection::fill(std::size_t needed) {
    while (read_end_ - read_begin_ < needed) {
        auto& buffer = *read_buffer_;
        if (read_begin_ > 0) {
            std::memmove(buffer.data(), buffer.data() + read_begin_, read_end_ - read_begin_);
            read_end_ -= read_begin_;
            read_begin_ = 0;
        }
        buffer.reserve(needed, read_end_);
        std::error_code ec;
        const auto n = co_await socket_.async_read_some(
            asio::buffer(buffer.data() + read_end_, buffer.capacity() - read_end_),
            asio::redirect_error(use_awaitable, ec));
        if (ec) co_return make_error_code(errc::disconnected);
        read_end_ += n;
    }
    co_return std::error_code{};
}

asio::awaitable<std::error_code> broker_connection::read_frame(std::size_t& size) {
    if (auto ec = co_await fill(4)) co_return ec;
    const std::int32_t declared = read_be32(read_buffer_->data() + read_begin_);
    if (declared < 4 || declared > settings_.receive_message_max_bytes) {
        log_.error("broker", address_string() + ": response size " + std::to_string(declared) +
                                 " is outside 4..receive.message.max.bytes (" +
                                 std::to_string(settings_.receive_message_max_bytes) + ")");
        co_return make_error_code(errc::malformed_frame);
    }
    size = static_cast<std::size_t>(declared);
    co_return co_await fill(4 + size);
}

asio::awaitable<void> broker_connection::read_loop(std::shared_ptr<broker_connection> self, std::uint64_t session) {
    while (session == self->session_) {
        std::size_t size = 0;
        const auto ec = co_await self->read_frame(size);
        if (session != self->session_) co_return;
        if (ec) {
            self->on_session_failed(session, ec);
            co_return;
        }
        const std::uint8_t* frame = self->read_buffer_->data() + self->read_begin_ + 4;
        self->dispatch_response(frame, size);
        // A handler may have closed this session (and a new one owns the buffer).
        if (session != self->session_) co_return;
        self->read_begin_ += 4 + size;
        if (self->read_buffer_.use_count() > 1) self->replace_kept_read_buffer();
        else if (self->read_begin_ == self->read_end_) self->read_begin_ = self->read_end_ = 0;
    }
}

void broker_connection::replace_kept_read_buffer() {
    const auto unread = read_end_ - read_begin_;
    auto fresh = take_frame_buffer(*read_pool_, std::max(unread, initial_read_buffer));
    std::memcpy(fresh->data(), read_buffer_->data() + read_begin_, unread);
    read_buffer_ = std::move(fresh);
    read_begin_ = 0;
    read_end_ = unread;
}

void broker_connection::dispatch_response(const std::uint8_t* frame, std::size_t size) {
    if (state_ == state::draining) return; // every handler has had its answer (closed)
    // Kafka never answers a Produce with acks=0, but some brokers do (librdkafka's mock):
    // such an answer is dropped rather than taken for a broken stream.
    if (!unanswered_ids_.empty()) {
        const std::int32_t id = read_be32(frame);
        auto it = std::find(unanswered_ids_.begin(), unanswered_ids_.end(), id);
        if (it != unanswered_ids_.end()) {
            unanswered_ids_.erase(unanswered_ids_.begin(), std::next(it));
            return;
        }
    }
    if (in_flight_.empty()) {
        on_session_failed(session_, make_error_code(errc::malformed_frame));
        return;
    }
    auto& front = in_flight_.front();
    auto parts = protocol::read_response_frame(protocol::bytes_view(frame, size), front.api_key, front.version);
    if (!parts || parts->correlation_id != front.correlation_id) {
        log_.error("broker", address_string() + ": response does not match request (correlation id " +
                                 std::to_string(front.correlation_id) + ")");
        on_session_failed(session_, make_error_code(errc::malformed_frame));
        return;
    }
    auto request = std::move(front);
    in_flight_.pop_front();
    ++counters_.responses_received;
    counters_.bytes_received += static_cast<std::int64_t>(size + 4);
    last_activity_ = clock_type::now();
    wake_writer();
    request.on_response({}, request.version, response_body(parts->body, read_buffer_));
}

asio::awaitable<void> broker_connection::housekeeping(std::shared_ptr<broker_connection> self, std::uint64_t session) {
    asio::steady_timer tick(self->io_);
    const auto setup_deadline = clock_type::now() + self->settings_.socket_connection_setup_timeout;
    while (session == self->session_) {
        tick.expires_after(housekeeping_tick);
        std::error_code ec;
        co_await tick.async_wait(asio::redirect_error(use_awaitable, ec));
        if (session != self->session_) co_return;
        const auto now = clock_type::now();
        if (self->state_ == state::connecting) {
            if (now > setup_deadline) {
                self->log_.warning("broker", self->address_string() + ": no connection within socket.connection.setup.timeout.ms");
                self->on_session_failed(session, make_error_code(errc::timed_out));
            }
            continue;
        }
        if (!self->in_flight_.empty() && self->in_flight_.front().deadline < now) {
            // As Kafka's clients do: a request past request.timeout.ms closes the connection,
            // since the responses behind it can no longer be trusted to arrive.
            self->log_.warning("broker", self->address_string() + ": request timed out after request.timeout.ms");
            self->on_session_failed(session, make_error_code(errc::timed_out));
            continue;
        }
        if (self->in_flight_.empty() && self->queue_.empty() &&
            now - self->last_activity_ > self->settings_.connections_max_idle) {
            self->log_.debug("broker", self->address_string() + ": closing idle connection");
            self->close({});
        }
    }
}

} // namespace kafkit::detail
