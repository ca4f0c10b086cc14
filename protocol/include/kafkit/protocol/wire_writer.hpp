#pragma once
// Writes Kafka's wire primitives. Two sinks share one interface so each generated
// encoder is written once: size_counter measures, wire_writer fills a buffer of
// exactly that size. Both carry a sticky error like wire_reader. Both can also leave
// large byte runs out of the buffer (gathering), for a caller that writes the pieces
// with one vectored write instead of copying record batches (encode_gathered).

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/uuid.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace kafkit::protocol {

/// A byte run that an encoder left out of its buffer: on the wire it comes right before
/// the buffer's byte at `position`.
struct gathered_bytes {
    std::size_t position = 0;
    bytes_view bytes;
};

/// Bytes needed for `v` as an unsigned LEB128 varint.
constexpr std::size_t uvarint_size(std::uint64_t v) noexcept {
    std::size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}
constexpr std::uint64_t zigzag(std::int64_t v) noexcept {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

/// Shared by both sinks: the length-prefixed encodings expressed with the primitives.
template <class Sink>
class wire_sink_base {
public:
    [[nodiscard]] bool ok() const noexcept { return !error_; }
    [[nodiscard]] std::error_code error() const noexcept { return error_; }
    void fail(errc e) noexcept {
        if (!error_) error_ = make_error_code(e);
    }

    void write_varint(std::int32_t v) noexcept { self().write_uvarint(zigzag(v)); }
    void write_varlong(std::int64_t v) noexcept { self().write_uvarint(zigzag(v)); }
    void write_bool(bool v) noexcept { self().write_int8(v ? 1 : 0); }

    /// Length prefix of a string (wide=false), bytes or array (wide=true); -1 is null.
    void write_length(std::int64_t n, bool compact, bool wide) noexcept {
        if (compact) {
            self().write_uvarint(static_cast<std::uint64_t>(n + 1));
        } else if (wide) {
            self().write_int32(static_cast<std::int32_t>(n));
        } else {
            self().write_int16(static_cast<std::int16_t>(n));
        }
    }
    void write_string(std::string_view s, bool compact) noexcept {
        if (!compact && s.size() > INT16_MAX) {
            fail(errc::invalid_field_value);
            return;
        }
        write_length(static_cast<std::int64_t>(s.size()), compact, false);
        self().write_raw(bytes_view::of(s));
    }
    void write_nullable_string(const std::optional<std::string>& s, bool compact) noexcept {
        if (s) {
            write_string(*s, compact);
        } else {
            write_length(-1, compact, false);
        }
    }
    void write_bytes(bytes_view b, bool compact) noexcept {
        write_length(static_cast<std::int64_t>(b.size()), compact, true);
        self().write_raw(b);
    }
    void write_nullable_bytes(const std::optional<bytes_view>& b, bool compact) noexcept {
        if (b) {
            write_bytes(*b, compact);
        } else {
            write_length(-1, compact, true);
        }
    }

protected:
    std::error_code error_;

private:
    Sink& self() noexcept { return static_cast<Sink&>(*this); }
};

/// Counts the bytes an encoder would write.
class size_counter : public wire_sink_base<size_counter> {
public:
    size_counter() = default;
    /// Also counts, in gathered_size(), the bytes of raw runs of at least `gather_from`
    /// bytes (0: none), which a gathering wire_writer leaves out of its buffer.
    explicit size_counter(std::size_t gather_from) noexcept : gather_from_(gather_from) {}

    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::size_t gathered_size() const noexcept { return gathered_; }

    void write_int8(std::int8_t) noexcept { size_ += 1; }
    void write_int16(std::int16_t) noexcept { size_ += 2; }
    void write_int32(std::int32_t) noexcept { size_ += 4; }
    void write_int64(std::int64_t) noexcept { size_ += 8; }
    void write_uint16(std::uint16_t) noexcept { size_ += 2; }
    void write_uint32(std::uint32_t) noexcept { size_ += 4; }
    void write_float64(double) noexcept { size_ += 8; }
    void write_uuid(const uuid&) noexcept { size_ += 16; }
    void write_uvarint(std::uint64_t v) noexcept { size_ += uvarint_size(v); }
    void write_raw(bytes_view b) noexcept {
        size_ += b.size();
        if (gather_from_ != 0 && b.size() >= gather_from_) gathered_ += b.size();
    }

private:
    std::size_t size_ = 0;
    std::size_t gather_from_ = 0;
    std::size_t gathered_ = 0;
};

/// Writes big-endian primitives into a caller-sized region; fails instead of overrunning it.
class wire_writer : public wire_sink_base<wire_writer> {
public:
    wire_writer(std::uint8_t* out, std::size_t capacity) noexcept
        : begin_(out), pos_(out), end_(out + capacity) {}

    /// From now on raw runs of at least `from` bytes are not copied but noted in `into`,
    /// their positions counted from `base` (where this writer's buffer starts in the
    /// caller's). The viewed bytes must outlive the caller's use of them.
    void gather(std::size_t from, std::vector<gathered_bytes>& into, std::size_t base) noexcept {
        gather_from_ = from;
        gathered_ = &into;
        base_ = base;
    }

    [[nodiscard]] std::size_t written() const noexcept { return static_cast<std::size_t>(pos_ - begin_); }

    void write_int8(std::int8_t v) noexcept { put(static_cast<std::uint8_t>(v)); }
    void write_int16(std::int16_t v) noexcept { put(static_cast<std::uint16_t>(v)); }
    void write_int32(std::int32_t v) noexcept { put(static_cast<std::uint32_t>(v)); }
    void write_int64(std::int64_t v) noexcept { put(static_cast<std::uint64_t>(v)); }
    void write_uint16(std::uint16_t v) noexcept { put(v); }
    void write_uint32(std::uint32_t v) noexcept { put(v); }
    void write_float64(double v) noexcept { put(std::bit_cast<std::uint64_t>(v)); }
    void write_uuid(const uuid& id) noexcept { write_raw({id.bytes.data(), id.bytes.size()}); }
    void write_uvarint(std::uint64_t v) noexcept {
        if (!room(uvarint_size(v))) return;
        while (v >= 0x80) {
            *pos_++ = static_cast<std::uint8_t>(v | 0x80);
            v >>= 7;
        }
        *pos_++ = static_cast<std::uint8_t>(v);
    }
    void write_raw(bytes_view b) noexcept {
        if (gathered_ != nullptr && b.size() >= gather_from_ && !b.empty()) {
            gathered_->push_back({base_ + written(), b});
            return;
        }
        if (b.empty() || !room(b.size())) return;
        std::memcpy(pos_, b.data(), b.size());
        pos_ += b.size();
    }

private:
    bool room(std::size_t n) noexcept {
        if (static_cast<std::size_t>(end_ - pos_) < n) {
            fail(errc::too_large);
            return false;
        }
        return true;
    }
    template <class U>
    void put(U v) noexcept {
        if (!room(sizeof(U))) return;
        if constexpr (std::endian::native == std::endian::little && sizeof(U) > 1) {
            if constexpr (sizeof(U) == 2) v = __builtin_bswap16(v);
            if constexpr (sizeof(U) == 4) v = __builtin_bswap32(v);
            if constexpr (sizeof(U) == 8) v = __builtin_bswap64(v);
        }
        std::memcpy(pos_, &v, sizeof(U));
        pos_ += sizeof(U);
    }

    std::uint8_t* begin_;
    std::uint8_t* pos_;
    std::uint8_t* end_;
    std::vector<gathered_bytes>* gathered_ = nullptr;
    std::size_t gather_from_ = 0;
    std::size_t base_ = 0;
};

} // namespace kafkit::protocol
