// Writing record batches (magic 2). Records are serialized straight into the builder's
// buffer as they are appended: each record's size is computed first so its varint length
// prefix can be written in place, without a second pass or a temporary.

#include "kafkit/protocol/crc32c.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "kafkit/protocol/wire_writer.hpp"
#include "record_batch_decoder.hpp"

#include <climits>
#include <utility>

namespace kafkit::protocol {
namespace {

constexpr std::size_t crc_offset = 17;
constexpr std::size_t crc_coverage_start = 21;

std::uint8_t* put_uvarint(std::uint8_t* p, std::uint64_t v) noexcept {
    while (v >= 0x80) {
        *p++ = static_cast<std::uint8_t>(v | 0x80);
        v >>= 7;
    }
    *p++ = static_cast<std::uint8_t>(v);
    return p;
}

std::uint8_t* put_varlong(std::uint8_t* p, std::int64_t v) noexcept { return put_uvarint(p, zigzag(v)); }

std::uint8_t* put_bytes(std::uint8_t* p, std::optional<bytes_view> b) noexcept {
    if (!b) return put_varlong(p, -1);
    p = put_varlong(p, static_cast<std::int64_t>(b->size()));
    if (!b->empty()) std::memcpy(p, b->data(), b->size());
    return p + b->size();
}

constexpr std::size_t varlong_size(std::int64_t v) noexcept { return uvarint_size(zigzag(v)); }

std::size_t bytes_size(std::optional<bytes_view> b) noexcept {
    return b ? varlong_size(static_cast<std::int64_t>(b->size())) + b->size() : 1;
}

template <class T>
std::uint8_t* put_be(std::uint8_t* p, T value) noexcept {
    auto v = static_cast<std::make_unsigned_t<T>>(value);
    for (std::size_t i = sizeof(T); i-- > 0;) {
        *p++ = static_cast<std::uint8_t>(v >> (8 * i));
    }
    return p;
}

} // namespace

record_batch_options options_from(const record_batch_header& header) noexcept {
    record_batch_options o;
    o.base_offset = header.base_offset;
    o.partition_leader_epoch = header.partition_leader_epoch;
    o.producer_id = header.producer_id;
    o.producer_epoch = header.producer_epoch;
    o.base_sequence = header.base_sequence;
    o.codec = header.codec();
    o.timestamp_kind = header.timestamp_kind();
    o.transactional = header.is_transactional();
    o.control = header.is_control();
    o.extra_attributes = static_cast<std::int16_t>(
        header.attributes & ~(batch_attr_codec_mask | batch_attr_log_append_time | batch_attr_transactional |
                              batch_attr_control));
    o.base_timestamp = header.base_timestamp;
    o.max_timestamp = header.max_timestamp;
    o.last_offset_delta = header.last_offset_delta;
    return o;
}

void record_batch_builder::reset(const record_batch_options& options, std::vector<std::uint8_t>&& storage) {
    buffer_ = std::move(storage);
    buffer_.clear();
    reset(options);
}

void record_batch_builder::reset(const record_batch_options& options) {
    options_ = options;
    buffer_.resize(record_batch_header_size);
    count_ = 0;
    last_delta_ = -1;
    base_timestamp_ = options.base_timestamp.value_or(no_timestamp);
    max_timestamp_ = no_timestamp;
}

void record_batch_builder::append(std::int64_t timestamp, std::optional<bytes_view> key,
                                  std::optional<bytes_view> value, std::span<const record_header> headers) {
    append_record(last_delta_ + 1, timestamp, 0, key, value, headers);
}

void record_batch_builder::append(const record& r) {
    const auto delta = static_cast<std::int32_t>(detail::wrapping_sub(r.offset, options_.base_offset));
    append_record(delta, r.timestamp, r.attributes, r.key, r.value, r.headers);
}

void record_batch_builder::append_record(std::int32_t offset_delta, std::int64_t timestamp, std::int8_t attributes,
                                         std::optional<bytes_view> key, std::optional<bytes_view> value,
                                         std::span<const record_header> headers) {
    if (count_ == 0 && !options_.base_timestamp) base_timestamp_ = timestamp;
    const std::int64_t timestamp_delta = detail::wrapping_sub(timestamp, base_timestamp_);
    std::size_t body = 1 + varlong_size(timestamp_delta) + varlong_size(offset_delta) + bytes_size(key) +
                       bytes_size(value) + varlong_size(static_cast<std::int64_t>(headers.size()));
    for (const record_header& h : headers) {
        body += varlong_size(static_cast<std::int64_t>(h.key.size())) + h.key.size() + bytes_size(h.value);
    }
    const std::size_t start = buffer_.size();
    buffer_.resize(start + varlong_size(static_cast<std::int64_t>(body)) + body);
    std::uint8_t* p = buffer_.data() + start;
    p = put_varlong(p, static_cast<std::int64_t>(body));
    *p++ = static_cast<std::uint8_t>(attributes);
    p = put_varlong(p, timestamp_delta);
    p = put_varlong(p, offset_delta);
    p = put_bytes(p, key);
    p = put_bytes(p, value);
    p = put_varlong(p, static_cast<std::int64_t>(headers.size()));
    for (const record_header& h : headers) {
        p = put_bytes(p, bytes_view::of(h.key));
        p = put_bytes(p, h.value);
    }
    ++count_;
    last_delta_ = offset_delta;
    if (timestamp > max_timestamp_) max_timestamp_ = timestamp;
}

void record_batch_builder::write_header(std::uint8_t* batch, std::size_t size) const noexcept {
    std::int16_t attributes = static_cast<std::int16_t>(static_cast<std::uint8_t>(options_.codec) & batch_attr_codec_mask);
    if (options_.timestamp_kind == timestamp_type::log_append_time) attributes |= batch_attr_log_append_time;
    if (options_.transactional) attributes |= batch_attr_transactional;
    if (options_.control) attributes |= batch_attr_control;
    attributes = static_cast<std::int16_t>(attributes | options_.extra_attributes);
    std::uint8_t* p = batch;
    p = put_be(p, options_.base_offset);
    p = put_be(p, static_cast<std::int32_t>(size - 12));
    p = put_be(p, options_.partition_leader_epoch);
    *p++ = 2; // magic
    p += 4;   // crc, below
    p = put_be(p, attributes);
    p = put_be(p, options_.last_offset_delta.value_or(count_ == 0 ? 0 : last_delta_));
    p = put_be(p, base_timestamp_);
    p = put_be(p, options_.max_timestamp.value_or(max_timestamp_));
    p = put_be(p, options_.producer_id);
    p = put_be(p, options_.producer_epoch);
    p = put_be(p, options_.base_sequence);
    put_be(p, count_);
    const std::uint32_t crc = crc32c({batch + crc_coverage_start, size - crc_coverage_start});
    put_be(batch + crc_offset, crc);
}

result<void> record_batch_builder::finish(std::vector<std::uint8_t>& out) {
    const std::size_t start = out.size();
    if (options_.codec == compression_codec::none) {
        if (buffer_.size() - 12 > INT32_MAX) return unexpected(errc::too_large);
        out.insert(out.end(), buffer_.begin(), buffer_.end());
    } else {
        out.resize(start + record_batch_header_size);
        const bytes_view records(buffer_.data() + record_batch_header_size, buffer_.size() - record_batch_header_size);
        if (auto r = compress(options_.codec, records, out, options_.compression_level); !r) {
            out.resize(start);
            return r;
        }
        if (out.size() - start - 12 > INT32_MAX) {
            out.resize(start);
            return unexpected(errc::too_large);
        }
    }
    write_header(out.data() + start, out.size() - start);
    return {};
}

result<std::vector<std::uint8_t>> record_batch_builder::release() {
    if (options_.codec == compression_codec::none) {
        if (buffer_.size() - 12 > INT32_MAX) return unexpected(errc::too_large);
        write_header(buffer_.data(), buffer_.size());
        count_ = 0;
        return std::exchange(buffer_, {});
    }
    std::vector<std::uint8_t> out;
    if (auto r = finish(out); !r) return unexpected(r.error());
    count_ = 0;
    buffer_.clear();
    return out;
}

result<void> rewrite_producer_state(std::span<std::uint8_t> batch, std::int64_t producer_id,
                                    std::int16_t producer_epoch, std::int32_t base_sequence) {
    auto header = read_record_batch_header(bytes_view(batch.data(), batch.size()));
    if (!header) return unexpected(header.error());
    if (header->size_in_bytes() > batch.size()) return unexpected(errc::truncated);
    constexpr std::size_t producer_id_offset = 43;
    std::uint8_t* p = batch.data() + producer_id_offset;
    p = put_be(p, producer_id);
    p = put_be(p, producer_epoch);
    put_be(p, base_sequence);
    const std::size_t size = header->size_in_bytes();
    put_be(batch.data() + crc_offset, crc32c({batch.data() + crc_coverage_start, size - crc_coverage_start}));
    return {};
}

result<bytes_view> record_batch_builder::finish() {
    if (options_.codec == compression_codec::none) {
        if (buffer_.size() - 12 > INT32_MAX) return unexpected(errc::too_large);
        write_header(buffer_.data(), buffer_.size());
        return bytes_view(buffer_.data(), buffer_.size());
    }
    compressed_.clear();
    if (auto r = finish(compressed_); !r) return unexpected(r.error());
    return bytes_view(compressed_.data(), compressed_.size());
}

} // namespace kafkit::protocol
