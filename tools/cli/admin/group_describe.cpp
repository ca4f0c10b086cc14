// `kafkit groups describe GROUP...`: kafka-consumer-groups.sh --describe's table, GROUP TOPIC
// PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID, "-" where a value
// is missing: a row per partition a member is assigned or the group has committed, and a
// row per member with no partitions. The committed offsets and log ends come from
// consumer_group_lag; assigned partitions without a commit get their log end from
// ListOffsets. --members prints a row per member (GROUP CONSUMER-ID HOST CLIENT-ID
// #PARTITIONS, and ASSIGNMENT with --verbose), --state a row per group (GROUP COORDINATOR
// (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS), as the tool's --members and --state do.

#include "groups_commands.hpp"
#include "partition_selection.hpp"
#include "text_table.hpp"
#include "usage_error.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

namespace kafkit::admin_cli {
namespace {

struct describe_flags {
    std::vector<std::string> groups;
    bool members = false;
    bool state = false;
    bool verbose = false;
};

/// "topic(0,1),other(2)", as kafka-consumer-groups.sh --members --verbose prints an assignment.
std::string assignment_text(const std::vector<topic_partition>& assignment) {
    if (assignment.empty()) return "-";
    std::string out;
    std::string topic;
    for (const auto& tp : assignment) {
        if (tp.topic != topic) {
            if (!out.empty()) out += "),";
            out += tp.topic + "(";
            topic = tp.topic;
        } else {
            out += ",";
        }
        out += std::to_string(tp.partition.value());
    }
    return out + ")";
}

std::string members_text(const admin::consumer_group_description& g, bool verbose) {
    std::vector<std::string> headers{"GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS"};
    if (verbose) headers.push_back("ASSIGNMENT");
    text_table table(headers);
    for (const auto& m : g.members) {
        std::vector<std::string> row{g.group_id, m.member_id, m.host, m.client_id, std::to_string(m.assignment.size())};
        if (verbose) row.push_back(assignment_text(m.assignment));
        table.add(std::move(row));
    }
    return table.render();
}

nlohmann::json members_json(const admin::consumer_group_description& g) {
    auto members = nlohmann::json::array();
    for (const auto& m : g.members) {
        auto assignment = nlohmann::json::array();
        for (const auto& tp : m.assignment) assignment.push_back({{"topic", tp.topic}, {"partition", tp.partition.value()}});
        members.push_back({{"consumer_id", m.member_id},
                           {"group_instance_id", m.group_instance_id ? nlohmann::json(*m.group_instance_id) : nullptr},
                           {"host", m.host},
                           {"client_id", m.client_id},
                           {"assignment", assignment}});
    }
    return {{"group", g.group_id}, {"members", members}};
}

std::string coordinator_text(const admin::consumer_group_description& g) {
    if (!g.coordinator) return "-";
    return g.coordinator->host + ":" + std::to_string(g.coordinator->port) + " (" +
           std::to_string(g.coordinator->id.value()) + ")";
}

nlohmann::json state_json(const admin::consumer_group_description& g) {
    return {{"group", g.group_id},
            {"coordinator", g.coordinator ? nlohmann::json{{"id", g.coordinator->id.value()},
                                                           {"host", g.coordinator->host},
                                                           {"port", g.coordinator->port}}
                                          : nlohmann::json(nullptr)},
            {"assignment_strategy", g.partition_assignor},
            {"state", g.state},
            {"type", g.type},
            {"members", g.members.size()}};
}

/// --members and --state: the groups' descriptions alone (no offsets).
int run_view(admin_session& s, const describe_flags& flags) {
    const auto described = s.admin().describe_consumer_groups(flags.groups, s.call<admin::describe_consumer_groups_options>());
    auto list = nlohmann::json::array();
    text_table states({"GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "#MEMBERS"});
    std::string text;
    for (const auto& [id, future] : described.values()) {
        const auto d = s.take(future, id);
        if (!d) continue;
        if (d->state == "Dead") {
            s.failures().failed(id, make_error_code(kafka_errc::group_id_not_found),
                                "consumer group '" + id + "' does not exist");
            continue;
        }
        if (flags.state) {
            list.push_back(state_json(*d));
            states.add({d->group_id, coordinator_text(*d), d->partition_assignor.empty() ? "-" : d->partition_assignor,
                        d->state, std::to_string(d->members.size())});
        } else {
            list.push_back(members_json(*d));
            if (d->members.empty()) std::fprintf(stderr, "Consumer group '%s' has no active members.\n", id.c_str());
            else text += (text.empty() ? "" : "\n") + members_text(*d, flags.verbose);
        }
    }
    if (s.json()) s.print_json({{"groups", list}});
    else admin_session::print_text(flags.state ? (states.empty() ? "" : states.render()) : text);
    return exit_success;
}

struct lag_row {
    std::optional<topic_partition> partition; ///< none: a member without partitions
    std::optional<std::int64_t> current;
    std::optional<std::int64_t> log_end;
    std::optional<std::int64_t> lag;
    const admin::member_description* member = nullptr;
};

/// One group as described, with its committed offsets next to the log ends.
struct described_group {
    admin::consumer_group_description description;
    std::map<topic_partition, admin::partition_lag> lag;
};

std::string cell(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "-"; }
nlohmann::json json_cell(const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

std::vector<lag_row> rows_of(const described_group& g, const std::map<topic_partition, std::int64_t>& log_ends) {
    std::vector<lag_row> rows;
    std::set<topic_partition> assigned;
    for (const auto& m : g.description.members) {
        if (m.assignment.empty()) rows.push_back({std::nullopt, std::nullopt, std::nullopt, std::nullopt, &m});
        for (const auto& tp : m.assignment) {
            assigned.insert(tp);
            lag_row row{tp, std::nullopt, std::nullopt, std::nullopt, &m};
            if (const auto it = g.lag.find(tp); it != g.lag.end()) {
                if (it->second.committed) row.current = it->second.committed->offset.value();
                if (it->second.log_end.value() >= 0) row.log_end = it->second.log_end.value();
                if (row.current && row.log_end) row.lag = it->second.lag;
            } else if (const auto end = log_ends.find(tp); end != log_ends.end()) {
                row.log_end = end->second;
            }
            rows.push_back(row);
        }
    }
    for (const auto& [tp, lag] : g.lag) {
        if (assigned.contains(tp)) continue;
        lag_row row{tp, std::nullopt, std::nullopt, std::nullopt, nullptr};
        if (lag.committed) row.current = lag.committed->offset.value();
        if (lag.log_end.value() >= 0) row.log_end = lag.log_end.value();
        if (row.current && row.log_end) row.lag = lag.lag;
        rows.push_back(row);
    }
    // By topic and partition; members without partitions last, as Kafka's tool lists them.
    std::stable_sort(rows.begin(), rows.end(), [](const lag_row& a, const lag_row& b) {
        if (a.partition.has_value() != b.partition.has_value()) return a.partition.has_value();
        return a.partition && *a.partition < *b.partition;
    });
    return rows;
}

std::string table_text(const std::string& group, const std::vector<lag_row>& rows) {
    text_table table({"GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST",
                      "CLIENT-ID"},
                     {0, 0, 10, 15, 15, 15});
    for (const auto& r : rows)
        table.add({group, r.partition ? r.partition->topic : "-",
                   r.partition ? std::to_string(r.partition->partition.value()) : "-", cell(r.current), cell(r.log_end),
                   cell(r.lag), r.member ? r.member->member_id : "-", r.member ? r.member->host : "-",
                   r.member ? r.member->client_id : "-"});
    return table.render();
}

nlohmann::json group_json(const described_group& g, const std::vector<lag_row>& rows) {
    const auto& d = g.description;
    auto members = nlohmann::json::array();
    for (const auto& m : d.members) {
        auto assignment = nlohmann::json::array();
        for (const auto& tp : m.assignment) assignment.push_back({{"topic", tp.topic}, {"partition", tp.partition.value()}});
        members.push_back({{"member_id", m.member_id},
                           {"group_instance_id", m.group_instance_id ? nlohmann::json(*m.group_instance_id) : nlohmann::json(nullptr)},
                           {"client_id", m.client_id},
                           {"host", m.host},
                           {"assignment", assignment}});
    }
    auto partitions = nlohmann::json::array();
    for (const auto& r : rows) {
        if (!r.partition) continue;
        partitions.push_back({{"topic", r.partition->topic},
                              {"partition", r.partition->partition.value()},
                              {"current_offset", json_cell(r.current)},
                              {"log_end_offset", json_cell(r.log_end)},
                              {"lag", json_cell(r.lag)},
                              {"consumer_id", r.member ? nlohmann::json(r.member->member_id) : nlohmann::json(nullptr)},
                              {"host", r.member ? nlohmann::json(r.member->host) : nlohmann::json(nullptr)},
                              {"client_id", r.member ? nlohmann::json(r.member->client_id) : nlohmann::json(nullptr)}});
    }
    return {{"group", d.group_id},   {"state", d.state},       {"type", d.type},
            {"assignor", d.partition_assignor}, {"coordinator", node_id_json(d.coordinator)},
            {"members", members},    {"partitions", partitions}};
}

/// The log ends of the partitions members hold without a committed offset.
std::map<topic_partition, std::int64_t> uncommitted_log_ends(admin_session& s, const std::vector<described_group>& groups) {
    std::map<topic_partition, admin::offset_spec> asked;
    for (const auto& g : groups)
        for (const auto& m : g.description.members)
            for (const auto& tp : m.assignment)
                if (!g.lag.contains(tp)) asked.emplace(tp, admin::offset_spec::latest());
    std::map<topic_partition, std::int64_t> out;
    if (asked.empty()) return out;
    const auto listed = s.admin().list_offsets(asked, s.call<admin::list_offsets_options>());
    for (const auto& [tp, future] : listed.values())
        if (const auto o = s.take(future, partition_name(tp))) out.emplace(tp, o->offset.value());
    return out;
}

int run_describe(admin_session& s, const describe_flags& flags) {
    if (flags.members && flags.state) throw usage_error("give --members or --state, not both");
    if (flags.verbose && !flags.members) throw usage_error("--verbose goes with --members");
    if (flags.members || flags.state) return run_view(s, flags);
    const auto described = s.admin().describe_consumer_groups(flags.groups, s.call<admin::describe_consumer_groups_options>());
    std::map<std::string, admin::future<std::map<topic_partition, admin::partition_lag>>> lags;
    for (const auto& g : flags.groups) lags.emplace(g, s.admin().consumer_group_lag(g, s.call<admin::list_offsets_options>()));

    std::vector<described_group> groups;
    for (const auto& [id, future] : described.values()) {
        auto d = s.take(future, id);
        if (!d) continue;
        if (d->state == "Dead") {
            s.failures().failed(id, make_error_code(kafka_errc::group_id_not_found),
                                "consumer group '" + id + "' does not exist");
            continue;
        }
        auto lag = s.take(lags.at(id), id);
        if (!lag) continue;
        groups.push_back({std::move(*d), std::move(*lag)});
    }
    const auto log_ends = uncommitted_log_ends(s, groups);

    auto list = nlohmann::json::array();
    std::string text;
    for (const auto& g : groups) {
        const auto& id = g.description.group_id;
        const auto& state = g.description.state;
        if (state == "Empty") std::fprintf(stderr, "Consumer group '%s' has no active members.\n", id.c_str());
        else if (state != "Stable")
            std::fprintf(stderr, "Warning: consumer group '%s' is %s.\n", id.c_str(),
                         state == "PreparingRebalance" || state == "CompletingRebalance" || state == "Reconciling" ||
                                 state == "Assigning"
                             ? "rebalancing"
                             : ("in state " + state).c_str());
        const auto rows = rows_of(g, log_ends);
        if (s.json()) list.push_back(group_json(g, rows));
        else text += (text.empty() ? "" : "\n") + table_text(id, rows);
    }
    if (s.json()) s.print_json({{"groups", list}});
    else admin_session::print_text(text);
    return exit_success;
}

} // namespace

void add_group_describe_command(command_tree& tree, CLI::App& groups) {
    auto flags = std::make_shared<describe_flags>();
    CLI::App* d = tree.add_admin(groups, "describe",
                                 "each group's committed offsets, log ends, lag and members, as kafka-consumer-groups.sh "
                                 "--describe prints them",
                                 "kafkit groups describe billing -b localhost:9092",
                                 [flags](admin_session& s) { return run_describe(s, *flags); });
    d->add_option("GROUP", flags->groups, "the groups to describe")->required();
    d->add_flag("--members", flags->members, "a row per member: its id, host, client id and partition count");
    d->add_flag("--verbose", flags->verbose, "with --members: each member's partitions too");
    d->add_flag("--state", flags->state, "a row per group: coordinator, assignment strategy, state, member count");
}

} // namespace kafkit::admin_cli
