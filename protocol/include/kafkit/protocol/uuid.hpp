#pragma once
// Kafka's 128-bit UUID (topic ids, directory ids), as 16 bytes in network order.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kafkit::protocol {

/// A Kafka UUID. The all-zero value is Kafka's "no id" (Uuid.ZERO_UUID).
struct uuid {
    std::array<std::uint8_t, 16> bytes{};

    [[nodiscard]] bool is_zero() const noexcept;
    /// Kafka's text form: URL-safe base64 without padding (22 characters).
    [[nodiscard]] std::string to_string() const;
    /// Parses the text form; nullopt when it is not 22 base64url characters of 16 bytes.
    static std::optional<uuid> from_string(std::string_view text);

    friend bool operator==(const uuid&, const uuid&) = default;
    friend auto operator<=>(const uuid&, const uuid&) = default; ///< byte order, for sorted containers
};

} // namespace kafkit::protocol
