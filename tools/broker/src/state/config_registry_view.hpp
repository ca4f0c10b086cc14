#pragma once
// Config values as DescribeConfigs (and CreateTopics v5+) report them: the value a topic or
// broker runs with, where it comes from, and its synonyms in Kafka's order (KIP-226):
// the topic override, then this broker's dynamic config, the cluster-wide dynamic default,
// the static start-up config, and Kafka's default.

#include "kafkit/broker/broker_config.hpp"
#include "state/broker_node.hpp"
#include "state/config_registry.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::broker {

class broker_state;

/// One synonym of a reported config.
struct described_synonym {
    std::string name;
    std::optional<std::string> value; ///< null for sensitive configs
    config_source source = config_source::default_config;
};

/// One reported config.
struct described_config {
    std::string name;
    std::optional<std::string> value; ///< null when unset or sensitive
    config_source source = config_source::default_config;
    bool read_only = false;
    bool sensitive = false;
    config_type type = config_type::unknown;
    std::string_view doc;
    std::vector<described_synonym> synonyms; ///< all of them; the caller drops them if not asked
};

/// The broker config layers one node runs with, highest precedence first.
struct broker_config_layers {
    std::map<std::string, std::string> per_broker;      ///< dynamic, this node
    std::map<std::string, std::string> cluster_default; ///< dynamic, resource name ""
    std::map<std::string, std::string> static_props;    ///< from the start-up config

    /// Whether any layer sets `name`.
    [[nodiscard]] bool is_set(std::string_view name) const;
    /// The value `name` has: the highest layer that sets it, else Kafka's default (nullopt
    /// when that is null or the name is unknown).
    [[nodiscard]] std::optional<std::string> value(std::string_view name) const;
};

/// The start-up config as Kafka properties: node identity and listeners, log.dirs, and each
/// setting that differs from Kafka's default. `node` may be null (no node identity then).
std::map<std::string, std::string> static_broker_properties(const broker_config& config, const broker_node* node);

/// The layers of node `node_id` (its own dynamic configs, the cluster default, its static
/// config). An unknown node id gets no per-broker layer.
broker_config_layers config_layers(broker_state& state, std::int32_t node_id);

/// The name DescribeLogDirs and log.dirs report: the data dir, absolute, or "/memory" for
/// the in-memory broker.
std::string log_dir_name(const broker_config& config);

/// The value topic config `def` has with `overrides`: the override (as Kafka prints it),
/// else the first broker synonym set in `layers` (scaled to the topic's unit), else the
/// synonyms' defaults, else the topic default.
std::optional<std::string> topic_config_value(const broker_config_layers& layers,
                                              const std::map<std::string, std::string>& overrides,
                                              const config_def& def);

/// Every topic config, sorted by name, for a topic with `overrides`.
std::vector<described_config> describe_topic_configs(const broker_config_layers& layers,
                                                     const std::map<std::string, std::string>& overrides);

/// Broker configs. `per_broker`: every known config plus any custom dynamic one, as
/// node-level DescribeConfigs reports them; otherwise (resource name "") only the cluster
/// default dynamic configs, with only their DYNAMIC_DEFAULT_BROKER_CONFIG synonyms.
std::vector<described_config> describe_broker_configs(const broker_config_layers& layers, bool per_broker);

/// The log4j level name of a broker log level (0 debug .. 3 error; above: OFF).
std::string_view log_level_name(int level) noexcept;
/// The broker log level of a log4j level name (TRACE and ALL count as debug, FATAL as
/// error, OFF as 4: nothing); nullopt for a name log4j does not have.
std::optional<int> log_level_from_name(std::string_view name) noexcept;

} // namespace kafkit::broker
