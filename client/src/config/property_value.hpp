#pragma once
// Parsing one property's text as the table says: Kafka's value syntax (decimal integers,
// true/false, comma-separated lists), ranges and choices, with errors naming the property.

#include "config/config_result.hpp"
#include "kafkit/config_properties.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kafkit::detail {

/// A parsed value: bool (boolean), int64 (int32, int64, duration_ms and the value of a
/// choice), string (string), or the items of a list (for a list with choices, each item
/// in the table's spelling).
using property_value = std::variant<bool, std::int64_t, std::string, std::vector<std::string>>;

/// Parses `text` for `info`. `spelled` is the name the user wrote (the property's or an
/// alias), used to start error messages; `scale` is that alias's scale: the text's integer
/// is range-checked in the alias's unit and stored times `scale`. Surrounding blanks are
/// ignored, as Java's ConfigDef trims. Errors: "<spelled>: -5 is below the minimum 0",
/// "'x' is not an integer", "'yes' is not true or false", "'lz5' is not one of ...".
[[nodiscard]] config_result<property_value> parse_property_value(const property_info& info,
                                                                 std::string_view spelled,
                                                                 std::string_view text,
                                                                 std::int64_t scale = 1);

/// True when `a` and `b` are equal but for the case of ASCII letters.
[[nodiscard]] bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept;

/// `text` without leading and trailing spaces, tabs and line breaks.
[[nodiscard]] std::string_view trim_blanks(std::string_view text) noexcept;

/// The choices' names joined by ", " ("none, gzip, snappy, lz4, zstd").
[[nodiscard]] std::string join_choice_names(std::span<const property_choice> choices);

} // namespace kafkit::detail
