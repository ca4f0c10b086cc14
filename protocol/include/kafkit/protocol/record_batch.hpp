#pragma once
// Kafka's record data: record batches (magic 2) read and written, legacy message sets
// (magic 0 and 1) read, control records. Decoding yields views, never copies of payloads.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/compression.hpp"
#include "kafkit/protocol/result.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace kafkit::protocol {

namespace detail {
struct record_batch_decoder;
}

/// What a batch's timestamps mean (attributes bit 3).
enum class timestamp_type : std::uint8_t { create_time = 0, log_append_time = 1 };

/// Kafka's "no timestamp" (RecordBatch.NO_TIMESTAMP): magic 0 messages have none.
inline constexpr std::int64_t no_timestamp = -1;

/// Default cap on the decompressed size of one batch.
inline constexpr std::size_t default_max_decompressed_size = std::size_t{256} * 1024 * 1024;

/// Bytes of a v2 batch before its first record (baseOffset through the records count).
inline constexpr std::size_t record_batch_header_size = 61;

/// Bits of a batch's attributes, beyond the codec in bits 0-2.
inline constexpr std::int16_t batch_attr_codec_mask = 0x07;
inline constexpr std::int16_t batch_attr_log_append_time = 0x08;
inline constexpr std::int16_t batch_attr_transactional = 0x10;
inline constexpr std::int16_t batch_attr_control = 0x20;
inline constexpr std::int16_t batch_attr_delete_horizon = 0x40; ///< KIP-534

/// One record header. Keys may repeat; decoding and encoding keep their order.
struct record_header {
    std::string_view key;
    std::optional<bytes_view> value; ///< nullopt is a null value (length -1)

    friend bool operator==(const record_header&, const record_header&) = default;
};

/// One record, from a v2 batch or a legacy message. Key, value and headers view the buffer
/// the batch was decoded from, or the decompressed buffer its record_batch owns.
struct record {
    std::int64_t offset = 0;
    /// Effective timestamp: the batch's max timestamp under log_append_time, no_timestamp
    /// for magic 0.
    std::int64_t timestamp = no_timestamp;
    std::optional<bytes_view> key;   ///< nullopt is a null key; an empty view an empty key
    std::optional<bytes_view> value; ///< nullopt is a null value (a tombstone)
    std::span<const record_header> headers;
    std::int8_t attributes = 0; ///< the record's own attributes byte (unused by Kafka so far)
    std::int8_t magic = 2;      ///< format the record came in: 0, 1 or 2
};

/// The fixed fields of a v2 batch. For a legacy message (magic 0/1) the wrapper's fields
/// mapped as the Java client maps them: no producer state, one CRC, timestamps = its own.
struct record_batch_header {
    std::int64_t base_offset = 0;
    std::int32_t batch_length = 0; ///< bytes after this field (legacy: the message size)
    std::int32_t partition_leader_epoch = -1;
    std::int8_t magic = 2;
    std::uint32_t crc = 0;
    std::int16_t attributes = 0;
    std::int32_t last_offset_delta = 0;
    std::int64_t base_timestamp = no_timestamp;
    std::int64_t max_timestamp = no_timestamp;
    std::int64_t producer_id = -1;
    std::int16_t producer_epoch = -1;
    std::int32_t base_sequence = -1;
    std::int32_t record_count = 0;

    /// Codec from attributes bits 0-2 (may be a value outside the enum on bad input).
    [[nodiscard]] compression_codec codec() const noexcept {
        return static_cast<compression_codec>(attributes & batch_attr_codec_mask);
    }
    /// Timestamp type from attributes bit 3.
    [[nodiscard]] timestamp_type timestamp_kind() const noexcept {
        return (attributes & batch_attr_log_append_time) ? timestamp_type::log_append_time
                                                         : timestamp_type::create_time;
    }
    /// True when attributes bit 4 (transactional) is set.
    [[nodiscard]] bool is_transactional() const noexcept { return (attributes & batch_attr_transactional) != 0; }
    /// True when attributes bit 5 (control batch: transaction markers) is set.
    [[nodiscard]] bool is_control() const noexcept { return (attributes & batch_attr_control) != 0; }
    /// Offset of the batch's last record (base_offset + last_offset_delta).
    [[nodiscard]] std::int64_t last_offset() const noexcept { return base_offset + last_offset_delta; }
    /// Bytes the whole batch takes on the wire, offset and length fields included.
    [[nodiscard]] std::size_t size_in_bytes() const noexcept {
        return 12 + static_cast<std::size_t>(batch_length < 0 ? 0 : batch_length);
    }

    friend bool operator==(const record_batch_header&, const record_batch_header&) = default;
};

/// Reads the header of the v2 batch at the start of `data` without checking its CRC or its
/// records (a broker validating a produce request, a consumer skipping a batch).
/// Errors: errc::truncated when `data` is shorter than the header, errc::malformed_frame
/// when the magic is not 2 or the batch length is impossible.
result<record_batch_header> read_record_batch_header(bytes_view data);

