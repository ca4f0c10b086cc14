#pragma once
// Decoded Kafka frames rendered as JSON for people and scripts: keys are the schema's
// field names ("TopicData"), bytes are hex, UUIDs Kafka's base64 text, null is null, and
// records fields are shown as the batches and records they hold.

#include "kafkit/codec/corpus.hpp"
#include "kafkit/codec/record_data.hpp"
#include "kafkit/protocol/bytes_view.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <system_error>

namespace kafkit::codec {

/// What the input to render_frame holds.
enum class frame_part {
    whole_frame,   ///< request header or response header, then the body
    body_only,     ///< the body alone
};

/// A frame rendered as JSON, or why it could not be decoded.
struct render_outcome {
    std::optional<nlohmann::ordered_json> json;   ///< set on success
    std::error_code error;                ///< the decoder's error otherwise
    std::string reason;                   ///< what failed and at which offset, otherwise
};

/// Decodes `input` as `dir` of `api_key` at `api_version` and renders it as
/// {"api", "api_key", "api_version", "direction", "header" (whole frames), "body"}, plus
/// "body_version": 0 when an ApiVersions response was read as the v0 fallback.
/// The body must decode completely; a records field that does not decode is rendered
/// with its hex and the error instead of batches.
render_outcome render_frame(direction dir, std::int16_t api_key, std::int16_t api_version,
                            protocol::bytes_view input, frame_part part);

/// Renders the record data of a records field: {"size", "batches": [...]} or, when it does
/// not decode, {"size", "error", "hex"}.
nlohmann::ordered_json render_records(protocol::bytes_view data);

/// Renders decoded batches as a JSON array (offsets, timestamps, keys, values, headers).
nlohmann::ordered_json render_batches(const decoded_record_data& data);

} // namespace kafkit::codec
