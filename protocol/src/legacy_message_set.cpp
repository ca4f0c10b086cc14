// Reading legacy message sets (magic 0 and 1, Kafka before 0.11). Each message is
//   offset int64, size int32, crc uint32 (CRC32 of the rest), magic int8, attributes int8,
//   timestamp int64 (magic 1 only), key int32-length bytes, value int32-length bytes.
// A compressed message (codec in attributes bits 0-2) is a wrapper whose value is a whole
// message set, compressed. Each top-level message becomes one record_batch, as the Java
// client presents it.

#include "kafkit/protocol/crc32c.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "compression_codecs.hpp"
#include "record_batch_decoder.hpp"

namespace kafkit::protocol::detail {
namespace {

constexpr std::int8_t attr_codec_mask = 0x07;
constexpr std::int8_t attr_log_append_time = 0x08; // magic 1 only

struct legacy_message {
    std::int64_t offset = 0;
    std::int32_t size = 0;
    std::uint32_t crc = 0;
    std::int8_t magic = 0;
    std::int8_t attributes = 0;
    std::int64_t timestamp = no_timestamp;
    std::optional<bytes_view> key;
    std::optional<bytes_view> value;

    [[nodiscard]] compression_codec codec() const noexcept {
        return static_cast<compression_codec>(attributes & attr_codec_mask);
    }
};

// Reads the message at the reader's position. Every message must be whole: a partial one
// at the end of a decompressed set is corrupt data, not a cut-off fetch.
result<legacy_message> read_message(wire_reader& r, crc_check check) {
    legacy_message m;
    m.offset = r.read_int64();
    m.size = r.read_int32();
    if (!r.ok()) return unexpected(r.error());
    if (m.size < legacy_min_message_size) return unexpected(errc::malformed_frame);
    if (static_cast<std::size_t>(m.size) > r.remaining()) return unexpected(errc::truncated);
    const bytes_view body = r.read_raw(static_cast<std::size_t>(m.size));
    wire_reader b(body);
    m.crc = b.read_uint32();
    m.magic = b.read_int8();
    if (m.magic != 0 && m.magic != 1) return unexpected(errc::malformed_frame);
    m.attributes = b.read_int8();
    if (m.magic == 1) m.timestamp = b.read_int64();
    m.key = b.read_nullable_bytes(false);
    m.value = b.read_nullable_bytes(false);
    if (!b.ok()) return unexpected(b.error());
    if (!b.at_end()) return unexpected(errc::malformed_frame);
    if (check == crc_check::verify && crc32(body.subview(4)) != m.crc) return unexpected(errc::crc_mismatch);
    return m;
}

record to_record(const legacy_message& m, std::int64_t offset, std::int64_t timestamp) {
    record rec;
    rec.offset = offset;
    rec.timestamp = timestamp;
    rec.key = m.key;
    rec.value = m.value;
    rec.magic = m.magic;
    return rec;
}

record_batch_header wrapper_header(const legacy_message& m) {
    record_batch_header h;
    h.batch_length = m.size;
    h.magic = m.magic;
    h.crc = m.crc;
    h.attributes = static_cast<std::int16_t>(static_cast<std::uint8_t>(m.attributes));
    h.base_timestamp = m.timestamp;
    h.max_timestamp = m.timestamp;
    return h;
}

// Decompresses the wrapper's value and reads the inner messages into `records`, with their
// offsets as written (relative for magic 1).
result<void> read_inner_messages(const legacy_message& wrapper, const record_batch_read_options& options,
                                 std::vector<std::uint8_t>& buffer, std::vector<record>& records) {
    if (!wrapper.value) return unexpected(errc::malformed_frame);
    if (auto r = decompress_replacing(wrapper.codec(), *wrapper.value, buffer, options.max_decompressed_size); !r)
        return r;
    wire_reader inner(bytes_view(buffer.data(), buffer.size()));
    const bool log_append = wrapper.magic == 1 && (wrapper.attributes & attr_log_append_time) != 0;
    while (!inner.at_end()) {
        auto m = read_message(inner, options.crc);
        if (!m) return unexpected(m.error());
        // Java refuses nested compression and inner messages of another magic.
        if (m->codec() != compression_codec::none || m->magic != wrapper.magic) {
            return unexpected(errc::malformed_frame);
        }
        records.push_back(to_record(*m, m->offset, log_append ? wrapper.timestamp : m->timestamp));
    }
    if (records.empty()) return unexpected(errc::malformed_frame);
    return {};
}

} // namespace

result<void> record_batch_decoder::decode_legacy(bytes_view bytes, const record_batch_read_options& options,
                                                 record_batch& out) {
    wire_reader r(bytes);
    auto parsed = read_message(r, options.crc);
    if (!parsed) return unexpected(parsed.error());
    const legacy_message& m = *parsed;
    if (!r.at_end()) return unexpected(errc::malformed_frame);
    record_batch_header h = wrapper_header(m);
    if (m.codec() == compression_codec::none) {
        out.records_.push_back(to_record(m, m.offset, m.timestamp));
    } else {
        if (auto ok = read_inner_messages(m, options, out.decompressed_, out.records_); !ok) return ok;
        if (m.magic >= 1) {
            // Magic 1 inner offsets are relative; the wrapper carries the absolute offset
            // of the last inner message (KIP-31).
            const std::int64_t base = wrapping_sub(m.offset, out.records_.back().offset);
            for (record& rec : out.records_) rec.offset = wrapping_add(base, rec.offset);
        }
    }
    h.base_offset = out.records_.front().offset;
    h.last_offset_delta =
        static_cast<std::int32_t>(wrapping_sub(out.records_.back().offset, out.records_.front().offset));
    h.record_count = static_cast<std::int32_t>(out.records_.size());
    out.header_ = h;
    out.raw_ = bytes;
    return {};
}

} // namespace kafkit::protocol::detail
