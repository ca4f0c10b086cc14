// `kafkit groups reset-offsets GROUP`: kafka-consumer-groups.sh --reset-offsets. The plan
// (GROUP TOPIC PARTITION NEW-OFFSET) is printed; with --execute it is also committed
// (OffsetCommit outside any generation). As Kafka's tool requires, the group must have no
// active members (state Empty, or Dead for a group not known yet). New offsets outside a
// partition's [earliest, latest] are moved into it with a warning, as Kafka's tool does.

#include "datetime.hpp"
#include "groups_commands.hpp"
#include "partition_selection.hpp"
#include "text_table.hpp"
#include "usage_error.hpp"

#include "kafkit/admin_client.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>

namespace kafkit::admin_cli {
namespace {

struct reset_flags {
    std::string group;
    std::vector<std::string> topics;
    bool all_topics = false;
    bool to_earliest = false;
    bool to_latest = false;
    std::optional<std::int64_t> to_offset;
    std::string to_datetime;
    std::optional<std::int64_t> shift_by;
    bool to_current = false;
    std::string by_duration;
    bool dry_run = false;
    bool execute = false;
};

/// The offsets the plan is computed from, by partition.
struct partition_offsets {
    std::map<topic_partition, std::int64_t> earliest;
    std::map<topic_partition, std::int64_t> latest;
    std::map<topic_partition, std::int64_t> at_time;   ///< --to-datetime, --by-duration: -1 when no record is that late
    std::map<topic_partition, std::int64_t> committed; ///< --shift-by, --to-current
};

void check_flags(const reset_flags& f) {
    const int targets = int(f.to_earliest) + int(f.to_latest) + int(f.to_offset.has_value()) +
                        int(!f.to_datetime.empty()) + int(f.shift_by.has_value()) + int(f.to_current) +
                        int(!f.by_duration.empty());
    if (targets != 1)
        throw usage_error("give exactly one of --to-earliest, --to-latest, --to-current, --to-offset, --to-datetime, "
                          "--by-duration, --shift-by");
    if (f.topics.empty() == !f.all_topics) throw usage_error("give --topic TOPIC[:P,...] (repeatable) or --all-topics");
    if (f.to_offset && *f.to_offset < 0) throw usage_error("--to-offset: an offset is >= 0");
}

std::map<topic_partition, std::int64_t> listed(admin_session& s, const std::vector<topic_partition>& partitions,
                                               admin::offset_spec spec) {
    std::map<topic_partition, admin::offset_spec> asked;
    for (const auto& tp : partitions) asked.emplace(tp, spec);
    const auto answered = s.admin().list_offsets(asked, s.call<admin::list_offsets_options>());
    std::map<topic_partition, std::int64_t> out;
    for (const auto& [tp, future] : answered.values())
        if (const auto o = s.take(future, partition_name(tp))) out.emplace(tp, o->offset.value());
    return out;
}

std::map<topic_partition, std::int64_t> committed_offsets(admin_session& s, const std::string& group,
                                                          const std::optional<std::vector<topic_partition>>& partitions) {
    const auto fetched = s.admin().list_consumer_group_offsets({{group, partitions}},
                                                               s.call<admin::list_consumer_group_offsets_options>());
    std::map<topic_partition, std::int64_t> out;
    if (const auto offsets = s.take(fetched.value(group), group))
        for (const auto& [tp, o] : *offsets) out.emplace(tp, o.offset.value());
    return out;
}

/// Kafka's rule: offsets are reset only while no consumer holds the partitions.
bool group_is_inactive(admin_session& s, const std::string& group) {
    const auto described = s.admin().describe_consumer_groups({group}, s.call<admin::describe_consumer_groups_options>());
    const auto d = s.take(described.value(group), group);
    if (!d) return false;
    if ((d->state == "Empty" || d->state == "Dead") && d->members.empty()) return true;
    s.failures().failed(group, "assignments can only be reset if the group '" + group +
                                   "' is inactive, but the current state is " + d->state);
    return false;
}

std::optional<std::int64_t> clamped(const topic_partition& tp, std::int64_t wanted, std::int64_t earliest, std::int64_t latest) {
    const auto name = partition_name(tp);
    if (wanted < earliest) {
        std::fprintf(stderr, "kafkit: warning: new offset %lld of %s is below its earliest offset: %lld is used\n",
                     static_cast<long long>(wanted), name.c_str(), static_cast<long long>(earliest));
        return earliest;
    }
    if (wanted > latest) {
        std::fprintf(stderr, "kafkit: warning: new offset %lld of %s is above its latest offset: %lld is used\n",
                     static_cast<long long>(wanted), name.c_str(), static_cast<long long>(latest));
        return latest;
    }
    return wanted;
}

std::map<topic_partition, std::int64_t> plan(admin_session& s, const reset_flags& f,
                                             const std::vector<topic_partition>& partitions,
                                             const partition_offsets& known) {
    std::map<topic_partition, std::int64_t> out;
    for (const auto& tp : partitions) {
        const auto e = known.earliest.find(tp);
        const auto l = known.latest.find(tp);
        if (e == known.earliest.end() || l == known.latest.end()) continue; // failure already recorded
        std::optional<std::int64_t> next;
        if (f.to_earliest) next = e->second;
        else if (f.to_latest) next = l->second;
        else if (f.to_offset) next = clamped(tp, *f.to_offset, e->second, l->second);
        else if (f.to_current) {
            // Kafka's tool: the committed offset, the log end where there is none.
            const auto c = known.committed.find(tp);
            next = c == known.committed.end() ? l->second : clamped(tp, c->second, e->second, l->second);
        } else if (!f.to_datetime.empty() || !f.by_duration.empty()) {
            const auto t = known.at_time.find(tp);
            if (t == known.at_time.end()) continue;
            next = t->second < 0 ? l->second : t->second; // no record that late: the log end
        } else {
            const auto c = known.committed.find(tp);
            if (c == known.committed.end()) {
                s.failures().failed(partition_name(tp), "no committed offset to shift from");
                continue;
            }
            next = clamped(tp, c->second + *f.shift_by, e->second, l->second);
        }
        out.emplace(tp, *next);
    }
    return out;
}

/// Commits `offsets`; returns those committed. Shows progress on stderr when it is a terminal.
std::map<topic_partition, std::int64_t> commit(admin_session& s, const std::string& group,
                                               const std::map<topic_partition, std::int64_t>& offsets) {
    std::map<topic_partition, offset_and_metadata> wanted;
    for (const auto& [tp, o] : offsets) wanted.emplace(tp, offset_and_metadata{record_offset(o), std::nullopt, ""});
    const auto committed = s.admin().alter_consumer_group_offsets(group, wanted, s.call());
    const bool progress = ::isatty(STDERR_FILENO) == 1 && offsets.size() > 1;
    std::map<topic_partition, std::int64_t> out;
    std::size_t done = 0;
    for (const auto& [tp, future] : committed.values()) {
        if (s.succeeded(future, group + " " + partition_name(tp))) out.emplace(tp, offsets.at(tp));
        if (progress) std::fprintf(stderr, "\rkafkit: committed %zu/%zu partitions", ++done, offsets.size());
    }
    if (progress) std::fprintf(stderr, "\r\033[K");
    return out;
}

int run_reset(admin_session& s, const reset_flags& f) {
    check_flags(f);
    std::optional<std::int64_t> at_ms;
    if (!f.to_datetime.empty()) {
        at_ms = parse_datetime_ms(f.to_datetime);
        if (!at_ms) throw usage_error("--to-datetime: '" + f.to_datetime + "' is not YYYY-MM-DDTHH:MM:SS[.sss][Z|+HH:MM]");
    }
    if (!f.by_duration.empty()) {
        const auto back = parse_duration_ms(f.by_duration);
        if (!back) throw usage_error("--by-duration: '" + f.by_duration + "' is not an ISO 8601 duration PnDTnHnMnS");
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        at_ms = now - *back;
    }
    if (!group_is_inactive(s, f.group)) {
        if (s.json()) s.print_json({{"group", f.group}, {"executed", false}, {"partitions", nlohmann::json::array()}});
        return exit_success;
    }
    std::vector<topic_partition> partitions;
    partition_offsets known;
    if (f.all_topics) {
        known.committed = committed_offsets(s, f.group, std::nullopt);
        for (const auto& [tp, o] : known.committed) partitions.push_back(tp);
    } else {
        std::vector<topic_selection> selections;
        for (const auto& t : f.topics) selections.push_back(parse_topic_selection(t));
        partitions = resolve_partitions(s, selections);
        if ((f.shift_by || f.to_current) && !partitions.empty())
            known.committed = committed_offsets(s, f.group, partitions);
    }
    if (!partitions.empty()) {
        known.earliest = listed(s, partitions, admin::offset_spec::earliest());
        known.latest = listed(s, partitions, admin::offset_spec::latest());
        if (at_ms) known.at_time = listed(s, partitions, admin::offset_spec::for_timestamp(*at_ms));
    }
    auto offsets = plan(s, f, partitions, known);
    if (f.execute && !offsets.empty()) offsets = commit(s, f.group, offsets);

    if (s.json()) {
        auto list = nlohmann::json::array();
        for (const auto& [tp, o] : offsets)
            list.push_back({{"topic", tp.topic}, {"partition", tp.partition.value()}, {"offset", o}});
        s.print_json({{"group", f.group}, {"executed", f.execute}, {"partitions", list}});
    } else if (!offsets.empty()) {
        text_table table({"GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"}, {30, 30, 10, 15});
        for (const auto& [tp, o] : offsets)
            table.add({f.group, tp.topic, std::to_string(tp.partition.value()), std::to_string(o)});
        admin_session::print_text(table.render());
    }
    return exit_success;
}

} // namespace

void add_group_reset_command(command_tree& tree, CLI::App& groups) {
    auto f = std::make_shared<reset_flags>();
    CLI::App* r = tree.add_admin(groups, "reset-offsets",
                                 "move an inactive group's committed offsets: print the plan (--dry-run, the default) "
                                 "or commit it (--execute)",
                                 "kafkit groups reset-offsets billing --topic orders:0,1 --to-datetime "
                                 "2024-05-01T00:00:00Z --execute",
                                 [f](admin_session& s) { return run_reset(s, *f); });
    r->add_option("GROUP", f->group, "the group (it must have no active members)")->required();
    one_per_flag(r->add_option("--topic", f->topics, "TOPIC (every partition) or TOPIC:P,P,... (repeatable)"));
    r->add_flag("--all-topics", f->all_topics, "every partition the group has committed offsets for");
    r->add_flag("--to-earliest", f->to_earliest, "to each partition's earliest offset");
    r->add_flag("--to-latest", f->to_latest, "to each partition's log end");
    r->add_option("--to-offset", f->to_offset, "to this offset");
    r->add_option("--to-datetime", f->to_datetime,
                  "to the first offset at or after YYYY-MM-DDTHH:MM:SS[.sss][Z|+HH:MM] (no zone: local time)");
    r->add_option("--shift-by", f->shift_by, "the committed offset plus N (negative: back)");
    r->add_flag("--to-current", f->to_current, "to the committed offset (the log end where none is)");
    r->add_option("--by-duration", f->by_duration,
                  "to the first offset at or after now minus an ISO 8601 duration PnDTnHnMnS (P1D, PT30M, ...)");
    auto* dry = r->add_flag("--dry-run", f->dry_run, "print the plan only (the default)");
    auto* execute = r->add_flag("--execute", f->execute, "commit the plan");
    dry->excludes(execute);
}

} // namespace kafkit::admin_cli
