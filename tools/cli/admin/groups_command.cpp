// `kafkit groups list|delete|delete-offsets` (describe and reset-offsets have files of their
// own): kafka-consumer-groups.sh's --list, --delete and --delete-offsets.

#include "command_tree.hpp"
#include "groups_commands.hpp"
#include "kafka_names.hpp"
#include "partition_selection.hpp"
#include "text_table.hpp"
#include "usage_error.hpp"

#include "kafkit/admin_client.hpp"

#include <memory>
#include <set>

namespace kafkit::admin_cli {
namespace {

struct list_flags {
    std::vector<std::string> states;
    std::vector<std::string> types;
};

struct delete_flags {
    std::vector<std::string> groups;
};

struct delete_offsets_flags {
    std::string group;
    std::vector<std::string> topics;
};

nlohmann::json optional_json(const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); }

int run_list(admin_session& s, const list_flags& flags) {
    auto options = s.call<admin::list_consumer_groups_options>();
    for (const auto& state : flags.states) {
        const auto canonical = canonical_group_state(state);
        if (!canonical) throw usage_error("--state: unknown group state '" + state + "'");
        options.states.insert(*canonical);
    }
    for (const auto& type : flags.types) {
        if (type != "classic" && type != "consumer") throw usage_error("--type: classic or consumer, not '" + type + "'");
        options.types.insert(type);
    }
    const auto listed = s.admin().list_consumer_groups(options).get();
    for (const auto& [broker, error] : listed.errors)
        s.failures().failed("broker " + std::to_string(broker.value()), error, error.message());

    std::vector<const admin::consumer_group_listing*> shown;
    for (const auto& g : listed.groups) {
        // Brokers before ListGroups v4/v5 do not filter: the states and types they report do.
        if (!options.states.empty() && g.state && !options.states.contains(*g.state)) continue;
        if (!options.types.empty() && g.type && !options.types.contains(*g.type)) continue;
        shown.push_back(&g);
    }
    if (s.json()) {
        auto list = nlohmann::json::array();
        for (const auto* g : shown)
            list.push_back({{"group", g->group_id}, {"state", optional_json(g->state)}, {"type", optional_json(g->type)},
                            {"simple", g->is_simple}});
        s.print_json({{"groups", list}});
        return exit_success;
    }
    if (flags.states.empty() && flags.types.empty()) {
        std::string text;
        for (const auto* g : shown) text += g->group_id + "\n";
        admin_session::print_text(text);
        return exit_success;
    }
    // As kafka-consumer-groups.sh --list --state / --type: the columns asked about.
    std::vector<std::string> headers{"GROUP"};
    if (!flags.types.empty()) headers.emplace_back("TYPE");
    if (!flags.states.empty()) headers.emplace_back("STATE");
    text_table table(headers);
    for (const auto* g : shown) {
        std::vector<std::string> row{g->group_id};
        if (!flags.types.empty()) row.push_back(g->type.value_or("-"));
        if (!flags.states.empty()) row.push_back(g->state.value_or("-"));
        table.add(std::move(row));
    }
    admin_session::print_text(table.render());
    return exit_success;
}

int run_delete(admin_session& s, const delete_flags& flags) {
    const auto deleted = s.admin().delete_consumer_groups(flags.groups, s.call());
    auto list = nlohmann::json::array();
    std::string names;
    for (const auto& [group, future] : deleted.values()) {
        const bool ok = s.succeeded(future, group);
        list.push_back({{"group", group}, {"deleted", ok}});
        if (ok) names += (names.empty() ? "'" : ", '") + group + "'";
    }
    if (s.json()) s.print_json({{"groups", list}});
    else if (!names.empty()) admin_session::print_text("Deletion of requested consumer groups (" + names + ") was successful.\n");
    return exit_success;
}

int run_delete_offsets(admin_session& s, const delete_offsets_flags& flags) {
    std::vector<topic_selection> selections;
    for (const auto& t : flags.topics) selections.push_back(parse_topic_selection(t));
    const auto partitions = resolve_partitions(s, selections);
    if (partitions.empty()) return exit_success;
    const std::set<topic_partition> asked(partitions.begin(), partitions.end());
    const auto deleted = s.admin().delete_consumer_group_offsets(flags.group, asked, s.call());
    text_table table({"TOPIC", "PARTITION", "STATUS"});
    auto list = nlohmann::json::array();
    for (const auto& [tp, future] : deleted.values()) {
        std::string status = "Successful";
        try {
            future.get();
        } catch (const kafkit::exception& e) {
            s.failures().failed(flags.group + " " + partition_name(tp), e);
            status = "Error: " + error_code_name(e.code());
        }
        table.add({tp.topic, std::to_string(tp.partition.value()), status});
        list.push_back({{"topic", tp.topic}, {"partition", tp.partition.value()}, {"deleted", status == "Successful"}});
    }
    if (s.json()) s.print_json({{"group", flags.group}, {"partitions", list}});
    else admin_session::print_text(table.render());
    return exit_success;
}

} // namespace

void add_groups_commands(command_tree& tree) {
    CLI::App* groups = tree.add(tree.root(), "groups", "list, describe, delete consumer groups and reset their offsets");

    auto list = std::make_shared<list_flags>();
    CLI::App* l = tree.add_admin(*groups, "list", "the consumer groups of every broker",
                                 "kafkit groups list --state stable --state empty",
                                 [list](admin_session& s) { return run_list(s, *list); });
    one_per_flag(l->add_option("--state", list->states,
                               "only groups in this state: Stable, Empty, PreparingRebalance, CompletingRebalance, "
                               "Dead, ... (repeatable, any case); adds a STATE column"));
    one_per_flag(l->add_option("--type", list->types, "only groups of this type: classic or consumer (repeatable)"));

    add_group_describe_command(tree, *groups);

    auto del = std::make_shared<delete_flags>();
    CLI::App* d = tree.add_admin(*groups, "delete", "delete groups that have no members, with their offsets",
                                 "kafkit groups delete billing old-readers",
                                 [del](admin_session& s) { return run_delete(s, *del); });
    d->add_option("GROUP", del->groups, "the groups to delete")->required();

    add_group_reset_command(tree, *groups);

    auto offsets = std::make_shared<delete_offsets_flags>();
    CLI::App* o = tree.add_admin(*groups, "delete-offsets",
                                 "delete a group's committed offsets of topics it no longer reads (OffsetDelete)",
                                 "kafkit groups delete-offsets billing --topic old-orders --topic payments:0,1",
                                 [offsets](admin_session& s) { return run_delete_offsets(s, *offsets); });
    o->add_option("GROUP", offsets->group, "the group")->required();
    one_per_flag(o->add_option("--topic", offsets->topics, "TOPIC or TOPIC:P,P,... (repeatable)"))->required();
}

} // namespace kafkit::admin_cli
