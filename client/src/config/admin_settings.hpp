#pragma once
// The admin client's settings: the client-wide ones plus how long an operation may take.

#include "config/client_settings.hpp"

#include <chrono>

namespace kafkit::detail {

struct admin_settings {
    client_settings client;
    std::chrono::milliseconds default_api_timeout{60000}; ///< default.api.timeout.ms
};

/// Parses and validates `cfg` as an admin client's configuration. Throws kafkit::exception
/// (errc::invalid_config) naming the first bad property.
admin_settings parse_admin_settings(const config& cfg);

} // namespace kafkit::detail