/// A decoded batch: its header and records. Records view the input buffer or, for a
/// compressed batch, a decompressed buffer this object owns. Moving keeps every view valid
/// (the storage is on the heap and moves with the object); copying is not allowed.
class record_batch {
public:
    /// An empty batch, to be filled by record_batch_reader::next.
    record_batch() = default;
    /// Moves header, records and owned buffers; the records' views stay valid.
    record_batch(record_batch&&) noexcept = default;
    /// Same as the move constructor; what this batch held is released.
    record_batch& operator=(record_batch&&) noexcept = default;
    /// Not copyable: copies of the records would view the original's buffer.
    record_batch(const record_batch&) = delete;
    /// Not copyable, as above.
    record_batch& operator=(const record_batch&) = delete;
    ~record_batch() = default;

    /// The batch's fixed fields.
    [[nodiscard]] const record_batch_header& header() const noexcept { return header_; }
    /// The records in order, with absolute offsets.
    [[nodiscard]] std::span<const record> records() const noexcept { return records_; }
    /// The batch's bytes as they were read (still compressed): a view into the input.
    [[nodiscard]] bytes_view raw() const noexcept { return raw_; }
    /// Bytes of decompression storage this batch holds. Decoding another batch into it
    /// reuses them (a pool of batches bounds what it keeps by this).
    [[nodiscard]] std::size_t storage_capacity() const noexcept { return decompressed_.capacity(); }

private:
    friend struct detail::record_batch_decoder;

    record_batch_header header_;
    bytes_view raw_;
    std::vector<record> records_;
    std::vector<record_header> headers_;
    std::vector<std::uint8_t> decompressed_;
};

/// Whether decoding verifies the checksums (CRC32C for v2, CRC32 for legacy messages).
enum class crc_check : std::uint8_t { verify, skip };

/// How record_batch_reader decodes.
struct record_batch_read_options {
    /// Whether checksums are verified (errc::crc_mismatch) or trusted.
    crc_check crc = crc_check::verify;
    /// Largest decompressed records section of one batch; more is errc::too_large.
    std::size_t max_decompressed_size = default_max_decompressed_size;
};

/// Walks a `records` blob (the records of one partition in a Produce request or a Fetch
/// response): batches back to back, each v2 or legacy (magic read at byte 16 of each).
/// A partial batch at the end is not an error (a Fetch response is cut at its byte
/// limit): the reader stops there and incomplete() says so. The blob must outlive the
/// batches read from it. Single-threaded; cheap to construct.
class record_batch_reader {
public:
    /// Reads from `records`, which must outlive every batch decoded from it.
    explicit record_batch_reader(bytes_view records, record_batch_read_options options = {}) noexcept
        : input_(records), options_(options) {}

    /// Decodes the next batch into `batch`, reusing its storage. Returns true when a batch
    /// was read, false at the end of the input or at a trailing partial batch. Errors (the
    /// reader then stays failed): errc::crc_mismatch, errc::malformed_frame (bad lengths,
    /// counts, unknown magic, records that do not fill the batch), errc::truncated (a
    /// record runs past its batch), errc::too_large, errc::unsupported_compression,
    /// errc::compression_failed.
    result<bool> next(record_batch& batch);

    /// True when reading stopped at a partial batch rather than at the end of the input.
    [[nodiscard]] bool incomplete() const noexcept { return incomplete_; }
    /// Bytes consumed by the batches read so far.
    [[nodiscard]] std::size_t position() const noexcept { return position_; }
    /// The bytes not read yet (the partial batch, when incomplete()).
    [[nodiscard]] bytes_view remaining() const noexcept { return input_.subview(position_); }

private:
    bytes_view input_;
    record_batch_read_options options_;
    std::size_t position_ = 0;
    bool incomplete_ = false;
    std::error_code error_;
};

/// Decodes every complete batch of `records` (see record_batch_reader; a trailing partial
/// batch is left out). The batches view `records`, which must outlive them.
result<std::vector<record_batch>> read_record_batches(bytes_view records, record_batch_read_options options = {});

/// Types of control records (the key's type field). Only abort and commit carry the
/// transaction-marker value; the others are KRaft's.
enum class control_record_type : std::int16_t { abort = 0, commit = 1, leader_change = 2 };

/// A control record's key and, for transaction markers, its value.
struct control_record {
    std::int16_t key_version = 0;
    control_record_type type = control_record_type::abort;
    std::int16_t value_version = 0;      ///< transaction markers only
    std::int32_t coordinator_epoch = 0;  ///< transaction markers only
};

/// Parses a record of a control batch. Errors: errc::malformed_frame when the key is null or
/// shorter than 4 bytes, or a marker's value is null or shorter than 6 bytes.
result<control_record> read_control_record(const record& r);

/// Key and value bytes of a transaction marker (EndTransactionMarker, version 0).
struct end_txn_marker_bytes {
    std::array<std::uint8_t, 4> key{};
    std::array<std::uint8_t, 6> value{};
};

/// Encodes an abort or commit marker, to append to a control batch.
end_txn_marker_bytes encode_end_txn_marker(control_record_type type, std::int32_t coordinator_epoch) noexcept;

