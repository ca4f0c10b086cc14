// `kafkit offsets TOPIC` (kafka-get-offsets.sh: ListOffsets per partition, printed as
// TOPIC:PARTITION:OFFSET) and `kafkit records delete` (kafka-delete-records.sh:
// DeleteRecords, from flags or its --offset-json-file).

#include "command_tree.hpp"
#include "datetime.hpp"
#include "partition_selection.hpp"
#include "usage_error.hpp"

#include "kafkit/admin_client.hpp"

#include <fstream>
#include <memory>
#include <sstream>

namespace kafkit::admin_cli {
namespace {

struct offsets_flags {
    std::string topic;
    std::vector<std::int32_t> partitions;
    std::string time = "latest";
    bool read_committed = false;
};

struct delete_records_flags {
    std::string topic;
    std::vector<std::int32_t> partitions;
    std::optional<std::int64_t> before_offset;
    std::string offset_json_file;
};

/// --time: earliest, latest, max (the largest timestamp), milliseconds since the epoch, or
/// an ISO 8601 date-time.
admin::offset_spec time_spec(const std::string& text) {
    if (text == "earliest" || text == "-2") return admin::offset_spec::earliest();
    if (text == "latest" || text == "-1") return admin::offset_spec::latest();
    if (text == "max" || text == "max-timestamp" || text == "-3") return admin::offset_spec::max_timestamp();
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos)
        return admin::offset_spec::for_timestamp(parse_integer(text, "--time"));
    if (const auto ms = parse_datetime_ms(text)) return admin::offset_spec::for_timestamp(*ms);
    throw usage_error("--time: earliest, latest, max, milliseconds since the epoch or an ISO 8601 date-time, not '" +
                      text + "'");
}

std::vector<topic_partition> partitions_of(admin_session& s, const std::string& topic,
                                           const std::vector<std::int32_t>& partitions) {
    topic_selection selection{topic, partitions};
    for (auto p : partitions)
        if (p < 0) throw usage_error("--partition: a partition is >= 0");
    return resolve_partitions(s, {selection});
}

int run_offsets(admin_session& s, const offsets_flags& f) {
    const auto spec = time_spec(f.time);
    const auto partitions = partitions_of(s, f.topic, f.partitions);
    std::map<topic_partition, admin::offset_spec> asked;
    for (const auto& tp : partitions) asked.emplace(tp, spec);
    auto options = s.call<admin::list_offsets_options>();
    options.read_committed = f.read_committed;
    const auto listed = s.admin().list_offsets(asked, options);
    auto list = nlohmann::json::array();
    std::string text;
    for (const auto& [tp, future] : listed.values()) {
        const auto o = s.take(future, partition_name(tp));
        if (!o) continue;
        text += tp.topic + ":" + std::to_string(tp.partition.value()) + ":" + std::to_string(o->offset.value()) + "\n";
        list.push_back({{"topic", tp.topic},
                        {"partition", tp.partition.value()},
                        {"offset", o->offset.value()},
                        {"timestamp", o->timestamp_ms},
                        {"leader_epoch", o->leader_epoch ? nlohmann::json(*o->leader_epoch) : nlohmann::json(nullptr)}});
    }
    if (s.json()) s.print_json({{"offsets", list}});
    else admin_session::print_text(text);
    return exit_success;
}

/// kafka-delete-records.sh's file: {"partitions": [{"topic": T, "partition": P, "offset": N}], "version": 1}.
std::map<topic_partition, record_offset> read_offset_json_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw usage_error("--offset-json-file: cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    const auto doc = nlohmann::json::parse(text.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("partitions") || !doc["partitions"].is_array())
        throw usage_error("--offset-json-file: " + path + " is not {\"partitions\": [{\"topic\", \"partition\", \"offset\"}, ...]}");
    std::map<topic_partition, record_offset> out;
    for (const auto& p : doc["partitions"]) {
        if (!p.is_object() || !p.contains("topic") || !p["topic"].is_string() || !p.contains("partition") ||
            !p["partition"].is_number_integer() || !p.contains("offset") || !p["offset"].is_number_integer())
            throw usage_error("--offset-json-file: every partition needs \"topic\" (a string), \"partition\" and "
                              "\"offset\" (integers): " + p.dump());
        out[{p["topic"].get<std::string>(), partition_id(p["partition"].get<std::int32_t>())}] =
            record_offset(p["offset"].get<std::int64_t>());
    }
    if (out.empty()) throw usage_error("--offset-json-file: " + path + " names no partition");
    return out;
}

int run_delete_records(admin_session& s, const delete_records_flags& f) {
    std::map<topic_partition, record_offset> before;
    if (!f.offset_json_file.empty()) {
        if (!f.topic.empty() || f.before_offset) throw usage_error("give TOPIC --before-offset N or --offset-json-file, not both");
        before = read_offset_json_file(f.offset_json_file);
    } else {
        if (f.topic.empty() || !f.before_offset)
            throw usage_error("give TOPIC [--partition P]... --before-offset N, or --offset-json-file FILE");
        if (*f.before_offset < -1) throw usage_error("--before-offset: an offset >= 0, or -1 for the high watermark");
        for (const auto& tp : partitions_of(s, f.topic, f.partitions)) before.emplace(tp, record_offset(*f.before_offset));
    }
    if (before.empty()) return exit_success;
    const auto deleted = s.admin().delete_records(before, s.call<admin::delete_records_options>());
    auto list = nlohmann::json::array();
    std::string text;
    for (const auto& [tp, future] : deleted.values()) {
        const auto d = s.take(future, partition_name(tp));
        if (!d) continue;
        text += "partition: " + partition_name(tp) + "\tlow_watermark: " + std::to_string(d->low_watermark.value()) + "\n";
        list.push_back({{"topic", tp.topic}, {"partition", tp.partition.value()}, {"low_watermark", d->low_watermark.value()}});
    }
    if (s.json()) s.print_json({{"partitions", list}});
    else admin_session::print_text(text.empty() ? text : "Records delete operation completed:\n" + text);
    return exit_success;
}

} // namespace

