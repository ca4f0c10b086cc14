#pragma once
// The record data inside a `records` field, decoded for inspection: every batch (magic 2)
// or legacy message (magic 0/1), decompressed, with owned copies of keys and values.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::codec {

/// One record header: a key and a nullable value.
struct decoded_header {
    std::string key;
    std::optional<std::vector<std::uint8_t>> value;
};

/// One record (magic 2) or one uncompressed legacy message (magic 0/1).
struct decoded_record {
    std::int64_t offset = 0;              ///< absolute offset (base offset + delta for magic 2)
    std::int64_t timestamp = -1;          ///< -1 when the format has none (magic 0)
    std::optional<std::vector<std::uint8_t>> key;
    std::optional<std::vector<std::uint8_t>> value;
    std::vector<decoded_header> headers;
};

/// One record batch (magic 2) or one top-level legacy message and what it wraps (magic 0/1).
struct decoded_batch {
    std::int8_t magic = 2;
    std::int64_t base_offset = 0;
    std::string codec = "none";           ///< "none", "gzip", "snappy", "lz4" or "zstd"
    std::vector<std::string> inner_codecs; ///< codecs of the messages a legacy wrapper holds
    bool crc_ok = true;
    bool transactional = false;
    bool control = false;
    std::int64_t producer_id = -1;
    std::int16_t producer_epoch = -1;
    std::int32_t base_sequence = -1;
    std::vector<decoded_record> records;
};

/// All batches of one `records` field.
struct decoded_record_data {
    std::vector<decoded_batch> batches;
    std::size_t partial_tail_bytes = 0;   ///< bytes of a trailing partial batch (Fetch may send one)
};

/// Decodes every batch in `data`, decompressing and verifying CRCs (a bad CRC is reported
/// in `crc_ok`, not as an error). Fails with the record batch reader's error code
/// (errc::truncated, malformed_frame, unsupported_compression, compression_failed...).
protocol::result<decoded_record_data> decode_record_data(protocol::bytes_view data);

/// What the record data of a frame held, added up over its `records` fields.
struct records_summary {
    std::size_t fields = 0;               ///< records fields that were present (not null)
    std::size_t batches = 0;
    std::size_t records = 0;
    std::size_t crc_bad = 0;
    std::vector<int> magic;               ///< distinct magic values, sorted
    std::vector<std::string> codecs;      ///< distinct codec names (legacy: inner ones too), sorted
};

/// Adds one decoded `records` field to `summary`.
void add_to_summary(records_summary& summary, const decoded_record_data& data);

} // namespace kafkit::codec
