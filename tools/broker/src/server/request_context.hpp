#pragma once
// What a request handler sees: the request's header, where it came from, the broker state,
// and a typed reply that encodes the response frame and hands it to the connection.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/message.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kafkit::broker {

class broker_state;
struct broker_node;

/// The connection's side of a request: it receives the encoded response frame (or learns
/// there is none), in request order. Implemented by the connection on the I/O thread.
class response_sink {
public:
    virtual ~response_sink() = default;
    /// Queues a whole response frame (size prefix included).
    virtual void send_response(std::vector<std::uint8_t> frame) = 0;
    /// The request gets no response (Produce with acks=0); the next request may proceed.
    virtual void no_response() = 0;
    /// Closes the connection (a request that cannot be answered, as Kafka does).
    virtual void close(const std::string& reason) = 0;
    /// False once the connection is gone: deferred work may give up early.
    [[nodiscard]] virtual bool is_open() const = 0;
};

/// One request being handled. Valid for the duration of the handler call; a handler that
/// answers later copies what it needs (the reply keeps the request frame alive).
struct request_context {
    request_context(broker_state& s, const broker_node& n) : state(s), node(n) {}

    broker_state& state;
    const broker_node& node; ///< the broker node this connection is to
    std::int16_t api_key = 0;
    std::int16_t api_version = 0;
    std::int32_t correlation_id = 0;
    std::string client_id;
    std::string client_host; ///< peer address, for DescribeGroups
    std::uint64_t connection_id = 0;
    /// An error the fault injector asks this request to fail with (0: none). Handlers answer
    /// with it in every entity (topic, partition, group) as Kafka would for a real error.
    std::int16_t injected_error = 0;
    std::shared_ptr<const std::vector<std::uint8_t>> frame; ///< the request's bytes
    std::shared_ptr<response_sink> sink;
};

/// The one answer a handler owes its request. Move-only; wrap in a shared_ptr to answer
/// from a timer or another request. Dropped unanswered, it closes the connection rather
/// than leave the client waiting forever.
template <class Response>
class reply {
public:
    explicit reply(const request_context& ctx)
        : sink_(ctx.sink), frame_(ctx.frame), version_(ctx.api_version), correlation_id_(ctx.correlation_id) {}
    reply(reply&& other) noexcept = default;
    reply& operator=(reply&&) = delete;
    reply(const reply&) = delete;
    reply& operator=(const reply&) = delete;
    ~reply() {
        if (sink_) sink_->close("a request was left unanswered");
    }

    /// The API version the response is encoded at.
    [[nodiscard]] std::int16_t version() const noexcept { return version_; }
    /// False once the client's connection is gone.
    [[nodiscard]] bool connection_open() const { return sink_ && sink_->is_open(); }

    /// Encodes and sends the response. A response the version cannot carry (a handler bug)
    /// closes the connection instead.
    void send(const Response& response) {
        if (!sink_) return;
        std::vector<std::uint8_t> out;
        if (auto r = protocol::encode_response_frame(response, version_, correlation_id_, out); !r) {
            take()->close(std::string("cannot encode ") + Response::schema_name + " v" +
                          std::to_string(version_) + ": " + r.error().message());
            return;
        }
        take()->send_response(std::move(out));
    }
    /// No response is sent (Produce with acks=0).
    void none() {
        if (sink_) take()->no_response();
    }

private:
    std::shared_ptr<response_sink> take() {
        frame_.reset();
        return std::move(sink_);
    }

    std::shared_ptr<response_sink> sink_;
    std::shared_ptr<const std::vector<std::uint8_t>> frame_;
    std::int16_t version_;
    std::int32_t correlation_id_;
};

/// Decodes the request body of `ctx` as Request at its version. On failure closes the
/// connection (Kafka closes on a request it cannot parse) and returns nullopt.
template <class Request>
std::optional<Request> decode_request(const request_context& ctx, protocol::bytes_view body) {
    auto request = protocol::decode<Request>(body, ctx.api_version);
    if (!request) {
        ctx.sink->close(std::string("cannot parse ") + Request::schema_name + " v" +
                        std::to_string(ctx.api_version) + ": " + request.error().message());
        return std::nullopt;
    }
    return std::move(*request);
}

/// A handler's entry point: the request header is in `ctx`, its body in `body`.
using request_handler = void (*)(request_context& ctx, protocol::bytes_view body);

} // namespace kafkit::broker
