// Value syntax of the property table: decimal integers with range checks, true/false,
// choices matched case-insensitively (as librdkafka matches its enums), and lists.

#include "config/property_value.hpp"

#include <charconv>
#include <string>

namespace kafkit::detail {
namespace {

char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The alias's bounds in its own unit: the property's bounds divided by the scale, rounded
// inwards so that every accepted value, scaled, stays within the property's range.
std::int64_t scaled_min(std::int64_t min, std::int64_t scale) {
    return min >= 0 ? (min + scale - 1) / scale : min / scale;
}
std::int64_t scaled_max(std::int64_t max, std::int64_t scale) {
    return max >= 0 ? max / scale : (max - scale + 1) / scale;
}

config_result<property_value> parse_integer(const property_info& info, std::string_view spelled,
                                            std::string_view text, std::int64_t scale) {
    const std::int64_t min = scaled_min(info.min, scale);
    const std::int64_t max = scaled_max(info.max, scale);
    // Java's Integer.parseInt takes a leading '+'; from_chars does not.
    std::string_view digits = text.starts_with('+') ? text.substr(1) : text;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || end != digits.data() + digits.size() ||
        (ec != std::errc() && ec != std::errc::result_out_of_range)) {
        return config_fail(spelled, concat({"'", text, "' is not an integer"}));
    }
    const bool negative = digits.starts_with('-');
    if ((ec == std::errc::result_out_of_range && negative) || (ec == std::errc() && value < min)) {
        return config_fail(spelled, concat({text, " is below the minimum ", std::to_string(min)}));
    }
    if (ec == std::errc::result_out_of_range || value > max) {
        return config_fail(spelled, concat({text, " is above the maximum ", std::to_string(max)}));
    }
    return property_value(value * scale);
}

config_result<property_value> parse_boolean(std::string_view spelled, std::string_view text) {
    if (equals_ignoring_case(text, "true")) return property_value(true);
    if (equals_ignoring_case(text, "false")) return property_value(false);
    return config_fail(spelled, concat({"'", text, "' is not true or false"}));
}

const property_choice* find_choice(std::span<const property_choice> choices,
                                   std::string_view text) {
    for (const auto& c : choices) {
        if (equals_ignoring_case(c.name, text)) return &c;
    }
    return nullptr;
}

config_error not_a_choice(const property_info& info, std::string_view spelled,
                          std::string_view text) {
    return config_fail(spelled,
                       concat({"'", text, "' is not one of ", join_choice_names(info.choices)}));
}

config_result<property_value> parse_list(const property_info& info, std::string_view spelled,
                                         std::string_view text) {
    std::vector<std::string> items;
    while (true) {
        const auto comma = text.find(',');
        const auto item = trim_blanks(text.substr(0, comma));
        if (!item.empty()) {
            if (info.choices.empty()) {
                items.emplace_back(item);
            } else if (const auto* c = find_choice(info.choices, item)) {
                items.emplace_back(c->name);
            } else {
                return not_a_choice(info, spelled, item);
            }
        }
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return property_value(std::move(items));
}

} // namespace

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

std::string_view trim_blanks(std::string_view text) noexcept {
    constexpr std::string_view blanks = " \t\r\n";
    const auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

std::string join_choice_names(std::span<const property_choice> choices) {
    std::string names;
    for (const auto& c : choices) {
        if (!names.empty()) names += ", ";
        names += c.name;
    }
    return names;
}

config_result<property_value> parse_property_value(const property_info& info,
                                                   std::string_view spelled, std::string_view text,
                                                   std::int64_t scale) {
    text = trim_blanks(text);
    switch (info.type) {
    case property_type::boolean: return parse_boolean(spelled, text);
    case property_type::int32:
    case property_type::int64:
    case property_type::duration_ms: return parse_integer(info, spelled, text, scale);
    case property_type::string: return property_value(std::string(text));
    case property_type::list: return parse_list(info, spelled, text);
    case property_type::choice:
        if (const auto* c = find_choice(info.choices, text)) return property_value(c->value);
        return not_a_choice(info, spelled, text);
    }
    return config_fail(spelled, "has a type the table does not know");
}

} // namespace kafkit::detail
