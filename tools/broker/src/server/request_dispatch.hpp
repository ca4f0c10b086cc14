#pragma once
// One request frame through the broker's request path, without a socket: header, the
// checks a connection makes before any handler runs (unknown key, unserved version), the
// fault injector, then the handler. The fuzz target drives the broker through it; the
// connection does the same steps around its socket.

#include "server/request_context.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::broker {

/// Where a request comes from: what the connection knows about its peer.
struct request_origin {
    std::string peer = "127.0.0.1";   ///< peer address (DescribeGroups' client host)
    std::uint64_t connection_id = 0;
    std::string client_id;            ///< the connection's client.id so far
};

/// What dispatching one frame decided.
struct dispatch_result {
    /// The request's API key and version (-1 when the header was unreadable), for logs.
    std::int16_t api_key = -1;
    std::int16_t api_version = -1;
    /// The header's client.id, when it had one (the connection remembers it).
    std::optional<std::string> client_id;
    /// The injected delay the connection waits before writing the response.
    std::chrono::milliseconds delay{0};
    /// Non-empty when the frame was refused before any handler ran: the connection must
    /// close, and this is why (Kafka closes on an unreadable header, an unknown API key and,
    /// except for ApiVersions, a version it does not serve). `sink` was not used.
    std::string refused;
};

/// Handles one request frame (size prefix removed) sent to `node`; the handler answers
/// through `sink`, now or later (timers). I/O thread only.
dispatch_result dispatch_request(broker_state& state, const broker_node& node,
                                 std::shared_ptr<const std::vector<std::uint8_t>> frame,
                                 std::shared_ptr<response_sink> sink, const request_origin& origin);

} // namespace kafkit::broker
