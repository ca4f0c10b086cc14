#pragma once
// Configuration of topics, brokers, broker loggers, client metrics and groups, as the
// admin client describes and alters it (DescribeConfigs, IncrementalAlterConfigs).

#include "kafkit/admin/call_options.hpp"

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::admin {

/// What a configuration belongs to (Kafka's ConfigResource.Type codes).
enum class config_resource_type : std::int8_t {
    unknown = 0,
    topic = 2,
    broker = 4,
    broker_logger = 8,
    client_metrics = 16,
    group = 32,
};

/// A broker is named by its id ("1"), the cluster-wide broker default by "".
struct config_resource {
    config_resource_type type = config_resource_type::unknown;
    std::string name;

    friend auto operator<=>(const config_resource&, const config_resource&) = default;
    friend bool operator==(const config_resource&, const config_resource&) = default;
};

/// Where a value comes from (KIP-226's ConfigSource codes).
enum class config_source : std::int8_t {
    unknown = 0,
    dynamic_topic_config = 1,
    dynamic_broker_config = 2,
    dynamic_default_broker_config = 3,
    static_broker_config = 4,
    default_config = 5,
    dynamic_broker_logger_config = 6,
    client_metrics_config = 7,
    group_config = 8,
};

/// A value's type (DescribeConfigs v3+).
enum class config_type : std::int8_t {
    unknown = 0,
    boolean = 1,
    string = 2,
    int_ = 3,
    short_ = 4,
    long_ = 5,
    double_ = 6,
    list = 7,
    class_ = 8,
    password = 9,
};

struct config_synonym {
    std::string name;
    std::optional<std::string> value;
    config_source source = config_source::unknown;
};

struct config_entry {
    std::string name;
    std::optional<std::string> value; ///< none for sensitive values and unset ones
    config_source source = config_source::unknown;
    bool is_default = false; ///< source is default_config
    bool is_sensitive = false;
    bool is_read_only = false;
    config_type type = config_type::unknown;
    std::vector<config_synonym> synonyms; ///< when asked for, most specific first
    std::optional<std::string> documentation; ///< when asked for
};

struct describe_configs_options : call_options {
    bool include_synonyms = false;
    bool include_documentation = false;
};

/// One change of IncrementalAlterConfigs: set a value, delete it (back to its default),
/// or append to / subtract from a list value.
struct alter_config_op {
    enum class kind : std::int8_t { set = 0, delete_ = 1, append = 2, subtract = 3 };
    std::string name;
    std::optional<std::string> value; ///< unused for delete_
    kind op = kind::set;
};

struct alter_configs_options : call_options {
    bool validate_only = false;
};

} // namespace kafkit::admin
