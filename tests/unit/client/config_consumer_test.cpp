// The consumer's typed settings: defaults, aliases and librdkafka's synonyms, the KiB of
// queued.max.messages.kbytes, and the cross-property rules of the Java client
// (ConsumerConfig, the classic Heartbeat) and librdkafka (rd_kafka_conf_finalize).

#include "config/consumer_settings.hpp"
#include "config_test_support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

using namespace kafkit;
using namespace kafkit::detail;
using kafkit::testing::log_capture;
using std::chrono::milliseconds;

namespace {

kafkit::config consumer_config(std::initializer_list<std::pair<std::string, std::string>> extra) {
    return kafkit::testing::producer_config(extra);
}

// what() of the exception parse_consumer_settings throws (errc::invalid_config), or "no error".
std::string consumer_error_of(const kafkit::config& cfg) {
    try {
        (void)parse_consumer_settings(cfg);
    } catch (const kafkit::exception& e) {
        CHECK(e.code() == kafkit::errc::invalid_config);
        return e.what();
    }
    return "no error";
}

// The settings of `cfg` with its log lines captured into `logs`.
consumer_settings parse_logged(kafkit::config cfg, log_capture& logs) {
    cfg.set_log_sink(logs.sink());
    return parse_consumer_settings(cfg);
}

} // namespace

TEST_CASE("consumer config: defaults follow the table, auto commit is off without a group") {
    log_capture logs;
    const auto s = parse_logged(consumer_config({}), logs);
    CHECK(logs.lines.empty());
    CHECK(s.group_id.empty());
    CHECK_FALSE(s.group_instance_id.has_value());
    CHECK(s.group_protocol == group_protocol_kind::classic);
    CHECK(s.group_remote_assignor.empty());
    CHECK(s.partition_assignment_strategy ==
          std::vector<assignor_name>{assignor_name::range, assignor_name::cooperative_sticky});
    CHECK(s.session_timeout == milliseconds(45000));
    CHECK(s.heartbeat_interval == milliseconds(3000));
    CHECK(s.max_poll_interval == milliseconds(300000));
    CHECK_FALSE(s.enable_auto_commit);
    CHECK(s.auto_commit_interval == milliseconds(5000));
    CHECK(s.auto_offset_reset == offset_reset_mode::latest);
    CHECK(s.isolation_level == isolation_mode::read_uncommitted);
    CHECK(s.fetch_min_bytes == 1);
    CHECK(s.fetch_max_bytes == 52428800);
    CHECK(s.max_partition_fetch_bytes == 1048576);
    CHECK(s.fetch_max_wait == milliseconds(500));
    CHECK(s.max_poll_records == 500);
    CHECK(s.prefetch_max_bytes == 67108864);
    CHECK(s.check_crcs);
    CHECK(s.allow_auto_create_topics);
    CHECK(s.exclude_internal_topics);
    CHECK_FALSE(s.enable_partition_eof);
    CHECK(s.client.receive_message_max_bytes == 100000000);
    CHECK(s.client.bootstrap_servers.size() == 1);

    const auto grouped = parse_consumer_settings(consumer_config({{"group.id", "g"}}));
    CHECK(grouped.group_id == "g");
    CHECK(grouped.enable_auto_commit);
}

TEST_CASE("consumer config: values, aliases and librdkafka's synonyms are typed") {
    const auto s = parse_consumer_settings(consumer_config({
        {"group.id", "orders"},
        {"group.instance.id", "host-1.a_b"},
        {"partition.assignment.strategy", "Cooperative-Sticky, roundrobin,,range, roundrobin"},
        {"fetch.wait.max.ms", "250"},
        {"fetch.message.max.bytes", "4096"},
        {"isolation.level", "READ_COMMITTED"},
        {"max.poll.records", "7"},
        {"check.crcs", "false"},
        {"allow.auto.create.topics", "false"},
        {"enable.partition.eof", "true"},
    }));
    CHECK(s.group_instance_id == std::optional<std::string>("host-1.a_b"));
    // In the order given, each assignor once.
    CHECK(s.partition_assignment_strategy ==
          std::vector<assignor_name>{assignor_name::cooperative_sticky, assignor_name::roundrobin,
                                     assignor_name::range});
    CHECK(s.fetch_max_wait == milliseconds(250));
    CHECK(s.max_partition_fetch_bytes == 4096);
    CHECK(s.isolation_level == isolation_mode::read_committed);
    CHECK(s.max_poll_records == 7);
    CHECK_FALSE(s.check_crcs);
    CHECK_FALSE(s.allow_auto_create_topics);
    CHECK(s.enable_partition_eof);

    const std::vector<std::pair<std::string, offset_reset_mode>> resets = {
        {"earliest", offset_reset_mode::earliest}, {"smallest", offset_reset_mode::earliest},
        {"beginning", offset_reset_mode::earliest}, {"latest", offset_reset_mode::latest},
        {"largest", offset_reset_mode::latest},     {"END", offset_reset_mode::latest},
        {"none", offset_reset_mode::none},          {"error", offset_reset_mode::none}};
    for (const auto& reset : resets) {
        CAPTURE(reset.first);
        CHECK(parse_consumer_settings(consumer_config({{"auto.offset.reset", reset.first}}))
                  .auto_offset_reset == reset.second);
    }
    CHECK(consumer_error_of(consumer_config({{"isolation.level", "read_all"}})) ==
          "isolation.level: 'read_all' is not one of read_uncommitted, read_committed: invalid "
          "configuration");
}

