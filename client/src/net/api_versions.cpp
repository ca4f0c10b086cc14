#include "net/api_versions.hpp"

#include "kafkit/protocol/messages/api_table.hpp"

#include <algorithm>

namespace kafkit::detail {

version_range client_versions(std::int16_t api_key) noexcept {
    const auto* api = protocol::find_api(api_key);
    if (api == nullptr) return {};
    version_range range{api->min_version, api->max_version};
    switch (api_key) {
    case 0: range.min = 3; break;  // Produce: record batches (magic 2) start at v3
    case 1: range.min = 4; break;  // Fetch: v4 adds isolation level and record batches
    case 3: range.min = 1; break;  // Metadata: v0 cannot ask for "no topics"
    default: break;
    }
    return range;
}

void broker_api_versions::set(std::int16_t api_key, version_range range) noexcept {
    if (api_key >= 0 && static_cast<std::size_t>(api_key) < max_keys) ranges_[static_cast<std::size_t>(api_key)] = range;
}

version_range broker_api_versions::broker(std::int16_t api_key) const noexcept {
    if (api_key < 0 || static_cast<std::size_t>(api_key) >= max_keys) return {};
    return ranges_[static_cast<std::size_t>(api_key)];
}

std::optional<std::int16_t> broker_api_versions::pick(std::int16_t api_key, version_range wanted) const noexcept {
    const auto theirs = broker(api_key);
    const auto lo = std::max(theirs.min, wanted.min);
    const auto hi = std::min(theirs.max, wanted.max);
    if (theirs.empty() || wanted.empty() || hi < lo) return std::nullopt;
    return hi;
}

} // namespace kafkit::detail
