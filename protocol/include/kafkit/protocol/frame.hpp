#pragma once
// Whole Kafka frames: the 4-byte size, the request or response header, the body.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/message.hpp"
#include "kafkit/protocol/result.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace kafkit::protocol {

/// Version of the request header for an API version: 2 when the API version is flexible,
/// else 1 (0 only for ControlledShutdown v0). -1 for an unknown API key.
std::int16_t request_header_version(std::int16_t api_key, std::int16_t api_version) noexcept;

/// Version of the response header: 1 when the API version is flexible, else 0.
/// ApiVersions responses always use 0 so a client can read them before it knows versions.
std::int16_t response_header_version(std::int16_t api_key, std::int16_t api_version) noexcept;

/// The parts of a request frame (after its size prefix). `client_id` and `body` view the frame.
struct request_frame {
    std::int16_t api_key = 0;
    std::int16_t api_version = 0;
    std::int32_t correlation_id = 0;
    std::optional<std::string_view> client_id;
    std::int16_t header_version = 0;
    unknown_tagged_fields header_tags;
    bytes_view body;
};

/// Splits a request frame (without its size prefix) into header and body. Fails with
/// errc::unsupported_api for an unknown key, errc::truncated or malformed_frame otherwise.
/// The API version is not checked here, so a server can answer UNSUPPORTED_VERSION.
result<request_frame> read_request_frame(bytes_view frame);

/// The parts of a response frame (after its size prefix); `body` views the frame.
struct response_frame {
    std::int32_t correlation_id = 0;
    unknown_tagged_fields header_tags;
    bytes_view body;
};

/// Splits a response frame to a request of this key and version into header and body.
result<response_frame> read_response_frame(bytes_view frame, std::int16_t api_key, std::int16_t api_version);

/// Appends a request header (the version the API version calls for) to `out`.
void write_request_header(std::vector<std::uint8_t>& out, std::int16_t api_key, std::int16_t api_version,
                          std::int32_t correlation_id, std::optional<std::string_view> client_id);

/// Appends a response header for a request of this key and version to `out`.
void write_response_header(std::vector<std::uint8_t>& out, std::int16_t api_key, std::int16_t api_version,
                           std::int32_t correlation_id);

namespace detail {
void patch_frame_size(std::vector<std::uint8_t>& out, std::size_t frame_start);
}

/// Appends a whole request frame: size prefix, header, body of `request` at `version`.
/// On error (unsupported version, a field the version cannot carry) `out` is unchanged.
template <class Request>
result<void> encode_request_frame(const Request& request, std::int16_t version, std::int32_t correlation_id,
                                  std::optional<std::string_view> client_id, std::vector<std::uint8_t>& out) {
    const std::size_t start = out.size();
    out.resize(start + 4);
    write_request_header(out, Request::api_key, version, correlation_id, client_id);
    if (auto r = encode(request, version, out); !r) {
        out.resize(start);
        return r;
    }
    detail::patch_frame_size(out, start);
    return {};
}

/// Appends a whole response frame: size prefix, header, body of `response` at `version`.
template <class Response>
result<void> encode_response_frame(const Response& response, std::int16_t version, std::int32_t correlation_id,
                                   std::vector<std::uint8_t>& out) {
    const std::size_t start = out.size();
    out.resize(start + 4);
    write_response_header(out, Response::api_key, version, correlation_id);
    if (auto r = encode(response, version, out); !r) {
        out.resize(start);
        return r;
    }
    detail::patch_frame_size(out, start);
    return {};
}

/// A decoded response and the correlation id it answers.
template <class Response>
struct decoded_response {
    std::int32_t correlation_id = 0;
    Response body;
};

/// Decodes a response frame (without size prefix) to a request sent at `version`.
/// ApiVersions is special, as in Kafka's clients: a broker that does not support the
/// requested version answers with a v0 body (error UNSUPPORTED_VERSION), so when the
/// body does not decode at `version` a complete v0 decode is accepted instead.
template <class Response>
result<decoded_response<Response>> decode_response_frame(bytes_view frame, std::int16_t version) {
    auto parts = read_response_frame(frame, Response::api_key, version);
    if (!parts) return unexpected(parts.error());
    auto body = decode<Response>(parts->body, version);
    if (!body && Response::api_key == 18 && version != 0) body = decode<Response>(parts->body, 0);
    if (!body) return unexpected(body.error());
    return decoded_response<Response>{parts->correlation_id, std::move(*body)};
}

} // namespace kafkit::protocol
