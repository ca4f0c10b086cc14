#pragma once
// A config resolved against the property table for one kind of client: every property that
// kind reads, parsed, from the config where it was set and from the table's default
// otherwise, plus the warnings to log once the logger exists.

#include "config/config_result.hpp"
#include "config/property_value.hpp"
#include "kafkit/config.hpp"
#include "kafkit/config_properties.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::detail {

/// One property's value and where it came from.
struct resolved_property {
    const property_info* info = nullptr;
    property_value value;
    std::string spelled; ///< the name the config used, or the property's own for a default
    std::string text;    ///< the text as given (trimmed), or the table's default
    bool is_set = false; ///< true when the config set it (under its name or an alias)
};

/// The parsed properties of a client. Getters take the property's own name (not an alias)
/// and the type the table gives it; a name the table lacks is a bug in kafkit and aborts.
class property_values {
public:
    /// True when the config set the property (under any of its names).
    [[nodiscard]] bool is_set(std::string_view name) const { return at(name).is_set; }
    /// The name to put in an error message: the user's spelling, or the property's own.
    [[nodiscard]] std::string_view spelled(std::string_view name) const { return at(name).spelled; }
    /// The value's text as the user wrote it (or the default), for messages.
    [[nodiscard]] std::string_view text(std::string_view name) const { return at(name).text; }

    [[nodiscard]] bool boolean(std::string_view name) const;
    /// Integers, durations in ms, and the value of a choice.
    [[nodiscard]] std::int64_t integer(std::string_view name) const;
    /// An int32 property (the table bounds it to 32 bits).
    [[nodiscard]] std::int32_t int32(std::string_view name) const {
        return static_cast<std::int32_t>(integer(name));
    }
    [[nodiscard]] std::chrono::milliseconds duration(std::string_view name) const {
        return std::chrono::milliseconds(integer(name));
    }
    [[nodiscard]] const std::string& string(std::string_view name) const;
    [[nodiscard]] const std::vector<std::string>& list(std::string_view name) const;
    /// The values of a list's items, for a list with choices, in the order given.
    [[nodiscard]] std::vector<std::int64_t> choice_list(std::string_view name) const;

    /// Lines to log at warning level (properties of another kind of client, ignored).
    [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return warnings_; }

private:
    friend config_result<property_values> resolve_properties(const config& cfg,
                                                             property_scope kind);
    [[nodiscard]] const resolved_property& at(std::string_view name) const;

    std::map<std::string_view, resolved_property, std::less<>> rows_; // by property name
    std::vector<std::string> warnings_;
};

/// Parses every property set in `cfg` for a client of `kind` (producer, consumer or
/// admin) over the table's defaults. Errors: a name that is no property or alias
/// ("lingr.ms: unknown property"), a value that does not parse or is out of range, a
/// property set under two names with different values. A property of another kind is
/// validated the same way, then left out with a warning.
[[nodiscard]] config_result<property_values> resolve_properties(const config& cfg,
                                                                property_scope kind);

} // namespace kafkit::detail
