// Reading record batches (magic 2) and walking a records blob batch by batch.

#include "kafkit/protocol/crc32c.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "compression_codecs.hpp"
#include "record_batch_decoder.hpp"

#include <climits>
#include <cstdint>

namespace kafkit::protocol {
namespace {

// Offset of the field where a v2 batch's CRC32C coverage starts (attributes).
constexpr std::size_t crc_coverage_start = 21;
// Offset of the magic byte in every format: after baseOffset, length and (v2) the epoch,
// or (legacy) after offset, size and crc.
constexpr std::size_t magic_offset = 16;
// Smallest record: length, attributes, timestamp and offset deltas, key and value lengths,
// header count: one byte each.
constexpr std::size_t min_record_size = 7;
// Smallest header: key length and value length.
constexpr std::size_t min_header_size = 2;

// The records section is the hot loop of every consumer: a bounds-checked cursor like
// wire_reader, with a one-byte fast path for the varints that dominate records.
class record_cursor {
public:
    explicit record_cursor(bytes_view in) noexcept : pos_(in.data()), end_(in.data() + in.size()) {}

    [[nodiscard]] bool ok() const noexcept { return !failed_; }
    [[nodiscard]] errc error() const noexcept { return error_; }
    [[nodiscard]] std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - pos_); }
    [[nodiscard]] const std::uint8_t* position() const noexcept { return pos_; }

    void fail(errc e) noexcept {
        if (!failed_) error_ = e;
        failed_ = true;
        pos_ = end_;
    }
    std::int8_t read_int8() noexcept {
        if (pos_ == end_) {
            fail(errc::truncated);
            return 0;
        }
        return static_cast<std::int8_t>(*pos_++);
    }
    /// Zig-zag varint of at most 32 bits.
    std::int32_t read_varint() noexcept {
        const std::uint64_t v = read_unsigned(5);
        if (v > UINT32_MAX) fail(errc::malformed_frame);
        return static_cast<std::int32_t>(unzigzag(v));
    }
    /// Zig-zag varint of at most 64 bits.
    std::int64_t read_varlong() noexcept { return unzigzag(read_unsigned(10)); }
    bytes_view read_raw(std::size_t n) noexcept {
        if (remaining() < n) {
            fail(errc::truncated);
            return {};
        }
        const bytes_view v(pos_, n);
        pos_ += n;
        return v;
    }
    /// Bytes with a varint length, -1 for null.
    std::optional<bytes_view> read_bytes() noexcept {
        const std::int32_t n = read_varint();
        if (n == -1) return std::nullopt;
        if (n < -1) {
            fail(errc::malformed_frame);
            return bytes_view{};
        }
        return read_raw(static_cast<std::size_t>(n));
    }

private:
    static std::int64_t unzigzag(std::uint64_t v) noexcept {
        return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
    }
    std::uint64_t read_unsigned(int max_bytes) noexcept {
        if (pos_ != end_ && *pos_ < 0x80) return *pos_++;
        std::uint64_t v = 0;
        for (int i = 0; i < max_bytes; ++i) {
            if (pos_ == end_) {
                fail(errc::truncated);
                return 0;
            }
            const std::uint8_t b = *pos_++;
            v |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) return v;
        }
        fail(errc::malformed_frame); // longer than its type allows
        return 0;
    }

    const std::uint8_t* pos_;
    const std::uint8_t* end_;
    bool failed_ = false;
    errc error_ = errc::malformed_frame;
};

// Reads one record's headers, appending them to `headers`; returns how many.
std::size_t read_headers(record_cursor& b, std::vector<record_header>& headers) {
    const std::int32_t count = b.read_varint();
    if (count < 0 || static_cast<std::size_t>(count) > b.remaining() / min_header_size) {
        b.fail(errc::malformed_frame);
        return 0;
    }
    for (std::int32_t i = 0; i < count && b.ok(); ++i) {
        const std::int32_t key_length = b.read_varint();
        if (key_length < 0) {
            b.fail(errc::malformed_frame); // header keys are never null
            break;
        }
        const std::string_view key = b.read_raw(static_cast<std::size_t>(key_length)).as_string();
        headers.push_back({key, b.read_bytes()});
    }
    return b.ok() ? static_cast<std::size_t>(count) : 0;
}

// Reads the record at the cursor (its length prefix first) onto `records`.
std::error_code read_record(record_cursor& r, const record_batch_header& h, std::vector<record>& records,
                            std::vector<record_header>& headers) {
    const std::int32_t length = r.read_varint();
    if (!r.ok()) return make_error_code(r.error());
    if (length < 0) return make_error_code(errc::malformed_frame);
    if (static_cast<std::size_t>(length) > r.remaining()) return make_error_code(errc::truncated);
    record_cursor b(r.read_raw(static_cast<std::size_t>(length)));
    record& rec = records.emplace_back();
    rec.attributes = b.read_int8();
    const std::int64_t timestamp_delta = b.read_varlong();
    const std::int32_t offset_delta = b.read_varint();
    rec.key = b.read_bytes();
    rec.value = b.read_bytes();
    const std::size_t first_header = headers.size();
    const std::size_t header_count = read_headers(b, headers);
    if (!b.ok()) return make_error_code(b.error());
    if (b.remaining() != 0) return make_error_code(errc::malformed_frame); // the length claims more
    rec.offset = detail::wrapping_add(h.base_offset, offset_delta);
    rec.timestamp = h.timestamp_kind() == timestamp_type::log_append_time
                        ? h.max_timestamp
                        : detail::wrapping_add(h.base_timestamp, timestamp_delta);
    // Points at the headers as they are now; fixed up once the vector stops growing.
    rec.headers = {headers.data() + first_header, header_count};
    return {};
}

