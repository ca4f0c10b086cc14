// Resolving and reporting config values with Kafka's sources and synonyms (ConfigHelper in
// Kafka 3.9), and applying dynamic broker configs to the settings the broker acts on.

#include "state/config_registry_view.hpp"

#include "state/broker_state.hpp"

#include <algorithm>
#include <filesystem>

namespace kafkit::broker {

bool broker_config_layers::is_set(std::string_view name) const {
    const std::string key(name);
    return per_broker.count(key) || cluster_default.count(key) || static_props.count(key);
}

std::optional<std::string> broker_config_layers::value(std::string_view name) const {
    const std::string key(name);
    for (const auto* layer : {&per_broker, &cluster_default, &static_props})
        if (auto it = layer->find(key); it != layer->end()) return it->second;
    if (const auto* def = find_broker_config_def(name); def && def->default_value) return std::string(*def->default_value);
    return std::nullopt;
}

std::string log_dir_name(const broker_config& config) {
    if (!config.data_dir) return "/memory";
    std::error_code ec;
    auto absolute = std::filesystem::absolute(*config.data_dir, ec);
    return (ec ? *config.data_dir : absolute).lexically_normal().string();
}

std::map<std::string, std::string> static_broker_properties(const broker_config& c, const broker_node* node) {
    std::map<std::string, std::string> props;
    if (node) {
        props["node.id"] = props["broker.id"] = std::to_string(node->id);
        if (node->rack) props["broker.rack"] = *node->rack;
        props["listeners"] = props["advertised.listeners"] = "PLAINTEXT://" + node->host + ":" + std::to_string(node->port);
    }
    props["process.roles"] = "broker,controller";
    props["log.dirs"] = log_dir_name(c);
    // Kafka has no default for log.retention.ms (log.retention.hours=168 stands for it).
    if (c.log_retention_ms != 604800000) props["log.retention.ms"] = std::to_string(c.log_retention_ms);
    const std::pair<const char*, std::string> settings[] = {
        {"num.partitions", std::to_string(c.num_partitions)},
        {"default.replication.factor", std::to_string(c.default_replication_factor)},
        {"auto.create.topics.enable", c.auto_create_topics ? "true" : "false"},
        {"log.segment.bytes", std::to_string(c.log_segment_bytes)},
        {"log.retention.bytes", std::to_string(c.log_retention_bytes)},
        {"log.retention.check.interval.ms", std::to_string(c.log_retention_check_interval_ms)},
        {"message.max.bytes", std::to_string(c.message_max_bytes)},
        {"socket.request.max.bytes", std::to_string(c.socket_request_max_bytes)},
        {"group.initial.rebalance.delay.ms", std::to_string(c.group_initial_rebalance_delay_ms)},
        {"group.min.session.timeout.ms", std::to_string(c.group_min_session_timeout_ms)},
        {"group.max.session.timeout.ms", std::to_string(c.group_max_session_timeout_ms)},
        {"group.consumer.session.timeout.ms", std::to_string(c.group_consumer_session_timeout_ms)},
        {"group.consumer.heartbeat.interval.ms", std::to_string(c.group_consumer_heartbeat_interval_ms)},
        {"group.consumer.max.size", std::to_string(c.group_consumer_max_size)},
        {"offsets.retention.minutes", std::to_string(c.offsets_retention_minutes)},
        {"transactional.id.expiration.ms", std::to_string(c.transactional_id_expiration_ms)},
    };
    // A setting equal to Kafka's default is indistinguishable from an unset one here.
    for (const auto& [name, value] : settings) {
        const auto* def = find_broker_config_def(name);
        if (!def || !def->default_value || *def->default_value != value) props[name] = value;
    }
    return props;
}

broker_config_layers config_layers(broker_state& state, std::int32_t node_id) {
    broker_config_layers layers;
    const auto& dynamic = state.dynamic_broker_configs();
    if (auto it = dynamic.find(std::to_string(node_id)); it != dynamic.end()) layers.per_broker = it->second;
    if (auto it = dynamic.find(""); it != dynamic.end()) layers.cluster_default = it->second;
    const broker_node* node = nullptr;
    for (const auto& n : state.nodes())
        if (n.id == node_id) node = &n;
    layers.static_props = static_broker_properties(state.static_config(), node);
    return layers;
}

namespace {

/// A broker value in the topic's unit: scaled when the synonym is in hours or minutes.
std::optional<std::string> scaled(const config_def& topic_def, const config_synonym& synonym, const std::string& value) {
    if (synonym.factor == 1) return canonical_config_value(topic_def, value);
    auto v = parse_java_long(trim_config_text(value));
    if (!v) return std::nullopt;
    return std::to_string(*v * synonym.factor);
}

/// Kafka's configSynonyms: each layer's value of every name in `group`, layer by layer,
/// then everything before `name` itself dropped (a lower-precedence name set alone, such
/// as log.retention.hours, is not reported under log.retention.ms).
std::vector<described_synonym> broker_synonyms(const broker_config_layers& layers, std::string_view name,
                                               std::span<const std::string_view> group, bool sensitive) {
    std::vector<described_synonym> out;
    const std::pair<const std::map<std::string, std::string>*, config_source> sources[] = {
        {&layers.per_broker, config_source::dynamic_broker},
        {&layers.cluster_default, config_source::dynamic_default_broker},
        {&layers.static_props, config_source::static_broker},
    };
    auto shown = [sensitive](std::string v) { return sensitive ? std::nullopt : std::optional<std::string>(std::move(v)); };
    for (const auto& [layer, source] : sources)
        for (const auto& member : group)
            if (auto it = layer->find(std::string(member)); it != layer->end())
                out.push_back({std::string(member), shown(it->second), source});
    for (const auto& member : group)
        if (const auto* def = find_broker_config_def(member); def && def->default_value)
            out.push_back({std::string(member), shown(std::string(*def->default_value)), config_source::default_config});
    auto first = std::find_if(out.begin(), out.end(), [&](const described_synonym& s) { return s.name == name; });
    out.erase(out.begin(), first);
    return out;
}

} // namespace

std::optional<std::string> topic_config_value(const broker_config_layers& layers,
                                              const std::map<std::string, std::string>& overrides,
                                              const config_def& def) {
    if (auto it = overrides.find(std::string(def.name)); it != overrides.end())
        return canonical_config_value(def, it->second);
    std::optional<std::string> value;
    for (const auto& synonym : def.synonyms)
        if (layers.is_set(synonym.name)) {
            value = scaled(def, synonym, *layers.value(synonym.name));
            break;
        }
    if (!value)
        for (const auto& synonym : def.synonyms)
            if (const auto* broker_def = find_broker_config_def(synonym.name); broker_def && broker_def->default_value) {
                value = scaled(def, synonym, std::string(*broker_def->default_value));
                break;
            }
    if (!value && def.default_value) value = std::string(*def.default_value);
    // KafkaConfig.logRetentionTimeMillis: any negative retention means "forever" (-1).
    if (value && def.name == "retention.ms" && !value->empty() && value->front() == '-') value = "-1";
    return value;
}

std::vector<described_config> describe_topic_configs(const broker_config_layers& layers,
                                                     const std::map<std::string, std::string>& overrides) {
    std::vector<described_config> out;
    for (const auto& def : topic_config_defs()) {
        described_config d;
        d.name = std::string(def.name);
        d.value = topic_config_value(layers, overrides, def);
        d.type = def.type;
        d.doc = def.doc;
        d.sensitive = def.type == config_type::password;
        if (!def.synonyms.empty()) {
            // ConfigHelper.createTopicConfigEntry: the synonyms of the first broker synonym.
            const auto primary = def.synonyms.front().name;
            auto group = broker_config_synonym_group(primary);
            std::vector<std::string_view> fallback{primary};
            if (group.empty()) group = fallback;
            d.synonyms = broker_synonyms(layers, primary, group, d.sensitive);
        }
        if (overrides.count(d.name))
            d.synonyms.insert(d.synonyms.begin(), described_synonym{d.name, d.value, config_source::topic});
        d.source = d.synonyms.empty() ? config_source::default_config : d.synonyms.front().source;
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<described_config> describe_broker_configs(const broker_config_layers& layers, bool per_broker) {
    std::vector<std::string> names;
    if (per_broker)
        for (const auto& def : broker_config_defs()) names.emplace_back(def.name);
    for (const auto* layer : {&layers.per_broker, &layers.cluster_default}) {
        if (!per_broker && layer == &layers.per_broker) continue;
        for (const auto& [name, value] : *layer)
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    std::vector<described_config> out;
    for (const auto& name : names) {
        const auto* def = find_broker_config_def(name);
        described_config d;
        d.name = name;
        d.type = def ? def->type : config_type::unknown;
        // KafkaConfig.maybeSensitive: passwords, and anything of unknown type.
        d.sensitive = !def || def->type == config_type::password;
        d.read_only = !def || !def->dynamic;
        if (def) d.doc = def->doc;
        auto raw = per_broker ? layers.value(name) : std::optional<std::string>(layers.cluster_default.at(name));
        if (raw && !d.sensitive) d.value = def ? canonical_config_value(*def, *raw) : *raw;
        auto group = broker_config_synonym_group(name);
        std::vector<std::string_view> fallback{name};
        if (group.empty()) group = fallback;
        d.synonyms = broker_synonyms(layers, name, group, d.sensitive);
        if (!per_broker)
            std::erase_if(d.synonyms, [](const described_synonym& s) { return s.source != config_source::dynamic_default_broker; });
        d.source = d.synonyms.empty() ? config_source::default_config : d.synonyms.front().source;
        out.push_back(std::move(d));
    }
    return out;
}

std::string_view log_level_name(int level) noexcept {
    switch (level) {
    case 0: return "DEBUG";
    case 1: return "INFO";
    case 2: return "WARN";
    case 3: return "ERROR";
    default: return "OFF";
    }
}

std::optional<int> log_level_from_name(std::string_view name) noexcept {
    // log4j's levels (LogLevelConfig.VALID_LOG_LEVELS) folded onto the broker's four.
    if (name == "ALL" || name == "TRACE" || name == "DEBUG") return 0;
    if (name == "INFO") return 1;
    if (name == "WARN") return 2;
    if (name == "ERROR" || name == "FATAL") return 3;
    if (name == "OFF") return 4;
    return std::nullopt;
}

void broker_state::apply_dynamic_configs() {
    // Topics follow the cluster-wide defaults; a node's own overrides apply to them only when
    // the process is a single node (one broker_config serves every node here).
    broker_config_layers layers = config_layers(*this, nodes_.size() == 1 ? nodes_.front().id : -1);
    if (nodes_.size() != 1) layers.per_broker.clear();
    auto number = [&](std::string_view topic_name, std::int64_t fallback) {
        const auto* def = find_topic_config_def(topic_name);
        const auto value = def ? topic_config_value(layers, {}, *def) : std::nullopt;
        const auto parsed = value ? parse_java_long(*value) : std::nullopt;
        return parsed.value_or(fallback);
    };
    broker_config effective = static_config_;
    effective.message_max_bytes = static_cast<std::int32_t>(number("max.message.bytes", static_config_.message_max_bytes));
    effective.log_segment_bytes = number("segment.bytes", static_config_.log_segment_bytes);
    effective.log_retention_ms = number("retention.ms", static_config_.log_retention_ms);
    effective.log_retention_bytes = number("retention.bytes", static_config_.log_retention_bytes);
    if (auto root = logger_levels_.find("root"); root != logger_levels_.end())
        effective.log_level = log_level_from_name(root->second).value_or(static_config_.log_level);
    config_ = effective;
}

} // namespace kafkit::broker
