#include "kafkit/protocol/uuid.hpp"

#include <algorithm>
#include <cstddef>

namespace kafkit::protocol {
namespace {

// Kafka's Uuid.toString is java.util.Base64.getUrlEncoder().withoutPadding(): RFC 4648 §5
// ("base64url"), so 16 bytes give 21 full sextets plus one holding the last 2 bits (22 chars).
constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t text_length = 22;

/// The 6-bit value of a base64url character, or -1 for any other character.
constexpr int sextet(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

} // namespace

bool uuid::is_zero() const noexcept {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

std::string uuid::to_string() const {
    std::string out;
    out.reserve(text_length);
    std::uint32_t bits = 0;
    int pending = 0; // bits in `bits` not yet written out
    for (const std::uint8_t byte : bytes) {
        bits = (bits << 8) | byte;
        pending += 8;
        while (pending >= 6) {
            pending -= 6;
            out.push_back(alphabet[(bits >> pending) & 0x3f]);
        }
    }
    // 128 = 21 * 6 + 2: the last character carries 2 data bits followed by 4 zero bits.
    if (pending > 0) out.push_back(alphabet[(bits << (6 - pending)) & 0x3f]);
    return out;
}

std::optional<uuid> uuid::from_string(std::string_view text) {
    if (text.size() != text_length) return std::nullopt;
    uuid result;
    std::size_t written = 0;
    std::uint32_t bits = 0;
    int pending = 0;
    for (const char c : text) {
        const int value = sextet(c);
        if (value < 0) return std::nullopt;
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        pending += 6;
        if (pending >= 8) {
            pending -= 8;
            result.bytes[written++] = static_cast<std::uint8_t>(bits >> pending);
        }
    }
    // 22 characters hold 132 bits: 16 bytes and 4 spare bits. Only the canonical form, whose
    // spare bits are zero, is accepted, so every accepted text round-trips unchanged.
    if ((bits & ((1u << pending) - 1)) != 0) return std::nullopt;
    return result;
}

} // namespace kafkit::protocol
