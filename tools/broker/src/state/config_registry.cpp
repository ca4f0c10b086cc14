// Parsing, checking and printing config values as Kafka's ConfigDef does, so that what
// clients read back and the errors they get match a Java broker's.

#include "state/config_registry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

namespace kafkit::broker {

std::string_view trim_config_text(std::string_view text) noexcept {
    // Java's trim() drops every char <= ' '.
    while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
    while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
    return text;
}

std::optional<std::int64_t> parse_java_long(std::string_view text) noexcept {
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
        if (!text.empty() && (text.front() == '-' || text.front() == '+')) return std::nullopt;
    }
    if (text.empty()) return std::nullopt;
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc{} || ptr != end) return std::nullopt;
    return value;
}

namespace {

/// Java's Double.toString: plain notation in [1e-3, 1e7), else "d.dddE±n".
std::string java_double_string(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    char buf[64];
    const double magnitude = std::fabs(d);
    if (magnitude == 0.0 || (magnitude >= 1e-3 && magnitude < 1e7)) {
        auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
        std::string out(buf, ptr);
        if (out.find('.') == std::string::npos) out += ".0";
        return out;
    }
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string text(buf, ptr);
    const auto e = text.find('e');
    std::string mantissa = text.substr(0, e);
    if (mantissa.find('.') == std::string::npos) mantissa += ".0";
    std::string exponent = text.substr(e + 1);
    if (!exponent.empty() && exponent.front() == '+') exponent.erase(0, 1);
    const bool negative = !exponent.empty() && exponent.front() == '-';
    if (negative) exponent.erase(0, 1);
    exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
    return mantissa + "E" + (negative ? "-" : "") + exponent;
}

std::optional<double> parse_java_double(std::string_view text) {
    std::string s(text);
    if (!s.empty() && (s.back() == 'd' || s.back() == 'D' || s.back() == 'f' || s.back() == 'F')) s.pop_back();
    if (s.empty() || static_cast<unsigned char>(s.front()) <= ' ') return std::nullopt;
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity" || s == "+Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    if (s.find_first_of("iInN") != std::string::npos) return std::nullopt; // Java spells these out
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return std::nullopt;
    return v;
}

/// ConfigDef's LIST parsing: an empty (trimmed) value is the empty list, else the value is
/// split on commas with the whitespace around them removed; empty elements are kept.
std::vector<std::string> split_list(std::string_view trimmed) {
    std::vector<std::string> out;
    if (trimmed.empty()) return out;
    std::size_t start = 0;
    while (true) {
        const auto comma = trimmed.find(',', start);
        out.emplace_back(trim_config_text(trimmed.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return out;
}

std::string integral_text(double v) { return std::to_string(static_cast<long long>(v)); }

std::string invalid(const config_def& def, std::string_view value, std::string_view why) {
    return "Invalid value " + std::string(value) + " for configuration " + std::string(def.name) + ": " +
           std::string(why);
}

std::string join(std::span<const std::string_view> values, std::string_view separator) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += separator;
        out += v;
    }
    return out;
}

/// ConfigDef.Range on a parsed number; `shown` is how Java prints it.
std::string range_error(const config_def& def, double value, const std::string& shown) {
    if (def.min && value < *def.min) return invalid(def, shown, "Value must be at least " + integral_text(*def.min));
    if (def.max && value > *def.max) return invalid(def, shown, "Value must be no more than " + integral_text(*def.max));
    return {};
}

bool is_format_version(std::string_view v) {
    // MetadataVersion names: "0.8.0" ... "2.8", "3.0-IV1" ... "3.9-IV0", or a release "3.7".
    const auto dash = v.find('-');
    std::string_view release = v.substr(0, dash);
    if (dash != std::string_view::npos) {
        const auto iv = v.substr(dash + 1);
        if (iv.size() < 3 || iv.substr(0, 2) != "IV" || !parse_java_long(iv.substr(2))) return false;
    }
    int parts = 0;
    std::size_t start = 0;
    while (start <= release.size()) {
        const auto dot = release.find('.', start);
        const auto part = release.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (part.empty() || part.find_first_not_of("0123456789") != std::string_view::npos) return false;
        ++parts;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    const int major = release.empty() ? -1 : release.front() - '0';
    return parts >= 2 && parts <= 3 && major >= 0 && major <= 3;
}

std::string list_error(const config_def& def, const std::vector<std::string>& items) {
    if (def.check == config_check::list_of) {
        for (const auto& item : items)
            if (std::find(def.choices.begin(), def.choices.end(), item) == def.choices.end())
                return invalid(def, item, "String must be one of: " + join(def.choices, ", "));
    }
    if (def.check == config_check::throttled_replicas) {
        std::string joined;
        bool pairs = true;
        for (const auto& item : items) {
            joined += item;
            const auto colon = item.find(':');
            const bool ok = item.empty() || (colon != std::string::npos && colon > 0 && colon + 1 < item.size() &&
                                             item.find_first_not_of("0123456789:") == std::string::npos &&
                                             item.find(':', colon + 1) == std::string::npos);
            pairs = pairs && ok;
        }
        if (!pairs && joined != "*") {
            std::string shown = "[";
            for (std::size_t i = 0; i < items.size(); ++i) shown += (i ? ", " : "") + items[i];
            shown += "]";
            return invalid(def, shown,
                           std::string(def.name) +
                               " must be the literal '*' or a list of replicas in the following format: "
                               "[partitionId]:[brokerId],[partitionId]:[brokerId],...");
        }
    }
    return {};
}

} // namespace

std::string config_value_error(const config_def& def, std::string_view raw) {
    const auto trimmed = trim_config_text(raw);
    switch (def.type) {
    case config_type::boolean: {
        std::string lower(trimmed);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lower != "true" && lower != "false") return invalid(def, raw, "Expected value to be either true or false");
        return {};
    }
    case config_type::int16:
    case config_type::int32:
    case config_type::int64: {
        const auto v = parse_java_long(trimmed);
        const auto lo = def.type == config_type::int16   ? std::numeric_limits<std::int16_t>::min()
                        : def.type == config_type::int32 ? std::numeric_limits<std::int32_t>::min()
                                                         : std::numeric_limits<std::int64_t>::min();
        const auto hi = def.type == config_type::int16   ? std::numeric_limits<std::int16_t>::max()
                        : def.type == config_type::int32 ? std::numeric_limits<std::int32_t>::max()
                                                         : std::numeric_limits<std::int64_t>::max();
        if (!v || *v < lo || *v > hi) {
            const char* type_name = def.type == config_type::int16 ? "SHORT" : def.type == config_type::int32 ? "INT" : "LONG";
            return invalid(def, raw, std::string("Not a number of type ") + type_name);
        }
        if (def.check == config_check::gzip_level && (*v > 9 || (*v < 1 && *v != -1)))
            return invalid(def, std::to_string(*v), "Value must be between 1 and 9 or equal to -1");
        if (def.check == config_check::range) return range_error(def, static_cast<double>(*v), std::to_string(*v));
        return {};
    }
    case config_type::float64: {
        const auto v = parse_java_double(trimmed);
        if (!v) return invalid(def, raw, "Not a number of type DOUBLE");
        if (def.check == config_check::range) return range_error(def, *v, java_double_string(*v));
        return {};
    }
    case config_type::list:
        return list_error(def, split_list(trimmed));
    case config_type::string:
        if (def.check == config_check::one_of &&
            std::find(def.choices.begin(), def.choices.end(), trimmed) == def.choices.end())
            return invalid(def, trimmed, "String must be one of: " + join(def.choices, ", "));
        if (def.check == config_check::format_version && !is_format_version(trimmed))
            return invalid(def, trimmed, "Version " + std::string(trimmed) + " is not a valid version");
        return {};
    default:
        return {};
    }
}

std::string canonical_config_value(const config_def& def, std::string_view raw) {
    const auto trimmed = trim_config_text(raw);
    switch (def.type) {
    case config_type::boolean: {
        std::string lower(trimmed);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        return lower;
    }
    case config_type::int16:
    case config_type::int32:
    case config_type::int64:
        if (auto v = parse_java_long(trimmed)) return std::to_string(*v);
        return std::string(trimmed);
    case config_type::float64:
        if (auto v = parse_java_double(trimmed)) return java_double_string(*v);
        return std::string(trimmed);
    case config_type::list: {
        std::string out;
        const auto items = split_list(trimmed);
        for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
        return out;
    }
    case config_type::password:
    case config_type::class_name:
    case config_type::string:
        return std::string(trimmed);
    default:
        return std::string(raw);
    }
}

const config_def* find_topic_config_def(std::string_view name) noexcept {
    for (const auto& def : topic_config_defs())
        if (def.name == name) return &def;
    return nullptr;
}

const config_def* find_broker_config_def(std::string_view name) noexcept {
    for (const auto& def : broker_config_defs())
        if (def.name == name) return &def;
    return nullptr;
}

} // namespace kafkit::broker
