// parse_consumer_settings: the consumer's properties, then the cross-property rules of the
// Java client (ConsumerConfig.postProcessParsedConfig and the classic coordinator's
// Heartbeat) and, for the properties Java lacks, of librdkafka's rd_kafka_conf_finalize.

#include "config/consumer_settings.hpp"

#include "config/settings_build.hpp"

#include <algorithm>
#include <string>

namespace kafkit::detail {
namespace {

constexpr std::int64_t kib = 1024;
// librdkafka's room for the Fetch response's framing (topic names included) above
// fetch.max.bytes, so that a full response fits in receive.message.max.bytes.
constexpr std::int64_t fetch_frame_overhead = 512;
// JoinGroupRequest.validateGroupInstanceId: the id follows the rules of a topic name.
constexpr std::size_t max_group_instance_id_length = 249;

std::vector<assignor_name> read_assignors(const property_values& values) {
    std::vector<assignor_name> out;
    for (auto value : values.choice_list("partition.assignment.strategy")) {
        const auto name = static_cast<assignor_name>(value);
        // A repeat adds no preference; librdkafka enables each assignor once as well.
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    return out;
}

void read_consumer_properties(const property_values& values, consumer_settings& s) {
    s.group_id = values.string("group.id");
    s.group_protocol = static_cast<group_protocol_kind>(values.integer("group.protocol"));
    s.group_remote_assignor = values.string("group.remote.assignor");
    s.partition_assignment_strategy = read_assignors(values);
    s.session_timeout = values.duration("session.timeout.ms");
    s.heartbeat_interval = values.duration("heartbeat.interval.ms");
    s.max_poll_interval = values.duration("max.poll.interval.ms");
    s.enable_auto_commit = values.boolean("enable.auto.commit");
    s.auto_commit_interval = values.duration("auto.commit.interval.ms");
    s.auto_offset_reset = static_cast<offset_reset_mode>(values.integer("auto.offset.reset"));
    s.isolation_level = static_cast<isolation_mode>(values.integer("isolation.level"));
    s.fetch_min_bytes = values.int32("fetch.min.bytes");
    s.fetch_max_bytes = values.int32("fetch.max.bytes");
    s.max_partition_fetch_bytes = values.int32("max.partition.fetch.bytes");
    s.fetch_max_wait = values.duration("fetch.max.wait.ms");
    s.max_poll_records = values.int32("max.poll.records");
    s.prefetch_max_bytes = values.integer("queued.max.messages.kbytes") * kib;
    s.check_crcs = values.boolean("check.crcs");
    s.allow_auto_create_topics = values.boolean("allow.auto.create.topics");
    s.exclude_internal_topics = values.boolean("exclude.internal.topics");
    s.enable_partition_eof = values.boolean("enable.partition.eof");
}

bool is_instance_id_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

// Java's group.instance.id is null unless set, non-empty when set (ConfigDef.NonEmptyString)
// and checked by JoinGroupRequest.validateGroupInstanceId, as it names the static member.
config_result<void> read_group_instance_id(const property_values& values, consumer_settings& s,
                                           std::vector<config_note>& notes) {
    if (!values.is_set("group.instance.id")) return {};
    const auto name = values.spelled("group.instance.id");
    const auto& id = values.string("group.instance.id");
    if (id.empty()) return config_fail(name, "empty; leave it unset for a dynamic member");
    if (id == "." || id == "..") return config_fail(name, concat({"'", id, "' is not allowed"}));
    if (id.size() > max_group_instance_id_length)
        return config_fail(name, "longer than 249 characters");
    if (!std::all_of(id.begin(), id.end(), is_instance_id_char)) {
        return config_fail(name, concat({"'", id, "' has a character other than ASCII letters, "
                                                  "digits, '.', '_' and '-'"}));
    }
    if (s.group_id.empty())
        notes.push_back({log_level::warning, concat({name, ": ignored without a group.id"})});
    s.group_instance_id = id;
    return {};
}

// ConsumerConfig's CONSUMER_PROTOCOL_UNSUPPORTED_CONFIGS (Kafka 4.0, as librdkafka 2.10):
// under KIP-848 the broker sets the session timeout and heartbeat interval and assigns the
// partitions, so setting them (to anything but blanks) fails. The other way round, the
// classic protocol has no broker-side assignor (CLASSIC_PROTOCOL_UNSUPPORTED_CONFIGS).
config_result<void> check_group_protocol(const property_values& values, consumer_settings& s,
                                         std::vector<config_note>& /*notes*/) {
    if (s.group_protocol == group_protocol_kind::classic) {
        if (s.group_remote_assignor.empty()) return {};
        return config_fail(values.spelled("group.remote.assignor"),
                           "cannot be set when group.protocol=classic; it names a broker-side "
                           "assignor of group.protocol=consumer");
    }
    constexpr std::string_view classic_only[] = {"partition.assignment.strategy",
                                                 "session.timeout.ms", "heartbeat.interval.ms"};
    std::string names;
    for (auto property : classic_only) {
        if (!values.is_set(property) || values.text(property).empty()) continue;
        if (!names.empty()) names += ", ";
        names += values.spelled(property);
    }
    if (names.empty()) return {};
    return config_fail(names, concat({"cannot be set when ", values.spelled("group.protocol"),
                                      "=consumer: the broker decides them (KIP-848)"}));
}

// ConsumerConfig.maybeOverrideEnableAutoCommit: without a group there is nothing to commit
// to. An explicit true fails; the default true quietly becomes false.
config_result<void> apply_auto_commit(const property_values& values, consumer_settings& s,
                                      std::vector<config_note>& notes) {
    if (!s.group_id.empty() || !s.enable_auto_commit) return {};
    if (values.is_set("enable.auto.commit")) {
        return config_fail(values.spelled("enable.auto.commit"),
                           "cannot be true without a group.id (there is no group to commit to)");
    }
    notes.push_back({log_level::debug, "enable.auto.commit: off, as there is no group.id"});
    s.enable_auto_commit = false;
    return {};
}

// The classic coordinator refuses a heartbeat interval that is not below the session
// timeout (Java's Heartbeat throws at construction when the consumer has a group), since
// the member would be removed between two heartbeats. The message names the setting the
// user chose. librdkafka's further rule, max.poll.interval.ms >= session.timeout.ms, is
// only a warning: the Java client accepts such a config.
config_result<void> check_classic_timeouts(const property_values& values, consumer_settings& s,
                                           std::vector<config_note>& notes) {
    if (s.group_id.empty() || s.group_protocol != group_protocol_kind::classic) return {};
    const auto session = std::to_string(s.session_timeout.count());
    const auto heartbeat = std::to_string(s.heartbeat_interval.count());
    if (s.heartbeat_interval >= s.session_timeout) {
        if (values.is_set("heartbeat.interval.ms")) {
            return config_fail(values.spelled("heartbeat.interval.ms"),
                               concat({heartbeat, " is not below ",
                                       values.spelled("session.timeout.ms"), " (", session, ")"}));
        }
        return config_fail(values.spelled("session.timeout.ms"),
                           concat({session, " is not above heartbeat.interval.ms (", heartbeat,
                                   ")"}));
    }
    if (s.max_poll_interval < s.session_timeout) {
        notes.push_back(
            {log_level::warning,
             concat({values.spelled("max.poll.interval.ms"), ": ",
                     std::to_string(s.max_poll_interval.count()), " is below ",
                     values.spelled("session.timeout.ms"), " (", session,
                     "); librdkafka refuses this, kafkit keeps it as the Java client does"})});
    }
    return {};
}

// rd_kafka_conf_finalize for a consumer: fetch.max.bytes left at its default shrinks to
// the prefetch bound, and receive.message.max.bytes must leave room for a full Fetch
// response: raised when left at its default, an error when set explicitly. (A
// fetch.max.bytes below max.partition.fetch.bytes is fine, as in the Java client.)
config_result<void> apply_fetch_sizes(const property_values& values, consumer_settings& s,
                                      std::vector<config_note>& notes) {
    if (!values.is_set("fetch.max.bytes") && s.fetch_max_bytes > s.prefetch_max_bytes) {
        s.fetch_max_bytes = static_cast<std::int32_t>(s.prefetch_max_bytes);
        notes.push_back({log_level::info,
                         concat({"fetch.max.bytes: lowered to ",
                                 values.spelled("queued.max.messages.kbytes"), " (",
                                 std::to_string(s.fetch_max_bytes), " bytes)"})});
    }
    const std::int64_t needed = s.fetch_max_bytes + fetch_frame_overhead;
    auto& frame_max = s.client.receive_message_max_bytes;
    if (frame_max >= needed) return {};
    const auto what = concat({std::to_string(frame_max), " is below ",
                              values.spelled("fetch.max.bytes"), " + 512 (",
                              std::to_string(needed), ")"});
    if (values.is_set("receive.message.max.bytes"))
        return config_fail(values.spelled("receive.message.max.bytes"), what);
    notes.push_back({log_level::info, concat({"receive.message.max.bytes: ", what, ", raised to ",
                                              std::to_string(needed)})});
    frame_max = static_cast<std::int32_t>(needed);
    return {};
}

// A JoinGroup that offers no assignor cannot succeed.
config_result<void> check_assignors(const property_values& values, consumer_settings& s,
                                    std::vector<config_note>& /*notes*/) {
    if (s.group_protocol != group_protocol_kind::classic || s.group_id.empty() ||
        !s.partition_assignment_strategy.empty())
        return {};
    return config_fail(values.spelled("partition.assignment.strategy"),
                       "empty; a group member must offer at least one assignor");
}

using consumer_rule = config_result<void> (*)(const property_values&, consumer_settings&,
                                              std::vector<config_note>&);

// In this order: a message names the first rule broken.
constexpr consumer_rule consumer_rules[] = {read_group_instance_id, check_group_protocol,
                                            apply_auto_commit,      check_classic_timeouts,
                                            apply_fetch_sizes,      check_assignors};

config_result<void> build_consumer_settings(const config& /*cfg*/, const property_values& values,
                                            consumer_settings& s,
                                            std::vector<config_note>& notes) {
    read_consumer_properties(values, s);
    for (auto rule : consumer_rules) {
        if (auto checked = rule(values, s, notes); !checked) return checked;
    }
    return {};
}

} // namespace

consumer_settings parse_consumer_settings(const config& cfg) {
    return parse_settings<consumer_settings>(cfg, property_scope::consumer,
                                             build_consumer_settings);
}

} // namespace kafkit::detail
