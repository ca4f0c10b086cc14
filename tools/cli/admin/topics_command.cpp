// `kafkit topics list|describe` (and the commands that change topics, topics_change.cpp):
// kafka-topics.sh's --list and --describe, its text output kept.

#include "command_tree.hpp"
#include "topics_change.hpp"

#include "kafkit/admin_client.hpp"

#include <memory>
#include <set>

namespace kafkit::admin_cli {
namespace {

struct list_flags {
    bool internal = false;
};

struct describe_flags {
    std::vector<std::string> topics;
    bool internal = false;
};

std::map<std::string, admin::topic_listing> listed_topics(admin_session& s, bool internal) {
    auto options = s.call<admin::list_topics_options>();
    options.list_internal = internal;
    return s.admin().list_topics(options).get(); // no answer: the command cannot go on
}

int run_list(admin_session& s, const list_flags& flags) {
    const auto topics = listed_topics(s, flags.internal);
    if (s.json()) {
        auto list = nlohmann::json::array();
        for (const auto& [name, t] : topics)
            list.push_back({{"name", name}, {"id", t.id.to_string()}, {"internal", t.internal}});
        s.print_json({{"topics", list}});
        return exit_success;
    }
    std::string text;
    for (const auto& [name, t] : topics) text += name + "\n";
    admin_session::print_text(text);
    return exit_success;
}

std::string id_list(const std::vector<admin::node>& nodes) {
    std::string out;
    for (const auto& n : nodes) out += (out.empty() ? "" : ",") + std::to_string(n.id.value());
    return out;
}

nlohmann::json id_array(const std::vector<admin::node>& nodes) {
    auto out = nlohmann::json::array();
    for (const auto& n : nodes) out.push_back(n.id.value());
    return out;
}

/// The topic's own (dynamic) configs, as kafka-topics.sh --describe shows them.
std::vector<std::pair<std::string, std::string>> own_configs(const std::vector<admin::config_entry>& entries) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : entries)
        if (e.source == admin::config_source::dynamic_topic_config)
            out.emplace_back(e.name, e.is_sensitive ? "<sensitive>" : e.value.value_or(""));
    return out;
}

std::string describe_text(const admin::topic_description& d, const std::vector<std::pair<std::string, std::string>>& configs) {
    std::string configs_text;
    for (const auto& [name, value] : configs) configs_text += (configs_text.empty() ? "" : ",") + name + "=" + value;
    const auto replication = d.partitions.empty() ? 0 : d.partitions.front().replicas.size();
    std::string out = "Topic: " + d.name + "\tTopicId: " + d.id.to_string() + "\tPartitionCount: " +
                      std::to_string(d.partitions.size()) + "\tReplicationFactor: " + std::to_string(replication) +
                      "\tConfigs: " + configs_text + "\n";
    for (const auto& p : d.partitions) {
        out += "\tTopic: " + d.name + "\tPartition: " + std::to_string(p.partition) +
               "\tLeader: " + (p.leader ? std::to_string(p.leader->id.value()) : "none") +
               "\tReplicas: " + id_list(p.replicas) + "\tIsr: " + id_list(p.in_sync_replicas);
        if (!p.offline_replicas.empty()) out += "\tOffline: " + id_list(p.offline_replicas);
        if (!p.eligible_leader_replicas.empty()) out += "\tElr: " + id_list(p.eligible_leader_replicas);
        out += "\n";
    }
    return out;
}

nlohmann::json describe_json(const admin::topic_description& d, const std::vector<std::pair<std::string, std::string>>& configs) {
    auto partitions = nlohmann::json::array();
    for (const auto& p : d.partitions)
        partitions.push_back({{"partition", p.partition},
                              {"leader", node_id_json(p.leader)},
                              {"leader_epoch", p.leader_epoch},
                              {"replicas", id_array(p.replicas)},
                              {"isr", id_array(p.in_sync_replicas)},
                              {"offline", id_array(p.offline_replicas)},
                              {"elr", id_array(p.eligible_leader_replicas)}});
    auto config_object = nlohmann::json::object();
    for (const auto& [name, value] : configs) config_object[name] = value;
    return {{"name", d.name},
            {"id", d.id.to_string()},
            {"internal", d.internal},
            {"partition_count", d.partitions.size()},
            {"replication_factor", d.partitions.empty() ? 0 : d.partitions.front().replicas.size()},
            {"configs", config_object},
            {"partitions", partitions}};
}

int run_describe(admin_session& s, const describe_flags& flags) {
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const auto& t : flags.topics)
        if (seen.insert(t).second) names.push_back(t);
    if (flags.topics.empty())
        for (const auto& [name, listing] : listed_topics(s, flags.internal)) names.push_back(name);
    const auto described = s.admin().describe_topics(names, s.call<admin::describe_topics_options>());
    std::vector<admin::config_resource> resources;
    for (const auto& n : names) resources.push_back({admin::config_resource_type::topic, n});
    const auto configs = s.admin().describe_configs(resources, s.call<admin::describe_configs_options>());

    auto list = nlohmann::json::array();
    std::string text;
    for (const auto& name : names) {
        const auto d = s.take(described.value(name), name);
        if (!d) continue;
        const auto entries = s.take(configs.value({admin::config_resource_type::topic, name}), name);
        const auto own = own_configs(entries.value_or(std::vector<admin::config_entry>{}));
        if (s.json()) list.push_back(describe_json(*d, own));
        else text += describe_text(*d, own);
    }
    if (s.json()) s.print_json({{"topics", list}});
    else admin_session::print_text(text);
    return exit_success;
}

} // namespace

void add_topics_commands(command_tree& tree) {
    CLI::App* topics = tree.add(tree.root(), "topics", "list, describe, create, delete and alter topics");

    auto list = std::make_shared<list_flags>();
    CLI::App* l = tree.add_admin(*topics, "list", "the cluster's topic names, one a line",
                                 "kafkit topics list -b localhost:9092 --internal",
                                 [list](admin_session& s) { return run_list(s, *list); });
    l->add_flag("--internal", list->internal, "include internal topics (__consumer_offsets, ...)");

    auto describe = std::make_shared<describe_flags>();
    CLI::App* d = tree.add_admin(*topics, "describe",
                                 "partitions, leaders, replicas, in-sync replicas and own configs of topics",
                                 "kafkit topics describe orders payments -b localhost:9092",
                                 [describe](admin_session& s) { return run_describe(s, *describe); });
    d->add_option("TOPIC", describe->topics, "topics to describe (default: every topic)");
    d->add_flag("--internal", describe->internal, "with no TOPIC: include internal topics");

    add_topic_change_commands(tree, *topics);
}

} // namespace kafkit::admin_cli
