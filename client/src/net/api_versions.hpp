#pragma once
// Which version of each API a connection uses: the highest that both this client and the
// broker support (the broker's range comes from its ApiVersions response).

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace kafkit::detail {

/// A closed range of versions.
struct version_range {
    std::int16_t min = 0;
    std::int16_t max = -1; ///< max < min: not supported
    [[nodiscard]] bool empty() const noexcept { return max < min; }
};

/// The versions this client can speak for `api_key`: what the codec knows, narrowed to what
/// the client's logic handles (Produce from v3, the first with record batches v2).
/// Empty for APIs the client never sends.
[[nodiscard]] version_range client_versions(std::int16_t api_key) noexcept;

/// A broker's ranges, by API key.
class broker_api_versions {
public:
    static constexpr std::size_t max_keys = 128;

    /// Records the broker's range for `api_key` (keys beyond max_keys are ignored).
    void set(std::int16_t api_key, version_range range) noexcept;

    /// The broker's range for `api_key`; empty when it does not list the key.
    [[nodiscard]] version_range broker(std::int16_t api_key) const noexcept;

    /// The highest version in both `wanted` and the broker's range, or nullopt.
    [[nodiscard]] std::optional<std::int16_t> pick(std::int16_t api_key, version_range wanted) const noexcept;

private:
    std::array<version_range, max_keys> ranges_{};
};

} // namespace kafkit::detail
