#pragma once
// Private to kafkit_codec_support: the decoding steps that the round trip and the JSON
// renderer share, each saying where in the frame it stopped when it fails.

#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/message.hpp"
#include "kafkit/protocol/messages/request_header.hpp"
#include "kafkit/protocol/messages/response_header.hpp"

#include <optional>
#include <string>
#include <system_error>

namespace kafkit::codec::detail {

/// Why a part of a frame did not decode, with the frame offset where it stopped.
struct problem {
    std::error_code error;
    std::size_t offset = 0;
    std::string text;
};

/// Decodes M at `version` from all of `input`, which starts at `base` in the frame;
/// trailing bytes are a problem too. `part` names the input in the problem's text.
template <class M>
std::optional<problem> decode_exact(protocol::bytes_view input, std::size_t base, std::int16_t version,
                                    const char* part, M& out) {
    protocol::wire_reader reader(input);
    out = protocol::decode_from<M>(reader, version);
    const std::string where = std::string(part) + " (" + M::schema_name + " v" + std::to_string(version) + ")";
    if (!reader.ok()) {
        const std::size_t offset = base + reader.error_offset();
        return problem{reader.error(), offset,
                       where + ": " + reader.error().message() + " at offset " + std::to_string(offset)};
    }
    if (!reader.at_end()) {
        const std::size_t offset = base + reader.position();
        return problem{make_error_code(errc::malformed_frame), offset,
                       where + ": " + std::to_string(reader.remaining()) + " trailing bytes at offset " +
                           std::to_string(offset)};
    }
    return std::nullopt;
}

/// Decodes a header (request_header or response_header) at the front of `frame`;
/// `body_start` receives the offset of the body.
template <class Header>
std::optional<problem> decode_header(protocol::bytes_view frame, std::int16_t header_version, Header& out,
                                     std::size_t& body_start) {
    protocol::wire_reader reader(frame);
    out = protocol::decode_from<Header>(reader, header_version);
    if (!reader.ok()) {
        return problem{reader.error(), reader.error_offset(),
                       std::string(Header::schema_name) + " v" + std::to_string(header_version) + ": " +
                           reader.error().message() + " at offset " + std::to_string(reader.error_offset())};
    }
    body_start = reader.position();
    return std::nullopt;
}

/// Checks that a request header names the API and version the caller expects.
inline std::optional<problem> check_request_header(const protocol::request_header& header, std::int16_t api_key,
                                                   std::int16_t api_version) {
    if (header.request_api_key == api_key && header.request_api_version == api_version) return std::nullopt;
    return problem{make_error_code(errc::malformed_frame), 0,
                   "request header names api " + std::to_string(header.request_api_key) + " v" +
                       std::to_string(header.request_api_version) + ", expected api " + std::to_string(api_key) +
                       " v" + std::to_string(api_version)};
}

/// Decodes a response body; for ApiVersions (KIP-511) a body that does not decode at
/// `version` is read as v0 when all of it decodes as v0, as Kafka's clients do.
/// `body_version` receives the version the body was read at.
template <class Body>
std::optional<problem> decode_response_body(protocol::bytes_view body_bytes, std::size_t base, std::int16_t version,
                                            Body& body, std::int16_t& body_version) {
    constexpr std::int16_t api_versions_key = 18;
    body_version = version;
    auto p = decode_exact(body_bytes, base, version, "body", body);
    if (!p || Body::api_key != api_versions_key || version == 0) return p;
    if (decode_exact(body_bytes, base, std::int16_t{0}, "body", body)) return p;
    body_version = 0;
    return std::nullopt;
}

} // namespace kafkit::codec::detail