void add_offsets_commands(command_tree& tree) {
    auto o = std::make_shared<offsets_flags>();
    CLI::App* offsets = tree.add_admin(tree.root(), "offsets",
                                       "partition offsets: earliest, latest, by timestamp (ListOffsets)",
                                       "kafkit offsets orders --time 2024-05-01T12:00:00Z",
                                       [o](admin_session& s) { return run_offsets(s, *o); });
    offsets->add_option("TOPIC", o->topic, "the topic")->required();
    one_per_flag(offsets->add_option("--partition", o->partitions, "only this partition (repeatable)"));
    offsets->add_option("--time", o->time,
                        "earliest, latest, max, milliseconds since the epoch, or YYYY-MM-DDTHH:MM:SS[.sss][Z|+HH:MM]");
    offsets->add_flag("--read-committed", o->read_committed, "latest is the last stable offset, not the high watermark");

    CLI::App* records = tree.add(tree.root(), "records", "delete records");
    auto d = std::make_shared<delete_records_flags>();
    CLI::App* del = tree.add_admin(*records, "delete",
                                   "delete the records before an offset: the partitions' log start moves up (DeleteRecords)",
                                   "kafkit records delete orders --partition 0 --before-offset 1000",
                                   [d](admin_session& s) { return run_delete_records(s, *d); });
    del->add_option("TOPIC", d->topic, "the topic (every partition unless --partition)");
    one_per_flag(del->add_option("--partition", d->partitions, "only this partition (repeatable)"));
    del->add_option("--before-offset", d->before_offset, "delete the records below this offset (-1: all, up to the high watermark)");
    del->add_option("--offset-json-file", d->offset_json_file,
                    "kafka-delete-records.sh's file: {\"partitions\": [{\"topic\", \"partition\", \"offset\"}], \"version\": 1}");
}

} // namespace kafkit::admin_cli