std::int32_t load_be32(const std::uint8_t* p) noexcept {
    return static_cast<std::int32_t>((std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                                     (std::uint32_t{p[2]} << 8) | p[3]);
}

} // namespace

result<record_batch_header> read_record_batch_header(bytes_view data) {
    if (data.size() < record_batch_header_size) return unexpected(errc::truncated);
    wire_reader r(data);
    record_batch_header h;
    h.base_offset = r.read_int64();
    h.batch_length = r.read_int32();
    h.partition_leader_epoch = r.read_int32();
    h.magic = r.read_int8();
    h.crc = r.read_uint32();
    h.attributes = r.read_int16();
    h.last_offset_delta = r.read_int32();
    h.base_timestamp = r.read_int64();
    h.max_timestamp = r.read_int64();
    h.producer_id = r.read_int64();
    h.producer_epoch = r.read_int16();
    h.base_sequence = r.read_int32();
    h.record_count = r.read_int32();
    if (h.magic != 2) return unexpected(errc::malformed_frame);
    if (h.batch_length < static_cast<std::int32_t>(record_batch_header_size - 12)) {
        return unexpected(errc::malformed_frame);
    }
    return h;
}

namespace detail {

void record_batch_decoder::clear(record_batch& out) noexcept {
    out.header_ = {};
    out.raw_ = {};
    out.records_.clear();
    out.headers_.clear();
    // decompressed_ keeps its bytes: the next compressed batch decoded into this storage
    // overwrites them (decompress_replacing) instead of zero-filling fresh ones.
}

result<void> record_batch_decoder::decode_v2(bytes_view bytes, const record_batch_read_options& options,
                                             record_batch& out) {
    // The length field claimed less than a v2 header: malformed, not merely short input.
    if (bytes.size() < record_batch_header_size) return unexpected(errc::malformed_frame);
    auto parsed = read_record_batch_header(bytes);
    if (!parsed) return unexpected(parsed.error());
    const record_batch_header& h = *parsed;
    if (h.size_in_bytes() != bytes.size()) return unexpected(errc::malformed_frame);
    if (options.crc == crc_check::verify && crc32c(bytes.subview(crc_coverage_start)) != h.crc) {
        return unexpected(errc::crc_mismatch);
    }
    if (h.record_count < 0) return unexpected(errc::malformed_frame);
    bytes_view section = bytes.subview(record_batch_header_size);
    if (h.codec() != compression_codec::none) {
        if (auto r = decompress_replacing(h.codec(), section, out.decompressed_, options.max_decompressed_size); !r) {
            return r;
        }
        section = {out.decompressed_.data(), out.decompressed_.size()};
    }
    // A count the bytes cannot hold is refused before it sizes any allocation.
    if (static_cast<std::size_t>(h.record_count) > section.size() / min_record_size) {
        return unexpected(errc::malformed_frame);
    }
    out.records_.reserve(static_cast<std::size_t>(h.record_count));
    record_cursor r(section);
    for (std::int32_t i = 0; i < h.record_count; ++i) {
        if (auto ec = read_record(r, h, out.records_, out.headers_)) return unexpected(ec);
    }
    // Java refuses a batch whose records do not fill it exactly; so do we.
    if (r.remaining() != 0) return unexpected(errc::malformed_frame);
    if (!out.headers_.empty()) {
        std::size_t next = 0;
        for (record& rec : out.records_) {
            const std::size_t n = rec.headers.size();
            rec.headers = {out.headers_.data() + next, n};
            next += n;
        }
    }
    out.header_ = h;
    out.raw_ = bytes;
    return {};
}

} // namespace detail

result<bool> record_batch_reader::next(record_batch& batch) {
    detail::record_batch_decoder::clear(batch);
    if (error_) return unexpected(error_);
    const bytes_view rest = remaining();
    if (rest.empty()) return false;
    // Fetch responses stop at a byte limit, inside a batch: what cannot hold the size and
    // magic, or less than the size claims, is a partial batch and ends the walk.
    if (rest.size() <= magic_offset) {
        incomplete_ = true;
        return false;
    }
    const std::int32_t size = load_be32(rest.data() + 8);
    if (size < detail::legacy_min_message_size) {
        error_ = make_error_code(errc::malformed_frame);
        return unexpected(error_);
    }
    if (rest.size() - 12 < static_cast<std::size_t>(size)) {
        incomplete_ = true;
        return false;
    }
    const bytes_view bytes = rest.subview(0, 12 + static_cast<std::size_t>(size));
    const auto magic = static_cast<std::int8_t>(rest[magic_offset]);
    result<void> r;
    if (magic == 2) {
        r = detail::record_batch_decoder::decode_v2(bytes, options_, batch);
    } else if (magic == 0 || magic == 1) {
        r = detail::record_batch_decoder::decode_legacy(bytes, options_, batch);
    } else {
        r = unexpected(errc::malformed_frame);
    }
    if (!r) {
        detail::record_batch_decoder::clear(batch);
        error_ = r.error();
        return unexpected(error_);
    }
    position_ += bytes.size();
    return true;
}

result<std::vector<record_batch>> read_record_batches(bytes_view records, record_batch_read_options options) {
    record_batch_reader reader(records, options);
    std::vector<record_batch> batches;
    for (;;) {
        record_batch batch;
        auto more = reader.next(batch);
        if (!more) return unexpected(more.error());
        if (!*more) return batches;
        batches.push_back(std::move(batch));
    }
}

} // namespace kafkit::protocol
