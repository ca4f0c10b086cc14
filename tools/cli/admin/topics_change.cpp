// `kafkit topics create|delete|alter|add-partitions`: CreateTopics, DeleteTopics,
// IncrementalAlterConfigs on a topic, CreatePartitions. --if-not-exists and --if-exists
// make TOPIC_ALREADY_EXISTS and UNKNOWN_TOPIC_OR_PARTITION successes, as kafka-topics.sh's do.

#include "topics_change.hpp"

#include "properties_file.hpp"
#include "usage_error.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <map>
#include <memory>

namespace kafkit::admin_cli {
namespace {

struct create_flags {
    std::vector<std::string> topics;
    std::int32_t partitions = -1;         ///< -1: the broker's num.partitions
    std::int32_t replication_factor = -1; ///< -1: the broker's default.replication.factor
    std::vector<std::string> configs;
    std::string replica_assignment; ///< kafka-topics.sh's "1:2,2:3,3:1": brokers per partition
    bool validate_only = false;
    bool if_not_exists = false;
};

struct delete_flags {
    std::vector<std::string> topics;
    bool if_exists = false;
};

struct alter_flags {
    std::string topic;
    std::vector<std::string> set;
    std::vector<std::string> deleted;
};

struct add_partitions_flags {
    std::string topic;
    std::int32_t total = 0;
};

bool is(const kafkit::exception& e, kafka_errc code) { return e.code() == make_error_code(code); }

/// kafka-topics.sh's --replica-assignment: partitions separated by ',', each partition's
/// broker ids by ':' (the first is the preferred leader). Throws usage_error.
std::map<std::int32_t, std::vector<std::int32_t>> parse_replica_assignment(const std::string& text) {
    std::map<std::int32_t, std::vector<std::int32_t>> out;
    std::int32_t partition = 0;
    std::size_t start = 0;
    for (;;) {
        const auto end = text.find(',', start);
        const auto part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        auto& replicas = out[partition++];
        std::size_t from = 0;
        for (;;) {
            const auto colon = part.find(':', from);
            const auto id = part.substr(from, colon == std::string::npos ? std::string::npos : colon - from);
            std::size_t used = 0;
            int value = -1;
            try {
                value = std::stoi(id, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (id.empty() || used != id.size() || value < 0)
                throw usage_error("--replica-assignment: '" + text +
                                  "' is not broker ids separated by ':' per partition, partitions by ','");
            replicas.push_back(value);
            if (colon == std::string::npos) break;
            from = colon + 1;
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

int run_create(admin_session& s, const create_flags& flags) {
    const auto configs = property_map(flags.configs, "--config");
    std::vector<admin::new_topic> topics;
    for (const auto& name : flags.topics) {
        admin::new_topic t;
        t.name = name;
        if (!flags.replica_assignment.empty()) {
            if (flags.partitions > 0 || flags.replication_factor > 0)
                throw usage_error("--replica-assignment replaces --partitions and --replication-factor");
            t.replica_assignments = parse_replica_assignment(flags.replica_assignment);
        }
        if (flags.partitions > 0) t.partitions = flags.partitions;
        if (flags.replication_factor > 0) t.replication_factor = static_cast<std::int16_t>(flags.replication_factor);
        t.configs = configs;
        topics.push_back(std::move(t));
    }
    auto options = s.call<admin::create_topics_options>();
    options.validate_only = flags.validate_only;
    const auto created = s.admin().create_topics(topics, options);
    auto list = nlohmann::json::array();
    std::string text;
    for (const auto& name : flags.topics) {
        try {
            const auto c = created.value(name).get();
            list.push_back({{"name", name}, {"created", !flags.validate_only}, {"validate_only", flags.validate_only},
                            {"existed", false}, {"id", c.id.to_string()}, {"partitions", c.partitions},
                            {"replication_factor", c.replication_factor}});
            text += flags.validate_only ? "Topic " + name + " would be created (validate only).\n"
                                        : "Created topic " + name + ".\n";
        } catch (const kafkit::exception& e) {
            if (flags.if_not_exists && is(e, kafka_errc::topic_already_exists))
                list.push_back({{"name", name}, {"created", false}, {"validate_only", flags.validate_only},
                                {"existed", true}});
            else
                s.failures().failed(name, e);
        }
    }
    if (s.json()) s.print_json({{"topics", list}});
    else admin_session::print_text(text);
    return exit_success;
}

int run_delete(admin_session& s, const delete_flags& flags) {
    const auto deleted = s.admin().delete_topics(flags.topics, s.call<admin::delete_topics_options>());
    auto list = nlohmann::json::array();
    std::string text;
    for (const auto& [name, future] : deleted.values()) {
        try {
            future.get();
            list.push_back({{"name", name}, {"deleted", true}});
            text += "Deleted topic " + name + ".\n";
        } catch (const kafkit::exception& e) {
            if (flags.if_exists && is(e, kafka_errc::unknown_topic_or_partition))
                list.push_back({{"name", name}, {"deleted", false}});
            else
                s.failures().failed(name, e);
        }
    }
    if (s.json()) s.print_json({{"topics", list}});
    else admin_session::print_text(text);
    return exit_success;
}

int run_alter(admin_session& s, const alter_flags& flags) {
    if (flags.set.empty() && flags.deleted.empty()) throw usage_error("give --config NAME=VALUE or --delete-config NAME");
    const auto set = property_map(flags.set, "--config");
    std::vector<admin::alter_config_op> ops;
    for (const auto& [name, value] : set) ops.push_back({name, value, admin::alter_config_op::kind::set});
    for (const auto& name : flags.deleted) ops.push_back({name, std::nullopt, admin::alter_config_op::kind::delete_});
    const admin::config_resource resource{admin::config_resource_type::topic, flags.topic};
    const auto altered = s.admin().incremental_alter_configs({{resource, ops}}, s.call<admin::alter_configs_options>());
    if (!s.succeeded(altered.value(resource), flags.topic)) {
        if (s.json()) s.print_json({{"topic", flags.topic}, {"altered", false}});
        return exit_success;
    }
    if (s.json()) s.print_json({{"topic", flags.topic}, {"altered", true}, {"set", set}, {"deleted", flags.deleted}});
    else admin_session::print_text("Completed updating config for topic " + flags.topic + ".\n");
    return exit_success;
}

int run_add_partitions(admin_session& s, const add_partitions_flags& flags) {
    const auto grown = s.admin().create_partitions({{flags.topic, {.total_count = flags.total, .assignments = {}}}},
                                                   s.call<admin::create_partitions_options>());
    const bool ok = s.succeeded(grown.value(flags.topic), flags.topic);
    if (s.json()) s.print_json({{"topic", flags.topic}, {"altered", ok}, {"partitions", flags.total}});
    else if (ok) admin_session::print_text("Topic " + flags.topic + " now has " + std::to_string(flags.total) + " partitions.\n");
    return exit_success;
}

} // namespace

void add_topic_change_commands(command_tree& tree, CLI::App& topics) {
    auto create = std::make_shared<create_flags>();
    CLI::App* c = tree.add_admin(topics, "create", "create topics (CreateTopics)",
                                 "kafkit topics create orders --partitions 6 --replication-factor 3 "
                                 "--config retention.ms=86400000",
                                 [create](admin_session& s) { return run_create(s, *create); });
    c->add_option("TOPIC", create->topics, "the topics to create")->required();
    c->add_option("--partitions", create->partitions, "partitions of each topic (default: the broker's num.partitions)")
        ->check(CLI::PositiveNumber);
    c->add_option("--replication-factor", create->replication_factor,
                  "replicas of each partition (default: the broker's default.replication.factor)")
        ->check(CLI::Range(1, 32767));
    one_per_flag(c->add_option("--config", create->configs, "NAME=VALUE topic config (repeatable)"));
    c->add_option("--replica-assignment", create->replica_assignment,
                  "the brokers of each partition, as kafka-topics.sh takes them: 1:2,2:3,3:1 (partition 0 on "
                  "brokers 1 and 2, ...; the first leads)");
    c->add_flag("--validate-only", create->validate_only, "let the controller check the request, create nothing");
    c->add_flag("--if-not-exists", create->if_not_exists, "a topic that exists already is no error");

    auto del = std::make_shared<delete_flags>();
    CLI::App* d = tree.add_admin(topics, "delete", "delete topics and their data (DeleteTopics)",
                                 "kafkit topics delete orders payments --if-exists",
                                 [del](admin_session& s) { return run_delete(s, *del); });
    d->add_option("TOPIC", del->topics, "the topics to delete")->required();
    d->add_flag("--if-exists", del->if_exists, "a topic that does not exist is no error");

    auto alter = std::make_shared<alter_flags>();
    CLI::App* a = tree.add_admin(topics, "alter", "set or delete a topic's configs (IncrementalAlterConfigs)",
                                 "kafkit topics alter orders --config retention.ms=3600000 --delete-config segment.ms",
                                 [alter](admin_session& s) { return run_alter(s, *alter); });
    a->add_option("TOPIC", alter->topic, "the topic")->required();
    one_per_flag(a->add_option("--config", alter->set, "NAME=VALUE to set (repeatable)"));
    one_per_flag(a->add_option("--delete-config", alter->deleted, "NAME to delete: back to its default (repeatable)"));

    auto grow = std::make_shared<add_partitions_flags>();
    CLI::App* g = tree.add_admin(topics, "add-partitions", "raise a topic's partition count (CreatePartitions)",
                                 "kafkit topics add-partitions orders --total 12",
                                 [grow](admin_session& s) { return run_add_partitions(s, *grow); });
    g->add_option("TOPIC", grow->topic, "the topic")->required();
    g->add_option("--total", grow->total, "the new partition count (more than the topic has)")
        ->required()
        ->check(CLI::PositiveNumber);
}

} // namespace kafkit::admin_cli