/// Fields of a v2 batch that the writer does not derive from its records.
struct record_batch_options {
    std::int64_t base_offset = 0;              ///< offset of the first record (a producer writes 0)
    std::int32_t partition_leader_epoch = -1;  ///< set by the broker; -1 from producers
    std::int64_t producer_id = -1;             ///< -1 without idempotence
    std::int16_t producer_epoch = -1;          ///< -1 without idempotence
    std::int32_t base_sequence = -1;           ///< sequence of the first record; -1 without idempotence
    compression_codec codec = compression_codec::none; ///< codec of the records section
    int compression_level = default_compression_level; ///< passed to compress()
    timestamp_type timestamp_kind = timestamp_type::create_time; ///< attributes bit 3
    bool transactional = false;                ///< attributes bit 4
    bool control = false;                      ///< attributes bit 5: the records are control records
    /// Attribute bits written as given besides those above (batch_attr_delete_horizon).
    std::int16_t extra_attributes = 0;
    /// Defaults to the first record's timestamp, as the Java client writes it.
    std::optional<std::int64_t> base_timestamp;
    /// Defaults to the largest record timestamp; under log_append_time, the append time.
    std::optional<std::int64_t> max_timestamp;
    /// Defaults to the last record's offset delta (compaction may leave a larger one).
    std::optional<std::int32_t> last_offset_delta;
};

/// The options that make record_batch_builder reproduce the header of `header`.
record_batch_options options_from(const record_batch_header& header) noexcept;

/// Writes v2 record batches: records are serialized as they are appended, and finish()
/// fills in the header, compresses and computes the CRC32C. The buffers are kept across
/// reset(), so a builder reused for many batches stops allocating. Single-threaded.
class record_batch_builder {
public:
    /// A builder for a batch with default options (call reset() to change them).
    record_batch_builder() { reset({}); }
    /// A builder for a batch with these options.
    explicit record_batch_builder(const record_batch_options& options) { reset(options); }

    /// Starts a new batch with `options`, dropping any records (keeps buffer capacity).
    void reset(const record_batch_options& options);
    /// As above, writing into `storage` (its contents dropped, its capacity used): how a
    /// producer reuses the buffers of batches already sent instead of allocating anew.
    void reset(const record_batch_options& options, std::vector<std::uint8_t>&& storage);
    /// Hands out the builder's own buffer for reuse (after release(), a compressed batch
    /// leaves it behind); the builder must be reset() before it is used again.
    std::vector<std::uint8_t> take_storage() noexcept { return std::exchange(buffer_, {}); }

    /// Appends a record at the next offset (one past the last record's, base_offset first).
    /// Header keys and values are copied into the batch.
    void append(std::int64_t timestamp, std::optional<bytes_view> key, std::optional<bytes_view> value,
                std::span<const record_header> headers = {});

    /// Appends a decoded record as it was: its offset (relative to the base offset), its
    /// timestamp, attributes byte, key, value and headers. Decoding then re-encoding a
    /// create-time batch gives back its bytes; under log_append_time the records read with
    /// the max timestamp, so their original deltas are not reproduced.
    void append(const record& r);

    /// Records appended since reset().
    [[nodiscard]] std::int32_t record_count() const noexcept { return count_; }
    /// Size of the batch so far if it were written uncompressed.
    [[nodiscard]] std::size_t uncompressed_size() const noexcept { return buffer_.size(); }

    /// Completes the batch and returns all its bytes, valid until the next call on the
    /// builder. Errors: those of compress(); the builder keeps its records.
    result<bytes_view> finish();
    /// Completes the batch and appends its bytes to `out`; on error `out` is unchanged.
    result<void> finish(std::vector<std::uint8_t>& out);
    /// Completes the batch and moves its bytes out (no copy when uncompressed). The builder
    /// is empty afterwards and must be reset() before reuse. Errors: as finish().
    result<std::vector<std::uint8_t>> release();

private:
    void append_record(std::int32_t offset_delta, std::int64_t timestamp, std::int8_t attributes,
                       std::optional<bytes_view> key, std::optional<bytes_view> value,
                       std::span<const record_header> headers);
    void write_header(std::uint8_t* batch, std::size_t size) const noexcept;

    record_batch_options options_;
    std::vector<std::uint8_t> buffer_;     // header space, then the records uncompressed
    std::vector<std::uint8_t> compressed_; // header space, then the records compressed
    std::int32_t count_ = 0;
    std::int32_t last_delta_ = -1;
    std::int64_t base_timestamp_ = no_timestamp;
    std::int64_t max_timestamp_ = no_timestamp;
};

/// Sets the producer id, epoch and base sequence of the finished v2 batch at the start of
/// `batch` and recomputes its CRC32C: how a producer stamps a sealed batch when it is sent
/// (or re-sent after an epoch bump) without encoding it again. Errors: errc::truncated
/// when `batch` is shorter than the size its header gives, errc::malformed_frame when it
/// is not a magic 2 batch.
result<void> rewrite_producer_state(std::span<std::uint8_t> batch, std::int64_t producer_id,
                                    std::int16_t producer_epoch, std::int32_t base_sequence);

} // namespace kafkit::protocol
