#pragma once
// The APIs the broker serves, with the versions it advertises in ApiVersions, and the
// dispatch of a request frame to its handler.

#include "server/request_context.hpp"

#include <cstdint>
#include <span>

namespace kafkit::broker {

/// One served API.
struct served_api {
    std::int16_t key;
    std::int16_t min_version;
    std::int16_t max_version;
    request_handler handler;
};

/// The served APIs in key order (only those with a handler).
std::span<const served_api> served_apis() noexcept;

/// The served API with this key, or nullptr.
const served_api* find_served_api(std::int16_t key) noexcept;

} // namespace kafkit::broker