TEST_CASE("consumer config: queued.max.messages.kbytes is in KiB and bounds a default "
          "fetch.max.bytes") {
    CHECK(parse_consumer_settings(consumer_config({{"queued.max.messages.kbytes", "1"}}))
              .prefetch_max_bytes == 1024);
    CHECK(parse_consumer_settings(consumer_config({{"queued.max.messages.kbytes", "2097151"}}))
              .prefetch_max_bytes == 2147482624);
    CHECK(consumer_error_of(consumer_config({{"queued.max.messages.kbytes", "0"}})) ==
          "queued.max.messages.kbytes: 0 is below the minimum 1: invalid configuration");
    CHECK(consumer_error_of(consumer_config({{"queued.max.messages.kbytes", "2097152"}})) ==
          "queued.max.messages.kbytes: 2097152 is above the maximum 2097151: invalid "
          "configuration");

    log_capture logs;
    const auto small =
        parse_logged(consumer_config({{"queued.max.messages.kbytes", "1024"}}), logs);
    CHECK(small.fetch_max_bytes == 1048576);
    CHECK(logs.lines == std::vector<std::string>{"info config fetch.max.bytes: lowered to "
                                                 "queued.max.messages.kbytes (1048576 bytes)"});
    // Set explicitly, fetch.max.bytes stays, as in librdkafka.
    CHECK(parse_consumer_settings(consumer_config({{"queued.max.messages.kbytes", "1024"},
                                                   {"fetch.max.bytes", "2000000"}}))
              .fetch_max_bytes == 2000000);
}

TEST_CASE("consumer config: receive.message.max.bytes must hold fetch.max.bytes + 512; "
          "fetch.max.bytes may be below max.partition.fetch.bytes") {
    log_capture logs;
    const auto big = parse_logged(consumer_config({{"fetch.max.bytes", "200000000"}}), logs);
    CHECK(big.client.receive_message_max_bytes == 200000512);
    CHECK(logs.lines == std::vector<std::string>{
                            "info config receive.message.max.bytes: 100000000 is below "
                            "fetch.max.bytes + 512 (200000512), raised to 200000512"});
    CHECK(consumer_error_of(consumer_config({{"fetch.max.bytes", "100000000"},
                                             {"receive.message.max.bytes", "100000000"}})) ==
          "receive.message.max.bytes: 100000000 is below fetch.max.bytes + 512 (100000512): "
          "invalid configuration");
    const auto s = parse_consumer_settings(
        consumer_config({{"fetch.max.bytes", "1000"}, {"max.partition.fetch.bytes", "1048576"}}));
    CHECK(s.fetch_max_bytes == 1000);
    CHECK(s.max_partition_fetch_bytes == 1048576);
}

TEST_CASE("consumer config: group.protocol=consumer rejects the classic-only properties; "
          "classic rejects group.remote.assignor") {
    CHECK(consumer_error_of(consumer_config(
              {{"group.protocol", "consumer"}, {"session.timeout.ms", "10000"}})) ==
          "session.timeout.ms: cannot be set when group.protocol=consumer: the broker decides "
          "them (KIP-848): invalid configuration");
    CHECK(consumer_error_of(consumer_config({{"group.protocol", "CONSUMER"},
                                             {"heartbeat.interval.ms", "1000"},
                                             {"partition.assignment.strategy", "range"},
                                             {"session.timeout.ms", "10000"}})) ==
          "partition.assignment.strategy, session.timeout.ms, heartbeat.interval.ms: cannot be "
          "set when group.protocol=consumer: the broker decides them (KIP-848): invalid "
          "configuration");
    // A blank value counts as not set, as Java's Utils.isBlank check has it.
    const auto s = parse_consumer_settings(
        consumer_config({{"group.id", "g"},
                         {"group.protocol", "consumer"},
                         {"group.remote.assignor", "uniform"},
                         {"partition.assignment.strategy", " "}}));
    CHECK(s.group_protocol == group_protocol_kind::consumer);
    CHECK(s.group_remote_assignor == "uniform");
    CHECK(consumer_error_of(consumer_config({{"group.remote.assignor", "uniform"}})) ==
          "group.remote.assignor: cannot be set when group.protocol=classic; it names a "
          "broker-side assignor of group.protocol=consumer: invalid configuration");
}

