#pragma once
// What every generated message shares: unknown tagged fields, field metadata for
// reflection, and the encode/decode entry points.
//
// A generated message type M provides:
//   static constexpr api_key/min_version/max_version/first_flexible_version (API messages)
//   template <class Sink> void write(Sink&, std::int16_t version) const;
//   void read(wire_reader&, std::int16_t version);
//   template <class Self, class Visitor> static void for_each_field(Self&, std::int16_t, Visitor&&);

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/result.hpp"
#include "kafkit/protocol/uuid.hpp"
#include "kafkit/protocol/wire_reader.hpp"
#include "kafkit/protocol/wire_writer.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace kafkit::protocol {

/// A tagged field this codec does not know (or not at this version), kept so it is
/// written back unchanged. `data` views the frame it was decoded from.
struct unknown_tagged_field {
    std::uint32_t tag = 0;
    bytes_view data;
    friend bool operator==(const unknown_tagged_field&, const unknown_tagged_field&) = default;
};
using unknown_tagged_fields = std::vector<unknown_tagged_field>;

/// What a reflection visitor learns about a field besides its value.
struct field_info {
    const char* name;    ///< the schema's field name, e.g. "TopicData"
    bool nullable;       ///< null is allowed at the visited version
    bool tagged;         ///< sent as a tagged field at the visited version
    bool ignorable;      ///< may be dropped silently at versions that lack it
    bool records;        ///< holds record batches (schema type `records`)
};

/// True for std::optional<T>, the type of a nullable field (for reflection visitors).
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

/// True for std::vector<T>, the type of an array field (for reflection visitors).
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

/// Whether a message version uses the flexible (KIP-482) encoding.
template <class M>
constexpr bool is_flexible(std::int16_t version) noexcept {
    return M::first_flexible_version >= 0 && version >= M::first_flexible_version;
}

/// Whether `version` is one the schema of M defines.
template <class M>
constexpr bool is_valid_version(std::int16_t version) noexcept {
    return version >= M::min_version && version <= M::max_version;
}

/// Bytes M takes on the wire at `version`; fails with errc::unsupported_version, or
/// errc::invalid_field_value when a field holds a value that version cannot carry.
template <class M>
result<std::size_t> encoded_size(const M& message, std::int16_t version) {
    if (!is_valid_version<M>(version)) return unexpected(errc::unsupported_version);
    size_counter counter;
    message.write(counter, version);
    if (!counter.ok()) return unexpected(counter.error());
    return counter.size();
}

/// Appends M encoded at `version` to `out`, sizing it once first. On error `out` is unchanged.
template <class M>
result<void> encode(const M& message, std::int16_t version, std::vector<std::uint8_t>& out) {
    auto size = encoded_size(message, version);
    if (!size) return unexpected(size.error());
    const std::size_t start = out.size();
    out.resize(start + *size);
    wire_writer writer(out.data() + start, *size);
    message.write(writer, version);
    if (!writer.ok() || writer.written() != *size) {
        out.resize(start);
        return unexpected(writer.ok() ? make_error_code(errc::malformed_frame) : writer.error());
    }
    return {};
}

/// encode(), except that byte runs of at least `gather_from` bytes (record batches) are not
/// copied into `out` but noted in `gathered`, with their positions in `out`: the message
/// on the wire is `out` with each run inserted at its position. On error both are unchanged.
template <class M>
result<void> encode_gathered(const M& message, std::int16_t version, std::vector<std::uint8_t>& out,
                             std::vector<gathered_bytes>& gathered, std::size_t gather_from) {
    if (!is_valid_version<M>(version)) return unexpected(errc::unsupported_version);
    size_counter counter(gather_from);
    message.write(counter, version);
    if (!counter.ok()) return unexpected(counter.error());
    const std::size_t inline_size = counter.size() - counter.gathered_size();
    const std::size_t start = out.size();
    const std::size_t gathered_start = gathered.size();
    out.resize(start + inline_size);
    wire_writer writer(out.data() + start, inline_size);
    writer.gather(gather_from, gathered, start);
    message.write(writer, version);
    if (!writer.ok() || writer.written() != inline_size) {
        out.resize(start);
        gathered.resize(gathered_start);
        return unexpected(writer.ok() ? make_error_code(errc::malformed_frame) : writer.error());
    }
    return {};
}

/// Decodes M at `version` from a reader positioned at its first byte, leaving the reader
/// after its last. Errors are left in the reader (sticky).
template <class M>
M decode_from(wire_reader& reader, std::int16_t version) {
    M message;
    if (!is_valid_version<M>(version)) {
        reader.fail(errc::unsupported_version);
        return message;
    }
    message.read(reader, version);
    return message;
}

/// Decodes M at `version` from exactly `input`: trailing bytes are an error
/// (errc::malformed_frame), as are truncation and bad lengths. Byte and record fields
/// of the result are views into `input`.
template <class M>
result<M> decode(bytes_view input, std::int16_t version) {
    wire_reader reader(input);
    M message = decode_from<M>(reader, version);
    if (reader.ok() && !reader.at_end()) reader.fail(errc::malformed_frame);
    if (!reader.ok()) return unexpected(reader.error());
    return message;
}

namespace detail {

/// Writes one tagged field: tag, size, then the value written by `write_value(sink)`.
template <class Sink, class F>
void write_tagged_field(Sink& sink, std::uint32_t tag, F&& write_value) {
    size_counter counter;
    write_value(counter);
    if (!counter.ok()) {
        sink.fail(errc::invalid_field_value);
        return;
    }
    sink.write_uvarint(tag);
    sink.write_uvarint(counter.size());
    write_value(sink);
}

/// Writes the unknown tagged fields from index `next` whose tag is below `limit`;
/// returns the index of the first one not written. Keeps the section in tag order.
template <class Sink>
std::size_t write_unknown_tags_below(Sink& sink, const unknown_tagged_fields& unknown,
                                     std::size_t next, std::uint64_t limit) {
    for (; next < unknown.size() && unknown[next].tag < limit; ++next) {
        sink.write_uvarint(unknown[next].tag);
        sink.write_uvarint(unknown[next].data.size());
        sink.write_raw(unknown[next].data);
    }
    return next;
}

/// Writes a tagged-field section that holds only unknown fields.
template <class Sink>
void write_unknown_tags(Sink& sink, const unknown_tagged_fields& unknown) {
    sink.write_uvarint(unknown.size());
    write_unknown_tags_below(sink, unknown, 0, 0x100000000ULL);
}

/// Reads a tagged-field section of a struct that declares no tagged fields.
inline void read_unknown_tags(wire_reader& reader, unknown_tagged_fields& unknown) {
    const std::uint32_t count = reader.read_uvarint();
    for (std::uint32_t i = 0; i < count && reader.ok(); ++i) {
        const std::uint32_t tag = reader.read_uvarint();
        const bytes_view data = reader.read_raw(reader.read_uvarint());
        if (reader.ok()) unknown.push_back({tag, data});
    }
}

/// Reads the array length of a field; -1 is null. `min_element_size` (at least 1) bounds
/// the count by the bytes that remain, as Kafka's own decoders do.
inline std::int64_t read_array_length(wire_reader& reader, bool compact, std::size_t min_element_size) {
    return reader.read_length(compact, true, min_element_size);
}

} // namespace detail
} // namespace kafkit::protocol
