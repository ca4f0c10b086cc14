#pragma once
// Reads Kafka's wire primitives from a contiguous buffer, with a sticky error:
// after the first failure every read returns a zero value and the reader stays
// failed, so generated decoders read straight through and check once at the end.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/uuid.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>

namespace kafkit::protocol {

/// Bounds-checked big-endian reader over a frame. Never throws, never reads past the end,
/// and never trusts a length prefix beyond the bytes that remain.
class wire_reader {
public:
    explicit wire_reader(bytes_view input) noexcept
        : begin_(input.data()), pos_(input.data()), end_(input.data() + input.size()) {}

    [[nodiscard]] bool ok() const noexcept { return !error_; }
    [[nodiscard]] std::error_code error() const noexcept { return error_; }
    /// Offset of the first failure (or the current position while ok).
    [[nodiscard]] std::size_t error_offset() const noexcept { return error_offset_; }
    [[nodiscard]] std::size_t position() const noexcept { return static_cast<std::size_t>(pos_ - begin_); }
    [[nodiscard]] std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - pos_); }
    [[nodiscard]] bool at_end() const noexcept { return pos_ == end_; }

    /// Records the first error; later reads return zero values.
    void fail(errc e) noexcept { fail_at(e, position()); }

    /// Records the first error as found at `offset` (e.g. the start of a bad length).
    void fail_at(errc e, std::size_t offset) noexcept {
        if (!error_) {
            error_ = make_error_code(e);
            error_offset_ = offset;
            pos_ = end_;
        }
    }

    std::int8_t read_int8() noexcept { return static_cast<std::int8_t>(read_fixed<std::uint8_t>()); }
    std::int16_t read_int16() noexcept { return static_cast<std::int16_t>(read_fixed<std::uint16_t>()); }
    std::int32_t read_int32() noexcept { return static_cast<std::int32_t>(read_fixed<std::uint32_t>()); }
    std::int64_t read_int64() noexcept { return static_cast<std::int64_t>(read_fixed<std::uint64_t>()); }
    std::uint16_t read_uint16() noexcept { return read_fixed<std::uint16_t>(); }
    std::uint32_t read_uint32() noexcept { return read_fixed<std::uint32_t>(); }
    double read_float64() noexcept { return std::bit_cast<double>(read_fixed<std::uint64_t>()); }
    bool read_bool() noexcept { return read_fixed<std::uint8_t>() != 0; }

    uuid read_uuid() noexcept {
        uuid id;
        if (need(16)) {
            std::memcpy(id.bytes.data(), pos_, 16);
            pos_ += 16;
        }
        return id;
    }

    /// Unsigned LEB128 varint of at most 32 bits (Kafka's UNSIGNED_VARINT).
    std::uint32_t read_uvarint() noexcept {
        std::uint64_t v = read_uvarlong_bounded(5);
        if (v > UINT32_MAX) {
            fail(errc::malformed_frame);
            return 0;
        }
        return static_cast<std::uint32_t>(v);
    }
    /// Zig-zag varint of at most 32 bits (record fields).
    std::int32_t read_varint() noexcept {
        std::uint32_t v = read_uvarint();
        return static_cast<std::int32_t>((v >> 1) ^ (~(v & 1) + 1));
    }
    /// Zig-zag varint of at most 64 bits (record timestamps and offsets).
    std::int64_t read_varlong() noexcept {
        std::uint64_t v = read_uvarlong_bounded(10);
        return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
    }

    /// `count` raw bytes as a view into the input.
    bytes_view read_raw(std::size_t count) noexcept {
        if (!need(count)) return {};
        bytes_view view(pos_, count);
        pos_ += count;
        return view;
    }

    /// A length for a string, bytes or array: int16/int32 (classic) or uvarint+1 (compact).
    /// Returns -1 for null. Fails when the length is below -1 or longer than what remains
    /// (`min_element_size` bytes per element), so a lying prefix never drives an allocation.
    std::int64_t read_length(bool compact, bool wide, std::size_t min_element_size = 1) noexcept {
        const std::size_t start = position();
        std::int64_t n;
        if (compact) {
            n = static_cast<std::int64_t>(read_uvarint()) - 1;
        } else {
            n = wide ? read_int32() : read_int16();
        }
        if (!ok()) return 0;
        if (n < -1) {
            fail_at(errc::malformed_frame, start);
            return 0;
        }
        if (n > 0 && static_cast<std::uint64_t>(n) * min_element_size > remaining()) {
            fail_at(errc::truncated, start);
            return 0;
        }
        return n;
    }

    std::optional<std::string> read_nullable_string(bool compact) noexcept {
        std::int64_t n = read_length(compact, false);
        if (n < 0) return std::nullopt;
        return std::string(read_raw(static_cast<std::size_t>(n)).as_string());
    }
    std::string read_string(bool compact) noexcept {
        std::int64_t n = read_length(compact, false);
        if (n < 0) {
            fail(errc::malformed_frame); // null where the schema forbids it
            return {};
        }
        return std::string(read_raw(static_cast<std::size_t>(n)).as_string());
    }
    std::optional<bytes_view> read_nullable_bytes(bool compact) noexcept {
        std::int64_t n = read_length(compact, true);
        if (n < 0) return std::nullopt;
        return read_raw(static_cast<std::size_t>(n));
    }
    bytes_view read_bytes(bool compact) noexcept {
        std::int64_t n = read_length(compact, true);
        if (n < 0) {
            fail(errc::malformed_frame);
            return {};
        }
        return read_raw(static_cast<std::size_t>(n));
    }

private:
    bool need(std::size_t count) noexcept {
        if (remaining() < count) {
            fail(errc::truncated);
            return false;
        }
        return true;
    }

    template <class U>
    U read_fixed() noexcept {
        if (!need(sizeof(U))) return 0;
        U v;
        std::memcpy(&v, pos_, sizeof(U));
        pos_ += sizeof(U);
        if constexpr (std::endian::native == std::endian::little && sizeof(U) > 1) {
            if constexpr (sizeof(U) == 2) v = __builtin_bswap16(v);
            if constexpr (sizeof(U) == 4) v = __builtin_bswap32(v);
            if constexpr (sizeof(U) == 8) v = __builtin_bswap64(v);
        }
        return v;
    }

    std::uint64_t read_uvarlong_bounded(int max_bytes) noexcept {
        std::uint64_t v = 0;
        for (int i = 0; i < max_bytes; ++i) {
            if (!need(1)) return 0;
            std::uint8_t b = *pos_++;
            v |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) return v;
        }
        fail(errc::malformed_frame); // varint longer than its type allows
        return 0;
    }

    const std::uint8_t* begin_;
    const std::uint8_t* pos_;
    const std::uint8_t* end_;
    std::error_code error_;
    std::size_t error_offset_ = 0;
};

} // namespace kafkit::protocol