TEST_CASE("consumer config: enable.auto.commit=true set explicitly needs a group.id") {
    CHECK(consumer_error_of(consumer_config({{"enable.auto.commit", "true"}})) ==
          "enable.auto.commit: cannot be true without a group.id (there is no group to commit "
          "to): invalid configuration");
    CHECK_FALSE(parse_consumer_settings(consumer_config({{"enable.auto.commit", "false"}}))
                    .enable_auto_commit);
    CHECK(parse_consumer_settings(
              consumer_config({{"enable.auto.commit", "true"}, {"group.id", "g"}}))
              .enable_auto_commit);
}

TEST_CASE("consumer config: in a classic group heartbeat.interval.ms must be below "
          "session.timeout.ms") {
    CHECK(consumer_error_of(consumer_config({{"group.id", "g"},
                                             {"heartbeat.interval.ms", "45000"}})) ==
          "heartbeat.interval.ms: 45000 is not below session.timeout.ms (45000): invalid "
          "configuration");
    CHECK(consumer_error_of(consumer_config({{"group.id", "g"}, {"session.timeout.ms", "2000"}})) ==
          "session.timeout.ms: 2000 is not above heartbeat.interval.ms (3000): invalid "
          "configuration");
    // Without a group there is no heartbeat, as in the Java client.
    CHECK_NOTHROW((void)parse_consumer_settings(consumer_config({{"session.timeout.ms", "2000"}})));

    log_capture logs;
    const auto s = parse_logged(
        consumer_config({{"group.id", "g"}, {"max.poll.interval.ms", "10000"}}), logs);
    CHECK(s.max_poll_interval == milliseconds(10000));
    CHECK(logs.lines ==
          std::vector<std::string>{"warning config max.poll.interval.ms: 10000 is below "
                                   "session.timeout.ms (45000); librdkafka refuses this, kafkit "
                                   "keeps it as the Java client does"});
}

TEST_CASE("consumer config: group.instance.id must be a valid non-empty name") {
    CHECK(consumer_error_of(consumer_config({{"group.id", "g"}, {"group.instance.id", " "}})) ==
          "group.instance.id: empty; leave it unset for a dynamic member: invalid configuration");
    CHECK(consumer_error_of(consumer_config({{"group.id", "g"}, {"group.instance.id", ".."}})) ==
          "group.instance.id: '..' is not allowed: invalid configuration");
    CHECK(consumer_error_of(consumer_config({{"group.id", "g"}, {"group.instance.id", "a b"}})) ==
          "group.instance.id: 'a b' has a character other than ASCII letters, digits, '.', '_' "
          "and '-': invalid configuration");
    CHECK(consumer_error_of(consumer_config(
              {{"group.id", "g"}, {"group.instance.id", std::string(250, 'x')}})) ==
          "group.instance.id: longer than 249 characters: invalid configuration");
    CHECK(parse_consumer_settings(
              consumer_config({{"group.id", "g"}, {"group.instance.id", std::string(249, 'x')}}))
              .group_instance_id->size() == 249);

    log_capture logs;
    (void)parse_logged(consumer_config({{"group.instance.id", "i"}}), logs);
    CHECK(logs.lines ==
          std::vector<std::string>{"warning config group.instance.id: ignored without a group.id"});
}

TEST_CASE("consumer config: a classic group member needs an assignor") {
    CHECK(consumer_error_of(consumer_config(
              {{"group.id", "g"}, {"partition.assignment.strategy", ","}})) ==
          "partition.assignment.strategy: empty; a group member must offer at least one "
          "assignor: invalid configuration");
    CHECK(parse_consumer_settings(consumer_config({{"partition.assignment.strategy", ""}}))
              .partition_assignment_strategy.empty());
}

TEST_CASE("consumer config: a producer property is validated, then ignored with a warning") {
    log_capture logs;
    (void)parse_logged(consumer_config({{"linger.ms", "7"}, {"queue.buffering.max.kbytes", "4"}}),
                       logs);
    CHECK(logs.lines ==
          std::vector<std::string>{
              "warning config linger.ms: a producer property, ignored by a consumer",
              "warning config queue.buffering.max.kbytes: a producer property, ignored by a "
              "consumer"});
    CHECK(consumer_error_of(consumer_config({{"acks", "2"}})) ==
          "acks: '2' is not one of all, -1, 0, 1: invalid configuration");
    CHECK(consumer_error_of(consumer_config({{"fetch.max.wait", "1"}})) ==
          "fetch.max.wait: unknown property: invalid configuration");
}
