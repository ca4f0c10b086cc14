#pragma once
// One request as the network core carries it: which API, which versions the caller can
// use, how to write its body at the chosen version, and who gets the answer.

#include "net/api_versions.hpp"
#include "net/frame_buffer.hpp"

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/message.hpp"
#include "kafkit/protocol/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

namespace kafkit::detail {

/// A response body as its handler gets it: a view into the connection's read buffer, valid
/// during the call. A handler that needs the bytes afterwards may keep() the buffer instead
/// of copying them; the connection then reads on into another one. A handler that takes a
/// plain bytes_view gets the view alone.
class response_body : public protocol::bytes_view {
public:
    response_body() = default;
    response_body(protocol::bytes_view bytes, std::shared_ptr<frame_buffer> buffer) noexcept
        : protocol::bytes_view(bytes), buffer_(std::move(buffer)) {}

    /// The buffer the body lies in (null when the body is not in one, as in some tests).
    [[nodiscard]] std::shared_ptr<const frame_buffer> keep() const noexcept { return buffer_; }

private:
    std::shared_ptr<frame_buffer> buffer_;
};

/// Gets a request's outcome on the I/O thread: an error (the connection failed or timed
/// out, no common version), or the response body at `version`.
using response_handler = std::function<void(std::error_code error, std::int16_t version, const response_body& body)>;

/// Where requests are encoded before a write: the bytes, and the large runs (record
/// batches) left out of them to be written in place (protocol::encode_gathered).
struct request_buffer {
    std::vector<std::uint8_t> bytes;
    std::vector<protocol::gathered_bytes> gathered;

    void clear() noexcept {
        bytes.clear();
        gathered.clear();
    }
    [[nodiscard]] bool empty() const noexcept { return bytes.empty() && gathered.empty(); }
};

struct outbound_request {
    std::int16_t api_key = 0;
    version_range versions;
    /// Appends the request body at `version` (the header is the connection's business).
    /// Gathered runs must stay valid until on_response runs.
    std::function<protocol::result<void>(std::int16_t version, request_buffer& out)> encode_body;
    response_handler on_response;
    /// False for a Produce with acks=0: the handler runs once the bytes are written.
    bool expects_response = true;
    /// How long the answer may take; request.timeout.ms when unset. (A JoinGroup waits on
    /// the broker for the whole group, up to the rebalance timeout.)
    std::optional<std::chrono::milliseconds> timeout;
};

/// A request of message type `Request`, answered with a decoded `Response`. The handler
/// gets the error (a failed connection, a body that does not decode) or the response.
template <class Request, class Response, class Handler>
outbound_request make_request(Request request, Handler on_done, version_range versions) {
    outbound_request out;
    out.api_key = Request::api_key;
    out.versions = versions;
    out.encode_body = [request = std::move(request)](std::int16_t version, request_buffer& buffer) {
        return protocol::encode(request, version, buffer.bytes);
    };
    out.on_response = [on_done = std::move(on_done)](std::error_code ec, std::int16_t version,
                                                      protocol::bytes_view body) mutable {
        if (ec) {
            on_done(ec, Response{}, version);
            return;
        }
        // Bytes after the last field are ignored, as Kafka's clients ignore them (some
        // brokers, librdkafka 2.0's mock among them, write more than the schema has).
        protocol::wire_reader reader(body);
        auto decoded = protocol::decode_from<Response>(reader, version);
        if (!reader.ok()) {
            on_done(reader.error(), Response{}, version);
            return;
        }
        on_done(std::error_code{}, std::move(decoded), version);
    };
    return out;
}

/// As above, with `fit` shaping the request for the version chosen before it is encoded
/// (fields a version lacks must keep their defaults, or encoding refuses them).
template <class Request, class Response, class Handler, class Fit>
outbound_request make_request(Request request, Handler on_done, version_range versions, Fit fit) {
    auto out = make_request<Request, Response>(Request{}, std::move(on_done), versions);
    out.encode_body = [request = std::move(request), fit = std::move(fit)](std::int16_t version,
                                                                           request_buffer& buffer) {
        Request shaped = request;
        fit(shaped, version);
        return protocol::encode(shaped, version, buffer.bytes);
    };
    return out;
}

/// As above with the client's whole supported range for the API.
template <class Request, class Response, class Handler>
outbound_request make_request(Request request, Handler on_done) {
    return make_request<Request, Response>(std::move(request), std::move(on_done), client_versions(Request::api_key));
}

} // namespace kafkit::detail
