#pragma once
// Rendering the property table as docs/configuration.md.

#include "kafkit/config_properties.hpp"

#include <span>
#include <string>

namespace kafkit::configdoc {

/// The whole configuration reference in Markdown: how values are written, the rules
/// between properties, then one table per scope (common, producer, consumer, admin).
[[nodiscard]] std::string render_markdown(std::span<const property_info> properties);

} // namespace kafkit::configdoc
