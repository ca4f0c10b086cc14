// Resolving a config against the property table: librdkafka's rule for properties of the
// other client kind (validated, then ignored with a warning), failure for unknown names.

#include "config/property_values.hpp"

#include "config/property_table.hpp"

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace kafkit::detail {
namespace {

bool read_by(property_scope property, property_scope kind) noexcept {
    return property == property_scope::common || property == kind;
}

std::string_view client_noun(property_scope kind) noexcept {
    switch (kind) {
    case property_scope::producer: return "a producer";
    case property_scope::consumer: return "a consumer";
    case property_scope::admin: return "an admin client";
    case property_scope::common: break;
    }
    return "this client";
}

std::string ignored_warning(std::string_view spelled, property_scope property,
                            property_scope kind) {
    std::string line(spelled);
    line += ": a ";
    line += to_string(property);
    line += " property, ignored by ";
    line += client_noun(kind);
    return line;
}

config_result<void> add_defaults(std::map<std::string_view, resolved_property, std::less<>>& rows,
                                 property_scope kind) {
    for (const auto& info : config_properties()) {
        if (!read_by(info.scope, kind)) continue;
        auto value = parse_property_value(info, info.name, info.default_value);
        if (!value)
            return config_fail(
                info.name, concat({"the table's default does not parse: ", value.error().message}));
        rows.emplace(info.name,
                     resolved_property{&info, std::move(value).value(), std::string(info.name),
                                       std::string(info.default_value), false});
    }
    return {};
}

} // namespace

const resolved_property& property_values::at(std::string_view name) const {
    auto it = rows_.find(name);
    if (it == rows_.end()) {
        // Only kafkit's own code asks by name, so this is a bug every test run would hit.
        std::fprintf(stderr, "kafkit: the settings read '%.*s', which this client kind lacks\n",
                     static_cast<int>(name.size()), name.data());
        std::abort();
    }
    return it->second;
}

bool property_values::boolean(std::string_view name) const {
    return std::get<bool>(at(name).value);
}

std::int64_t property_values::integer(std::string_view name) const {
    return std::get<std::int64_t>(at(name).value);
}

const std::string& property_values::string(std::string_view name) const {
    return std::get<std::string>(at(name).value);
}

const std::vector<std::string>& property_values::list(std::string_view name) const {
    return std::get<std::vector<std::string>>(at(name).value);
}

std::vector<std::int64_t> property_values::choice_list(std::string_view name) const {
    const auto& row = at(name);
    std::vector<std::int64_t> out;
    // parse_list stored each item in the table's spelling, so the names compare exactly.
    for (const auto& item : std::get<std::vector<std::string>>(row.value)) {
        for (const auto& c : row.info->choices) {
            if (c.name != item) continue;
            out.push_back(c.value);
            break;
        }
    }
    return out;
}

config_result<property_values> resolve_properties(const config& cfg, property_scope kind) {
    property_values out;
    if (auto defaults = add_defaults(out.rows_, kind); !defaults) return defaults.error();
    for (const auto& [name, text] : cfg.values()) {
        const auto match = match_property(name);
        if (match.info == nullptr) return config_fail(name, "unknown property");
        auto value = parse_property_value(*match.info, name, text, match.scale);
        if (!value) return value.error();
        if (!read_by(match.info->scope, kind)) {
            out.warnings_.push_back(ignored_warning(name, match.info->scope, kind));
            continue;
        }
        auto& row = out.rows_.at(match.info->name);
        if (row.is_set) {
            // The same property under its name and an alias: fine when they agree.
            if (row.value == value.value()) continue;
            return config_fail(row.spelled,
                               concat({"set again as ", name, " with a different value (", row.text,
                                       " and ", trim_blanks(text), "); set only one"}));
        }
        row = resolved_property{match.info, std::move(value).value(), name,
                                std::string(trim_blanks(text)), true};
    }
    return out;
}

} // namespace kafkit::detail
