#pragma once
// Frame round trip: decode a whole frame (header and body) with the generated codec,
// encode it again, and compare the bytes; decode the record batches it carries.

#include "kafkit/codec/corpus.hpp"
#include "kafkit/codec/record_data.hpp"
#include "kafkit/protocol/bytes_view.hpp"

#include <cstdint>
#include <string>
#include <system_error>

namespace kafkit::codec {

/// How a frame fared, from worst-understood to best.
enum class frame_status {
    passed,             ///< decoded completely, re-encoded byte for byte, records as expected
    decode_failed,      ///< header or body refused (truncated, bad length, trailing bytes...)
    bytes_differ,       ///< decoded, but re-encoding gave other bytes
    records_failed,     ///< a records field holds data the record batch reader refused
    records_mismatch,   ///< records decoded, but not what the corpus line expects
};

/// The outcome of checking one frame. `reason` is empty exactly when it passed.
struct roundtrip_outcome {
    frame_status status = frame_status::passed;
    std::error_code error;          ///< the decoder's error, for decode_failed and records_failed
    std::size_t offset = 0;         ///< frame offset of the failure (error or first differing byte)
    std::string reason;             ///< one line saying what failed and where
    bool v0_fallback = false;       ///< an ApiVersions response read as a v0 body
    records_summary records;        ///< record data found (valid when status is passed or records_*)

    [[nodiscard]] bool passed() const noexcept { return status == frame_status::passed; }
};

/// Decodes `frame` (no size prefix; it starts with the request header or the response's
/// correlation id) as `dir` of `api_key` at `api_version`, re-encodes header and body and
/// compares, then decodes every records field. The header's own key and version must match.
/// ApiVersions responses fall back to a v0 body only when that decodes completely.
roundtrip_outcome roundtrip_frame(direction dir, std::int16_t api_key, std::int16_t api_version,
                                  protocol::bytes_view frame);

/// roundtrip_frame on a corpus frame, then checks its record data against the line's
/// `records` object: the record count must match, as must magic values, codecs and bad CRCs
/// where the line lists them.
roundtrip_outcome check_corpus_frame(const corpus_frame& frame);

} // namespace kafkit::codec
