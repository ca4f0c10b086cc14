#pragma once
// The steps the parse_*_settings functions share: building the client-wide settings from
// resolved properties, logging what the config code decided, and turning a config_error
// into the one exception type.

#include "config/client_settings.hpp"
#include "config/config_result.hpp"
#include "config/property_values.hpp"
#include "kafkit/log.hpp"

#include <string>
#include <utility>
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

/// What parse_producer_settings and parse_consumer_settings share: resolves `cfg` for a
/// client of `kind`, builds the client-wide part, lets `build(cfg, values, settings, notes)`
/// fill in the rest of a `Settings` (one with a `client` member), logs the notes, and
/// returns the settings. Throws kafkit::exception(errc::invalid_config) at the first error.
template <class Settings, class Build>
Settings parse_settings(const config& cfg, property_scope kind, Build build) {
    auto values = resolve_properties(cfg, kind);
    if (!values) throw_invalid_config(values.error());
    std::vector<config_note> notes;
    auto client = build_client_settings(cfg, values.value(), notes);
    if (!client) throw_invalid_config(client.error());
    Settings settings;
    settings.client = std::move(client).value();
    if (auto built = build(cfg, values.value(), settings, notes); !built)
        throw_invalid_config(built.error());
    log_config_notes(settings.client, values.value(), notes);
    return settings;
}

} // namespace kafkit::detail
