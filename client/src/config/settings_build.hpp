#pragma once
// The steps parse_client_settings and parse_producer_settings share: building the
// client-wide settings from resolved properties, logging what the config code decided,
// and turning a config_error into the one exception type.

#include "config/client_settings.hpp"
#include "config/config_result.hpp"
#include "config/property_values.hpp"
#include "kafkit/log.hpp"

#include <string>
#include <vector>

namespace kafkit::detail {

/// A line to log once the settings, and so log_level and the sink, are known.
struct config_note {
    log_level level = log_level::info;
    std::string text;
};

/// The client-wide settings from `values` (resolved for any client kind) and the sinks of
/// `cfg`. Errors: a security.protocol other than plaintext, bootstrap.servers missing,
/// empty or malformed. Adjustments made (a backoff ceiling raised to its base) go to `notes`.
[[nodiscard]] config_result<client_settings> build_client_settings(const config& cfg,
                                                                   const property_values& values,
                                                                   std::vector<config_note>& notes);

/// Sends the warnings of `values`, then `notes`, to the sink of `settings` (facility
/// "config"), dropping lines below its log_level.
void log_config_notes(const client_settings& settings, const property_values& values,
                      const std::vector<config_note>& notes);

/// Throws kafkit::exception(errc::invalid_config, error.message).
[[noreturn]] void throw_invalid_config(const config_error& error);

} // namespace kafkit::detail
