#pragma once
// Lookup in the property table (property_table.cpp), which kafkit::config_properties()
// exposes; nothing else lists properties.

#include "kafkit/config_properties.hpp"

#include <cstdint>
#include <string_view>

namespace kafkit::detail {

/// A name found in the table: the property and how a value under that name converts.
struct property_match {
    const property_info* info = nullptr; ///< nullptr: no property has this name or alias
    std::int64_t scale = 1;              ///< the alias's scale; 1 for the property's own name
};

/// Looks `name` up among the names and aliases of every property (case-sensitive).
[[nodiscard]] property_match match_property(std::string_view name) noexcept;

} // namespace kafkit::detail
