// `kafkit configs describe|set|delete`: kafka-configs.sh's --describe, --alter --add-config
// and --alter --delete-config for one topic, broker, broker's loggers or the cluster-wide
// broker default (DescribeConfigs, IncrementalAlterConfigs).

#include "command_tree.hpp"
#include "kafka_names.hpp"
#include "partition_selection.hpp"
#include "properties_file.hpp"
#include "usage_error.hpp"

#include "kafkit/admin_client.hpp"

#include <memory>

namespace kafkit::admin_cli {
namespace {

using admin::config_resource;
using admin::config_resource_type;

/// Which resource a configs command is about: exactly one of the four.
struct resource_flags {
    std::string topic;
    std::string broker;
    std::string broker_logger;
    bool broker_defaults = false;
};

struct describe_flags {
    resource_flags resource;
    bool all = false;
    bool synonyms = false;
};

struct set_flags {
    resource_flags resource;
    std::vector<std::string> assignments;
};

struct delete_flags {
    resource_flags resource;
    std::vector<std::string> names;
};

void add_resource_flags(CLI::App& command, resource_flags& flags) {
    auto* topic = command.add_option("--topic", flags.topic, "a topic");
    auto* broker = command.add_option("--broker", flags.broker, "a broker, by id");
    auto* logger = command.add_option("--broker-logger", flags.broker_logger, "a broker's log levels, by broker id");
    auto* defaults = command.add_flag("--broker-defaults", flags.broker_defaults, "the cluster-wide broker default");
    topic->excludes(broker)->excludes(logger)->excludes(defaults);
    broker->excludes(logger)->excludes(defaults);
    logger->excludes(defaults);
}

config_resource chosen_resource(const resource_flags& flags) {
    if (!flags.topic.empty()) return {config_resource_type::topic, flags.topic};
    auto broker_id = [](const std::string& id, const char* flag) {
        const auto n = parse_integer(id, flag);
        if (n < 0) throw usage_error(std::string(flag) + ": a broker id is >= 0");
        return std::to_string(n);
    };
    if (!flags.broker.empty()) return {config_resource_type::broker, broker_id(flags.broker, "--broker")};
    if (!flags.broker_logger.empty())
        return {config_resource_type::broker_logger, broker_id(flags.broker_logger, "--broker-logger")};
    if (flags.broker_defaults) return {config_resource_type::broker, ""};
    throw usage_error("give one of --topic, --broker, --broker-logger, --broker-defaults");
}

std::string resource_text(const config_resource& r) {
    if (r.type == config_resource_type::broker && r.name.empty()) return "the broker default";
    return std::string(config_resource_type_name(r.type)) + " " + r.name;
}

nlohmann::json resource_json(const config_resource& r) {
    return {{"type", config_resource_type_name(r.type)}, {"name", r.name}};
}

/// What kafka-configs.sh shows without --all: the values set on the resource itself.
admin::config_source own_source(const config_resource& r) {
    switch (r.type) {
    case config_resource_type::topic: return admin::config_source::dynamic_topic_config;
    case config_resource_type::broker_logger: return admin::config_source::dynamic_broker_logger_config;
    default:
        return r.name.empty() ? admin::config_source::dynamic_default_broker_config
                              : admin::config_source::dynamic_broker_config;
    }
}

std::string entry_text(const admin::config_entry& e, bool synonyms) {
    std::string out = "  " + e.name + "=" + e.value.value_or("null") + " sensitive=" + (e.is_sensitive ? "true" : "false");
    if (synonyms) {
        out += " synonyms={";
        for (std::size_t i = 0; i < e.synonyms.size(); ++i) {
            const auto& syn = e.synonyms[i];
            out += (i ? ", " : "") + std::string(config_source_name(syn.source)) + ":" + syn.name + "=" +
                   syn.value.value_or("null");
        }
        out += "}";
    }
    return out + "\n";
}

nlohmann::json entry_json(const admin::config_entry& e, bool synonyms) {
    nlohmann::json out = {{"name", e.name},
                          {"value", e.value ? nlohmann::json(*e.value) : nlohmann::json(nullptr)},
                          {"source", config_source_name(e.source)},
                          {"default", e.is_default},
                          {"sensitive", e.is_sensitive},
                          {"read_only", e.is_read_only}};
    if (synonyms) {
        auto list = nlohmann::json::array();
        for (const auto& syn : e.synonyms)
            list.push_back({{"name", syn.name},
                            {"value", syn.value ? nlohmann::json(*syn.value) : nlohmann::json(nullptr)},
                            {"source", config_source_name(syn.source)}});
        out["synonyms"] = list;
    }
    return out;
}

int run_describe(admin_session& s, const describe_flags& flags) {
    const auto resource = chosen_resource(flags.resource);
    auto options = s.call<admin::describe_configs_options>();
    options.include_synonyms = flags.synonyms;
    const auto described = s.admin().describe_configs({resource}, options);
    const auto entries = s.take(described.value(resource), resource_text(resource));
    std::vector<admin::config_entry> shown;
    for (const auto& e : entries.value_or(std::vector<admin::config_entry>{}))
        if (flags.all || e.source == own_source(resource)) shown.push_back(e);
    if (s.json()) {
        auto list = nlohmann::json::array();
        for (const auto& e : shown) list.push_back(entry_json(e, flags.synonyms));
        s.print_json({{"resource", resource_json(resource)}, {"configs", list}});
    } else if (entries) {
        std::string text = std::string(flags.all ? "All" : "Dynamic") + " configs for " + resource_text(resource) + " are:\n";
        for (const auto& e : shown) text += entry_text(e, flags.synonyms);
        admin_session::print_text(text);
    }
    return exit_success;
}

int alter(admin_session& s, const config_resource& resource, std::vector<admin::alter_config_op> ops,
          nlohmann::json change) {
    const auto altered = s.admin().incremental_alter_configs({{resource, std::move(ops)}},
                                                             s.call<admin::alter_configs_options>());
    const bool ok = s.succeeded(altered.value(resource), resource_text(resource));
    change["resource"] = resource_json(resource);
    change["altered"] = ok;
    if (s.json()) s.print_json(change);
    else if (ok) admin_session::print_text("Completed updating config for " + resource_text(resource) + ".\n");
    return exit_success;
}

int run_set(admin_session& s, const set_flags& flags) {
    const auto resource = chosen_resource(flags.resource);
    const auto values = property_map(flags.assignments, "NAME=VALUE");
    std::vector<admin::alter_config_op> ops;
    for (const auto& [name, value] : values) ops.push_back({name, value, admin::alter_config_op::kind::set});
    return alter(s, resource, std::move(ops), {{"set", values}});
}

int run_delete(admin_session& s, const delete_flags& flags) {
    const auto resource = chosen_resource(flags.resource);
    std::vector<admin::alter_config_op> ops;
    for (const auto& name : flags.names) ops.push_back({name, std::nullopt, admin::alter_config_op::kind::delete_});
    return alter(s, resource, std::move(ops), {{"deleted", flags.names}});
}

} // namespace

void add_configs_commands(command_tree& tree) {
    CLI::App* configs = tree.add(tree.root(), "configs", "describe, set and delete topic and broker configs");

    auto describe = std::make_shared<describe_flags>();
    CLI::App* d = tree.add_admin(*configs, "describe",
                                 "the configs set on a topic or broker (all of them with --all)",
                                 "kafkit configs describe --topic orders --all --synonyms",
                                 [describe](admin_session& s) { return run_describe(s, *describe); });
    add_resource_flags(*d, describe->resource);
    d->add_flag("--all", describe->all, "every config, defaults included");
    d->add_flag("--synonyms", describe->synonyms, "where each value comes from, most specific first");

    auto set = std::make_shared<set_flags>();
    CLI::App* st = tree.add_admin(*configs, "set", "set configs of a topic or broker (IncrementalAlterConfigs)",
                                  "kafkit configs set --topic orders retention.ms=3600000 cleanup.policy=compact",
                                  [set](admin_session& s) { return run_set(s, *set); });
    add_resource_flags(*st, set->resource);
    st->add_option("NAME=VALUE", set->assignments, "the configs to set")->required();

    auto del = std::make_shared<delete_flags>();
    CLI::App* dl = tree.add_admin(*configs, "delete", "delete configs of a topic or broker: back to their defaults",
                                  "kafkit configs delete --broker 1 log.cleaner.threads",
                                  [del](admin_session& s) { return run_delete(s, *del); });
    add_resource_flags(*dl, del->resource);
    dl->add_option("NAME", del->names, "the configs to delete")->required();
}

} // namespace kafkit::admin_cli
