#pragma once
// A read-only view of kafkit's property table: every configuration property a client
// accepts, with its type, default, range, aliases and a one-line description. The same
// table validates a kafkit::config when a client is built and generates
// docs/configuration.md; tools read it here to print `--help` or complete names.

#include <cstdint>
#include <span>
#include <string_view>

namespace kafkit {

/// How a property's value is written and parsed.
enum class property_type {
    boolean,     ///< `true` or `false`, case-insensitive
    int32,       ///< a decimal integer in [min, max]
    int64,       ///< a decimal integer in [min, max], wider than 32 bits
    duration_ms, ///< a decimal number of milliseconds in [min, max]
    string,      ///< any text (surrounding blanks are trimmed)
    list,        ///< comma-separated items, blanks and empty items dropped
    choice,      ///< one of `choices`, case-insensitive
};

/// Which kind of client reads a property. A client given a property of another kind
/// validates its value, then ignores it with a warning (as librdkafka does).
enum class property_scope {
    common,   ///< every client
    producer, ///< kafkit::producer
    consumer, ///< the consumer (validated now; the consumer itself comes later)
    admin,    ///< the admin client
};

/// How often a user needs to think about a property, as Kafka's documentation ranks them.
enum class property_importance { high, medium, low };

/// Another name a property answers to, usually librdkafka's (`queue.buffering.max.ms` for
/// `linger.ms`). A value given under the alias is multiplied by `scale` first
/// (`queue.buffering.max.kbytes` is in KiB, `buffer.memory` in bytes).
struct property_alias {
    std::string_view name;  ///< the alias as a user writes it
    std::int64_t scale = 1; ///< the property's value is the alias's value times this
};

/// One accepted spelling of a choice and the number it stands for (`acks`: "all" and "-1"
/// are both -1). Several spellings may share a value.
struct property_choice {
    std::string_view name; ///< as written in a config (matched case-insensitively)
    std::int64_t value;    ///< what the spelling means
};

/// One row of the property table. Views into static storage: valid for the whole program.
struct property_info {
    std::string_view name{};                    ///< Kafka's name (`linger.ms`), the key in a config
    property_type type = property_type::string; ///< how the value is parsed
    property_scope scope = property_scope::common;                ///< which clients read it
    property_importance importance = property_importance::medium; ///< rank in the docs
    std::string_view default_value{}; ///< the default as a user would write it; empty: none
    std::int64_t min = 0;             ///< smallest value (integer and duration types)
    std::int64_t max = 0;             ///< largest value (integer and duration types)
    std::span<const property_choice> choices{}; ///< accepted spellings (choice; list items if set)
    std::span<const property_alias> aliases{};  ///< other names for the property
    std::string_view doc{};                     ///< one line of documentation
};

/// Every property, common ones first, then producer, consumer and admin ones; within a
/// scope in the order docs/configuration.md lists them.
[[nodiscard]] std::span<const property_info> config_properties() noexcept;

/// The property called `name` or having `name` as an alias (names are case-sensitive, as
/// in Kafka), or nullptr when there is none.
[[nodiscard]] const property_info* find_config_property(std::string_view name) noexcept;

/// The type's name as the docs print it ("bool", "int", "long", "duration (ms)", "string",
/// "list", "enum").
[[nodiscard]] std::string_view to_string(property_type type) noexcept;

/// "common", "producer", "consumer" or "admin".
[[nodiscard]] std::string_view to_string(property_scope scope) noexcept;

/// "high", "medium" or "low".
[[nodiscard]] std::string_view to_string(property_importance importance) noexcept;

} // namespace kafkit
