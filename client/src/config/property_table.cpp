// kafkit's one property table: every property, its aliases, type, default, range, scope,
// importance and doc, driving parsing (property_values.cpp), kafkit::config_properties()
// and docs/configuration.md. Names, defaults and lower bounds follow the Java client
// (CommonClientConfigs, ProducerConfig, ConsumerConfig) where it has the property; upper
// bounds, aliases and the properties only librdkafka has follow librdkafka's
// CONFIGURATION.md. consumer_settings.cpp reads the consumer rows (every config validates
// them); the consumer itself comes later.

#include "config/property_table.hpp"

#include <limits>

namespace kafkit {
namespace {

constexpr std::int64_t int32_max = std::numeric_limits<std::int32_t>::max();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

using enum property_type;
using enum property_scope;
using enum property_importance;

// Common.
constexpr property_alias bootstrap_aliases[] = {{"metadata.broker.list"}};
constexpr property_alias metadata_age_aliases[] = {{"topic.metadata.refresh.interval.ms"}};
constexpr property_alias in_flight_aliases[] = {{"max.in.flight"}};

constexpr property_choice dns_lookup_choices[] = {
    {"use_all_dns_ips", 0},
    {"resolve_canonical_bootstrap_servers_only", 1},
};

// Parsed in full so that a Java or librdkafka config gets a precise answer; only plaintext
// passes the client settings check (client_settings.cpp).
constexpr property_choice security_protocol_choices[] = {
    {"plaintext", 0}, {"ssl", 1}, {"sasl_plaintext", 2}, {"sasl_ssl", 3}};

// librdkafka's log_level is a syslog(3) severity; the names are syslog's, plus "error".
constexpr property_choice log_level_choices[] = {
    {"0", 0},     {"1", 1},       {"2", 2},      {"3", 3},     {"4", 4},     {"5", 5},
    {"6", 6},     {"7", 7},       {"emerg", 0},  {"alert", 1}, {"crit", 2},  {"err", 3},
    {"error", 3}, {"warning", 4}, {"notice", 5}, {"info", 6},  {"debug", 7},
};

// Producer.
constexpr property_alias acks_aliases[] = {{"request.required.acks"}};
constexpr property_alias linger_aliases[] = {{"queue.buffering.max.ms"}};
constexpr property_alias compression_aliases[] = {{"compression.codec"}};
constexpr property_alias buffer_memory_aliases[] = {{"queue.buffering.max.kbytes", 1024}};
constexpr property_alias max_request_aliases[] = {{"message.max.bytes"}};
constexpr property_alias retries_aliases[] = {{"message.send.max.retries"}};
constexpr property_alias delivery_timeout_aliases[] = {{"message.timeout.ms"}};

// Values are those of detail::acks_mode: what the Produce request carries.
constexpr property_choice acks_choices[] = {{"all", -1}, {"-1", -1}, {"0", 0}, {"1", 1}};

// Values are protocol::compression_codec's, the batch attribute bits.
constexpr property_choice compression_choices[] = {
    {"none", 0}, {"gzip", 1}, {"snappy", 2}, {"lz4", 3}, {"zstd", 4}};

// Values follow detail::partitioner_name.
constexpr property_choice partitioner_choices[] = {
    {"random", 0},         {"consistent", 1}, {"consistent_random", 2}, {"murmur2", 3},
    {"murmur2_random", 4}, {"fnv1a", 5},      {"fnv1a_random", 6}};

constexpr property_choice dispatch_choices[] = {{"io_thread", 0}, {"poll", 1}};

// Consumer.
constexpr property_alias fetch_wait_aliases[] = {{"fetch.wait.max.ms"}};
constexpr property_alias partition_fetch_aliases[] = {{"fetch.message.max.bytes"}};

// Values follow detail::group_protocol_kind.
constexpr property_choice group_protocol_choices[] = {{"classic", 0}, {"consumer", 1}};

// librdkafka's assignor names (Java spells them as class names); values follow
// detail::assignor_name.
constexpr property_choice assignor_choices[] = {
    {"range", 0}, {"roundrobin", 1}, {"sticky", 2}, {"cooperative-sticky", 3}};

// librdkafka's synonyms share the value of the Java name they mean (detail::offset_reset_mode).
constexpr property_choice offset_reset_choices[] = {
    {"earliest", 0},  {"latest", 1},  {"none", 2}, {"smallest", 0},
    {"beginning", 0}, {"largest", 1}, {"end", 1},  {"error", 2}};

// Values are detail::isolation_mode's, what Fetch and ListOffsets carry.
constexpr property_choice isolation_choices[] = {{"read_uncommitted", 0}, {"read_committed", 1}};

// One row per property, packed for reading rather than one field per line.
// clang-format off
constexpr property_info table[] = {
    // Common: read by every client.
    {.name = "bootstrap.servers", .type = list, .scope = common, .importance = high,
     .aliases = bootstrap_aliases,
     .doc = "Required. Brokers to fetch the cluster's metadata from first: comma-separated "
            "host:port, [ipv6]:port, an optional PLAINTEXT:// prefix; the port defaults to "
            "9092 as in librdkafka."},
    {.name = "client.id", .type = string, .scope = common, .importance = medium,
     .default_value = "kafkit",
     .doc = "Name sent with every request, for the brokers' logs, metrics and quotas."},
    {.name = "client.rack", .type = string, .scope = common, .importance = low,
     .doc = "Rack (or zone) this client runs in, so a consumer can fetch from the closest "
            "replica (KIP-392); empty: no preference."},
    {.name = "client.dns.lookup", .type = choice, .scope = common, .importance = medium,
     .default_value = "use_all_dns_ips", .choices = dns_lookup_choices,
     .doc = "Try every address a broker's name resolves to, or first expand each bootstrap "
            "name to its canonical names (resolve_canonical_bootstrap_servers_only)."},
    {.name = "security.protocol", .type = choice, .scope = common, .importance = medium,
     .default_value = "plaintext", .choices = security_protocol_choices,
     .doc = "How connections to brokers are secured. Only plaintext for now: TLS and SASL "
            "are not supported yet."},
    {.name = "request.timeout.ms", .type = duration_ms, .scope = common, .importance = medium,
     .default_value = "30000", .min = 0, .max = 900000,
     .doc = "How long to wait for a broker's answer to a request before it fails or is "
            "retried."},
    {.name = "socket.connection.setup.timeout.ms", .type = duration_ms, .scope = common,
     .importance = medium, .default_value = "10000", .min = 0, .max = int32_max,
     .doc = "How long the first attempt to connect to a broker may take; later attempts "
            "double it, with jitter."},
    {.name = "socket.connection.setup.timeout.max.ms", .type = duration_ms, .scope = common,
     .importance = medium, .default_value = "30000", .min = 0, .max = int32_max,
     .doc = "Ceiling of the growing connection setup timeout (raised to "
            "socket.connection.setup.timeout.ms if below it)."},
    {.name = "connections.max.idle.ms", .type = duration_ms, .scope = common, .importance = medium,
     .default_value = "540000", .min = 0, .max = int32_max,
     .doc = "Close a broker connection that carried nothing for this long."},
    {.name = "reconnect.backoff.ms", .type = duration_ms, .scope = common, .importance = low,
     .default_value = "50", .min = 0, .max = 3600000,
     .doc = "First wait before reconnecting to a broker; it doubles with each failure, with "
            "jitter, up to reconnect.backoff.max.ms."},
    {.name = "reconnect.backoff.max.ms", .type = duration_ms, .scope = common, .importance = low,
     .default_value = "1000", .min = 0, .max = 3600000,
     .doc = "Longest wait between reconnection attempts (raised to reconnect.backoff.ms if "
            "below it)."},
    {.name = "retry.backoff.ms", .type = duration_ms, .scope = common, .importance = low,
     .default_value = "100", .min = 0, .max = 300000,
     .doc = "First wait before retrying a failed request; it doubles with each retry, with "
            "jitter, up to retry.backoff.max.ms (KIP-580)."},
    {.name = "retry.backoff.max.ms", .type = duration_ms, .scope = common, .importance = low,
     .default_value = "1000", .min = 0, .max = 300000,
     .doc = "Longest wait between retries of a request (raised to retry.backoff.ms if below "
            "it)."},
    {.name = "metadata.max.age.ms", .type = duration_ms, .scope = common, .importance = low,
     .default_value = "300000", .min = 0, .max = 86400000, .aliases = metadata_age_aliases,
     .doc = "Refresh the cluster metadata at least this often, even without errors, to "
            "notice new brokers and partitions."},
    {.name = "max.in.flight.requests.per.connection", .type = int32, .scope = common,
     .importance = low, .default_value = "5", .min = 1, .max = 1000000,
     .aliases = in_flight_aliases,
     .doc = "Requests sent on one connection before waiting for an answer; at most 5 with "
            "enable.idempotence."},
    {.name = "receive.message.max.bytes", .type = int32, .scope = common, .importance = medium,
     .default_value = "100000000", .min = 1000, .max = int32_max,
     .doc = "Largest response frame accepted from a broker; a larger one closes the "
            "connection. A consumer raises the default to fetch.max.bytes + 512."},
    {.name = "send.buffer.bytes", .type = int32, .scope = common, .importance = medium,
     .default_value = "131072", .min = -1, .max = int32_max,
     .doc = "Socket send buffer (SO_SNDBUF); -1 keeps the operating system's default."},
    {.name = "receive.buffer.bytes", .type = int32, .scope = common, .importance = medium,
     .default_value = "65536", .min = -1, .max = int32_max,
     .doc = "Socket receive buffer (SO_RCVBUF); -1 keeps the operating system's default."},
    {.name = "statistics.interval.ms", .type = duration_ms, .scope = common, .importance = high,
     .default_value = "0", .min = 0, .max = 86400000,
     .doc = "How often the client's statistics go as JSON to the config's stats sink; 0 "
            "turns them off."},
    {.name = "io.threads", .type = int32, .scope = common, .importance = low, .default_value = "1",
     .min = 1, .max = 1,
     .doc = "Threads that run the client's network I/O (and io_thread callbacks); one "
            "for now, which owns every connection of the client."},
    {.name = "log_level", .type = choice, .scope = common, .importance = low, .default_value = "6",
     .choices = log_level_choices,
     .doc = "Least severe line passed to the log sink, as a syslog level or its name: "
            "7 debug, 6 info, 4-5 warnings, 0-3 errors only."},
    // Producer.
    {.name = "acks", .type = choice, .scope = producer, .importance = high, .default_value = "all",
     .choices = acks_choices, .aliases = acks_aliases,
     .doc = "Replicas that must have a record before the broker answers: 0 (no answer is "
            "awaited), 1 (the leader) or all/-1 (every in-sync replica)."},
    {.name = "enable.idempotence", .type = boolean, .scope = producer, .importance = low,
     .default_value = "true",
     .doc = "Write each record once and in order per partition, even across retries; needs "
            "acks=all, retries above 0 and at most 5 requests in flight."},
    {.name = "linger.ms", .type = duration_ms, .scope = producer, .importance = medium,
     .default_value = "5", .min = 0, .max = 900000, .aliases = linger_aliases,
     .doc = "How long a partition's batch waits for more records before it is sent; 0 "
            "sends as soon as a connection is free."},
    {.name = "batch.size", .type = int32, .scope = producer, .importance = medium,
     .default_value = "16384", .min = 0, .max = int32_max,
     .doc = "Bytes of records a partition's batch holds before it is sealed and sent."},
    {.name = "batch.num.messages", .type = int32, .scope = producer, .importance = medium,
     .default_value = "10000", .min = 1, .max = 1000000,
     .doc = "Records a batch holds before it is sealed and sent."},
    {.name = "compression.type", .type = choice, .scope = producer, .importance = high,
     .default_value = "none", .choices = compression_choices, .aliases = compression_aliases,
     .doc = "Codec that compresses each record batch."},
    {.name = "compression.level", .type = int32, .scope = producer, .importance = medium,
     .default_value = "-1", .min = -1, .max = 22,
     .doc = "Level of the codec: gzip 0-9, lz4 0-12, zstd 1-22; -1 is the codec's own "
            "default. Ignored by none and snappy."},
    {.name = "partitioner", .type = choice, .scope = producer, .importance = high,
     .default_value = "murmur2_random", .choices = partitioner_choices,
     .doc = "How a record without a partition gets one: a hash of its key (murmur2 as the "
            "Java client, CRC32 or FNV-1a as librdkafka); null keys per the _random suffix."},
    {.name = "partitioner.ignore.keys", .type = boolean, .scope = producer, .importance = medium,
     .default_value = "false",
     .doc = "Place keyed records as if they had no key (KIP-794)."},
    {.name = "buffer.memory", .type = int64, .scope = producer, .importance = high,
     .default_value = "33554432", .min = 0, .max = int64_max, .aliases = buffer_memory_aliases,
     .doc = "Bytes of records waiting to be sent; when full, send() waits up to "
            "max.block.ms for room."},
    {.name = "queue.buffering.max.messages", .type = int32, .scope = producer, .importance = high,
     .default_value = "100000", .min = 0, .max = int32_max,
     .doc = "Records waiting to be sent; when full, send() waits up to max.block.ms for "
            "room. 0: no limit."},
    {.name = "max.block.ms", .type = duration_ms, .scope = producer, .importance = medium,
     .default_value = "60000", .min = 0, .max = int32_max,
     .doc = "How long send() waits for buffer room before failing with queue_full; 0 fails "
            "at once."},
    {.name = "max.request.size", .type = int32, .scope = producer, .importance = medium,
     .default_value = "1048576", .min = 0, .max = 1000000000, .aliases = max_request_aliases,
     .doc = "Largest Produce request sent, and so the largest record accepted."},
    {.name = "retries", .type = int32, .scope = producer, .importance = high,
     .default_value = "2147483647", .min = 0, .max = int32_max, .aliases = retries_aliases,
     .doc = "How many times a failed batch is resent before its records fail; "
            "delivery.timeout.ms bounds the time in any case."},
    {.name = "delivery.timeout.ms", .type = duration_ms, .scope = producer, .importance = medium,
     .default_value = "120000", .min = 0, .max = int32_max, .aliases = delivery_timeout_aliases,
     .doc = "Longest time from send() to a record's outcome, retries included; at least "
            "linger.ms + request.timeout.ms."},
    {.name = "callback.dispatch", .type = choice, .scope = producer, .importance = medium,
     .default_value = "io_thread", .choices = dispatch_choices,
     .doc = "Where delivery callbacks run: on the I/O thread as answers arrive (io_thread) "
            "or inside producer::poll() (poll)."},
    // Consumer.
    {.name = "group.id", .type = string, .scope = consumer, .importance = high,
     .doc = "Consumer group to join; empty: no group (manual assignment, no commits)."},
    {.name = "group.instance.id", .type = string, .scope = consumer, .importance = medium,
     .doc = "Static membership id (KIP-345): a member back within session.timeout.ms keeps "
            "its partitions without a rebalance. ASCII letters, digits, '.', '_' and '-', at "
            "most 249."},
    {.name = "group.protocol", .type = choice, .scope = consumer, .importance = medium,
     .default_value = "classic", .choices = group_protocol_choices,
     .doc = "Group protocol: classic (JoinGroup and SyncGroup) or consumer (KIP-848, the "
            "broker assigns)."},
    {.name = "partition.assignment.strategy", .type = list, .scope = consumer, .importance = medium,
     .default_value = "range,cooperative-sticky", .choices = assignor_choices,
     .doc = "Assignors this member offers under the classic protocol, most preferred "
            "first; setting it fails with group.protocol=consumer."},
    {.name = "group.remote.assignor", .type = string, .scope = consumer, .importance = medium,
     .doc = "Broker-side assignor to ask for under group.protocol=consumer (KIP-848), such "
            "as uniform or range; empty: the broker's default. Setting it fails with "
            "group.protocol=classic."},
    {.name = "session.timeout.ms", .type = duration_ms, .scope = consumer, .importance = high,
     .default_value = "45000", .min = 1, .max = 3600000,
     .doc = "A member that sends no heartbeat for this long is removed from the group. "
            "Classic protocol only: setting it fails with group.protocol=consumer, where the "
            "broker decides."},
    {.name = "heartbeat.interval.ms", .type = duration_ms, .scope = consumer, .importance = high,
     .default_value = "3000", .min = 1, .max = 3600000,
     .doc = "How often a member heartbeats to the group coordinator: below "
            "session.timeout.ms, best a third of it. Classic protocol only, as "
            "session.timeout.ms."},
    {.name = "max.poll.interval.ms", .type = duration_ms, .scope = consumer, .importance = medium,
     .default_value = "300000", .min = 1, .max = 86400000,
     .doc = "A member that does not poll for this long leaves the group, so its partitions "
            "move to others."},
    {.name = "enable.auto.commit", .type = boolean, .scope = consumer, .importance = medium,
     .default_value = "true",
     .doc = "Commit the offsets of polled records in the background. Needs a group.id: "
            "without one the default turns off and an explicit true fails."},
    {.name = "auto.commit.interval.ms", .type = duration_ms, .scope = consumer, .importance = low,
     .default_value = "5000", .min = 0, .max = 86400000,
     .doc = "How often offsets are committed when enable.auto.commit is true."},
    {.name = "auto.offset.reset", .type = choice, .scope = consumer, .importance = medium,
     .default_value = "latest", .choices = offset_reset_choices,
     .doc = "Where to start in a partition without a valid committed offset: earliest, "
            "latest, or none (fail); librdkafka's synonyms are accepted."},
    {.name = "isolation.level", .type = choice, .scope = consumer, .importance = medium,
     .default_value = "read_uncommitted", .choices = isolation_choices,
     .doc = "read_committed hides records of open and aborted transactions; "
            "read_uncommitted returns every record."},
    {.name = "allow.auto.create.topics", .type = boolean, .scope = consumer,
     .importance = medium, .default_value = "true",
     .doc = "Let the broker create a subscribed or assigned topic that does not exist, if "
            "its auto.create.topics.enable allows. true as in the Java client; librdkafka's "
            "default is false."},
    {.name = "exclude.internal.topics", .type = boolean, .scope = consumer,
     .importance = medium, .default_value = "true",
     .doc = "Leave internal topics (__consumer_offsets, __transaction_state) out of a regex "
            "subscription; naming one explicitly still subscribes to it."},
    {.name = "fetch.min.bytes", .type = int32, .scope = consumer, .importance = high,
     .default_value = "1", .min = 0, .max = 100000000,
     .doc = "Bytes a fetch asks the broker to gather, waiting up to fetch.max.wait.ms, "
            "before it answers."},
    {.name = "fetch.max.bytes", .type = int32, .scope = consumer, .importance = medium,
     .default_value = "52428800", .min = 0, .max = 2147483135,
     .doc = "Most bytes one fetch response may carry (a first large batch is still "
            "returned whole); receive.message.max.bytes must exceed it by 512."},
    {.name = "max.partition.fetch.bytes", .type = int32, .scope = consumer, .importance = high,
     .default_value = "1048576", .min = 0, .max = 1000000000, .aliases = partition_fetch_aliases,
     .doc = "Most bytes one fetch response may carry for one partition."},
    {.name = "fetch.max.wait.ms", .type = duration_ms, .scope = consumer, .importance = low,
     .default_value = "500", .min = 0, .max = 300000, .aliases = fetch_wait_aliases,
     .doc = "Longest time the broker holds a fetch waiting for fetch.min.bytes."},
    {.name = "max.poll.records", .type = int32, .scope = consumer, .importance = medium,
     .default_value = "500", .min = 1, .max = int32_max,
     .doc = "Most records one poll returns."},
    {.name = "queued.max.messages.kbytes", .type = int32, .scope = consumer, .importance = medium,
     .default_value = "65536", .min = 1, .max = 2097151,
     .doc = "KiB of fetched records not yet polled, across all partitions: the consumer "
            "stops fetching ahead while this much waits. A default fetch.max.bytes shrinks "
            "to fit."},
    {.name = "check.crcs", .type = boolean, .scope = consumer, .importance = low,
     .default_value = "true",
     .doc = "Verify the CRC32C of every fetched batch, to catch corruption on the wire or "
            "on disk."},
    {.name = "enable.partition.eof", .type = boolean, .scope = consumer, .importance = low,
     .default_value = "false",
     .doc = "Have poll report each time the consumer reaches the end of a partition (as "
            "librdkafka's partition EOF event)."},

    // Admin.
    {.name = "default.api.timeout.ms", .type = duration_ms, .scope = admin, .importance = medium,
     .default_value = "60000", .min = 0, .max = int32_max,
     .doc = "How long an admin operation may take, retries included, when its options set no "
            "timeout."},
};
// clang-format on

} // namespace

std::span<const property_info> config_properties() noexcept {
    return table;
}

const property_info* find_config_property(std::string_view name) noexcept {
    return detail::match_property(name).info;
}

std::string_view to_string(property_type type) noexcept {
    switch (type) {
    case property_type::boolean: return "bool";
    case property_type::int32: return "int";
    case property_type::int64: return "long";
    case property_type::duration_ms: return "duration (ms)";
    case property_type::string: return "string";
    case property_type::list: return "list";
    case property_type::choice: return "enum";
    }
    return "unknown";
}

std::string_view to_string(property_scope scope) noexcept {
    switch (scope) {
    case property_scope::common: return "common";
    case property_scope::producer: return "producer";
    case property_scope::consumer: return "consumer";
    case property_scope::admin: return "admin";
    }
    return "unknown";
}

std::string_view to_string(property_importance importance) noexcept {
    switch (importance) {
    case property_importance::high: return "high";
    case property_importance::medium: return "medium";
    case property_importance::low: return "low";
    }
    return "unknown";
}

namespace detail {

property_match match_property(std::string_view name) noexcept {
    // About sixty rows: a linear scan is cheap next to building a client.
    for (const auto& info : table) {
        if (info.name == name) return {&info, 1};
        for (const auto& alias : info.aliases) {
            if (alias.name == name) return {&info, alias.scale};
        }
    }
    return {};
}

} // namespace detail
} // namespace kafkit
