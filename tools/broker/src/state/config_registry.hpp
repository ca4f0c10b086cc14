#pragma once
// The configs the broker knows, as Kafka 3.9 defines them: every topic config and the broker
// configs clients ask about, each with its type (Kafka's ConfigDef.Type), default, check,
// documentation, and (for topic configs) the broker configs it falls back to. Values are
// checked and rendered the way Kafka's ConfigDef parses and prints them, so error messages
// read like Kafka's ("Invalid value x for configuration y: Value must be at least 14").

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kafkit::broker {

/// Kafka's ConfigDef.Type, numbered as DescribeConfigs v3+ reports it (KIP-569).
enum class config_type : std::int8_t {
    unknown = 0,
    boolean = 1,
    string = 2,
    int32 = 3,
    int16 = 4,
    int64 = 5,
    float64 = 6,
    list = 7,
    class_name = 8,
    password = 9,
};

/// Where a reported value comes from (DescribeConfigsResponse ConfigSource, KIP-226).
enum class config_source : std::int8_t {
    unknown = 0,
    topic = 1,                  ///< TOPIC_CONFIG: an override set on the topic
    dynamic_broker = 2,         ///< DYNAMIC_BROKER_CONFIG: set on this broker at runtime
    dynamic_default_broker = 3, ///< DYNAMIC_DEFAULT_BROKER_CONFIG: cluster-wide, at runtime
    static_broker = 4,          ///< STATIC_BROKER_CONFIG: from the broker's start-up config
    default_config = 5,         ///< DEFAULT_CONFIG: Kafka's default
    dynamic_broker_logger = 6,  ///< DYNAMIC_BROKER_LOGGER_CONFIG: a log level
};

/// How a value is checked beyond being of its type.
enum class config_check : std::uint8_t {
    none,
    range,              ///< ConfigDef.Range: min and/or max
    one_of,             ///< ConfigDef.ValidString.in(choices)
    list_of,            ///< ConfigDef.ValidList.in(choices): every element one of choices
    throttled_replicas, ///< "*" or "partition:broker,..." (ThrottledReplicaListValidator)
    format_version,     ///< a Kafka version such as "3.0-IV1" (message.format.version)
    gzip_level,         ///< 1..9 or -1 (KIP-390)
};

/// A broker config a topic config falls back to when the topic has no override, with the
/// factor turning the broker value into the topic's unit (log.retention.hours -> ms).
struct config_synonym {
    std::string_view name;
    std::int64_t factor = 1;
};

/// One config definition. Built with the chained setters so tables stay readable.
struct config_def {
    std::string_view name;
    config_type type = config_type::string;
    std::optional<std::string_view> default_value; ///< nullopt: Kafka's default is null
    std::string_view doc;
    config_check check = config_check::none;
    std::optional<double> min;
    std::optional<double> max;
    std::span<const std::string_view> choices;
    /// Topic configs: the broker configs it falls back to, in Kafka's order of precedence
    /// (ServerTopicConfigSynonyms); empty when the topic config has no broker default.
    std::span<const config_synonym> synonyms;
    /// Broker configs: whether (Incremental)AlterConfigs may change it at runtime.
    bool dynamic = false;

    constexpr config_def(std::string_view n, config_type t, std::optional<std::string_view> def,
                         std::string_view documentation)
        : name(n), type(t), default_value(def), doc(documentation) {}

    /// ConfigDef.Range.atLeast.
    [[nodiscard]] constexpr config_def at_least(double lo) const {
        auto c = *this;
        c.check = config_check::range;
        c.min = lo;
        return c;
    }
    /// ConfigDef.Range.between.
    [[nodiscard]] constexpr config_def between(double lo, double hi) const {
        auto c = at_least(lo);
        c.max = hi;
        return c;
    }
    /// ValidString.in (or ValidList.in for list configs).
    [[nodiscard]] constexpr config_def one_of(std::span<const std::string_view> values) const {
        auto c = *this;
        c.check = type == config_type::list ? config_check::list_of : config_check::one_of;
        c.choices = values;
        return c;
    }
    /// Any other check.
    [[nodiscard]] constexpr config_def checked(config_check how) const {
        auto c = *this;
        c.check = how;
        return c;
    }
    /// The broker configs a topic config falls back to.
    [[nodiscard]] constexpr config_def falls_back_to(std::span<const config_synonym> names) const {
        auto c = *this;
        c.synonyms = names;
        return c;
    }
    /// Marks a broker config as changeable at runtime.
    [[nodiscard]] constexpr config_def dynamic_config() const {
        auto c = *this;
        c.dynamic = true;
        return c;
    }
};

/// Every topic config of Kafka 3.9, sorted by name.
std::span<const config_def> topic_config_defs() noexcept;
/// The topic config `name`, or null for a name Kafka does not know.
const config_def* find_topic_config_def(std::string_view name) noexcept;

/// The broker configs this broker reports (Kafka's names, types and defaults), sorted by
/// name: the ones it runs with, the topic configs' broker synonyms, and the usual read-only
/// ones clients ask about.
std::span<const config_def> broker_config_defs() noexcept;
/// The broker config `name`, or null when the broker does not know it.
const config_def* find_broker_config_def(std::string_view name) noexcept;
/// Kafka's synonyms of a broker config (DynamicBrokerConfig.brokerConfigSynonyms): the
/// group of names setting one value (log.retention.{ms,minutes,hours}), else just `name`.
std::span<const std::string_view> broker_config_synonym_group(std::string_view name) noexcept;

/// Parses `raw` as `def`'s type and runs its check. Returns Kafka's message for a value it
/// refuses ("Invalid value abc for configuration retention.ms: Not a number of type LONG"),
/// or an empty string.
std::string config_value_error(const config_def& def, std::string_view raw);

/// `raw` as Kafka prints the parsed value (ConfigDef.convertToString): trimmed, numbers
/// re-printed, booleans in lower case, list elements joined by ",". Assumes a valid value;
/// returns `raw` trimmed when it does not parse.
std::string canonical_config_value(const config_def& def, std::string_view raw);

/// Parses a whole decimal integer as Java's Long.parseLong does (leading '+' or '-',
/// nothing else); nullopt when it is not one or overflows.
std::optional<std::int64_t> parse_java_long(std::string_view text) noexcept;

/// `text` without leading and trailing whitespace (Java's String.trim()).
std::string_view trim_config_text(std::string_view text) noexcept;

} // namespace kafkit::broker
