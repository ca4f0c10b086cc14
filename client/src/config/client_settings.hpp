#pragma once
// The typed form of a client's configuration: what the property table parses a
// kafkit::config into. Durations are std::chrono, choices enums, sizes in bytes.
// Field names follow the property names; the table (property_table.cpp) is the one place
// that knows names, types, defaults, ranges and docs.

#include "kafkit/config.hpp"
#include "kafkit/protocol/compression.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kafkit::detail {

using std::chrono::milliseconds;

/// `client.dns.lookup`.
enum class dns_lookup { use_all_dns_ips, resolve_canonical_bootstrap_servers_only };

/// One `host:port` of `bootstrap.servers`.
struct broker_address {
    std::string host;
    std::uint16_t port = 9092;
};

/// Settings every client (producer, consumer, admin) shares.
struct client_settings {
    std::vector<broker_address> bootstrap_servers;       ///< bootstrap.servers (required, non-empty)
    std::string client_id = "kafkit";                    ///< client.id
    std::string client_rack;                             ///< client.rack
    milliseconds request_timeout{30000};                 ///< request.timeout.ms
    milliseconds socket_connection_setup_timeout{10000}; ///< socket.connection.setup.timeout.ms
    milliseconds socket_connection_setup_timeout_max{30000}; ///< socket.connection.setup.timeout.max.ms
    milliseconds connections_max_idle{540000};           ///< connections.max.idle.ms
    milliseconds reconnect_backoff{50};                  ///< reconnect.backoff.ms
    milliseconds reconnect_backoff_max{1000};            ///< reconnect.backoff.max.ms
    milliseconds retry_backoff{100};                     ///< retry.backoff.ms
    milliseconds retry_backoff_max{1000};                ///< retry.backoff.max.ms
    milliseconds metadata_max_age{300000};               ///< metadata.max.age.ms
    milliseconds topic_metadata_refresh_interval{300000};///< topic.metadata.refresh.interval.ms (alias of the above)
    std::int32_t max_in_flight_requests_per_connection = 5; ///< max.in.flight.requests.per.connection (alias max.in.flight)
    std::int32_t receive_message_max_bytes = 100000000;  ///< receive.message.max.bytes
    std::int32_t send_buffer_bytes = 131072;             ///< send.buffer.bytes (-1: OS default)
    std::int32_t receive_buffer_bytes = 65536;           ///< receive.buffer.bytes (-1: OS default)
    dns_lookup client_dns_lookup = dns_lookup::use_all_dns_ips; ///< client.dns.lookup
    milliseconds statistics_interval{0};                 ///< statistics.interval.ms (0: off)
    std::int32_t io_threads = 1;                         ///< io.threads
    log_sink log;                                        ///< config::sink()
    log_level log_level_min = log_level::info;           ///< log_level (librdkafka's syslog scale 0-7 or a name)
    stats_sink stats;                                    ///< config::statistics_sink()
};

/// `acks`: how many replicas must have a record before the broker answers.
enum class acks_mode : std::int16_t { none = 0, leader = 1, all = -1 };

/// `callback.dispatch`: where delivery callbacks run.
enum class callback_dispatch {
    io_thread, ///< on the producer's I/O thread, as soon as the broker answers (default)
    poll,      ///< on the thread that calls producer::poll
};

/// `partitioner`: see kafkit/partitioner.hpp for the kinds.
enum class partitioner_name { random, consistent, consistent_random, murmur2, murmur2_random, fnv1a, fnv1a_random };

/// Settings of a producer, on top of the shared ones.
struct producer_settings {
    client_settings client;
    acks_mode acks = acks_mode::all;                  ///< acks (alias request.required.acks): 0, 1, all/-1
    milliseconds linger{5};                            ///< linger.ms (alias queue.buffering.max.ms)
    std::int32_t batch_size = 16384;                   ///< batch.size: bytes of one batch before it is sealed
    std::int32_t batch_num_messages = 10000;           ///< batch.num.messages
    protocol::compression_codec compression = protocol::compression_codec::none; ///< compression.type (alias compression.codec)
    int compression_level = -1;                        ///< compression.level (-1: codec default)
    partitioner_name partitioner = partitioner_name::murmur2_random; ///< partitioner
    std::shared_ptr<kafkit::partitioner> custom_partitioner; ///< config::custom_partitioner()
    bool partitioner_ignore_keys = false;              ///< partitioner.ignore.keys (KIP-794)
    std::int64_t buffer_memory = 33554432;             ///< buffer.memory (alias queue.buffering.max.kbytes * 1024)
    std::int32_t queue_buffering_max_messages = 100000; ///< queue.buffering.max.messages
    milliseconds max_block{60000};                     ///< max.block.ms (0: send fails at once when full)
    std::int32_t max_request_size = 1048576;           ///< max.request.size (alias message.max.bytes)
    std::int32_t retries = 2147483647;                 ///< retries (alias message.send.max.retries)
    milliseconds delivery_timeout{120000};             ///< delivery.timeout.ms (alias message.timeout.ms)
    bool enable_idempotence = true;                    ///< enable.idempotence
    callback_dispatch dispatch = callback_dispatch::io_thread; ///< callback.dispatch
};

/// Parses and validates `cfg` as a producer's configuration. Throws kafkit::exception with
/// errc::invalid_config naming the property as the user spelled it ("linger.ms: -5 is below
/// the minimum 0", "lingr.ms: unknown property", "enable.idempotence: requires acks=all,
/// but acks is 1") when a property is unknown, a value does not parse or is out of range,
/// or two settings conflict. Consumer properties are validated, then ignored with a warning
/// to the config's log sink (as librdkafka does). Runs on the caller's thread; logs there.
producer_settings parse_producer_settings(const config& cfg);

/// The client-wide part alone (for admin clients and tests): producer and consumer
/// properties are validated and ignored with a warning. Throws as above.
client_settings parse_client_settings(const config& cfg);

} // namespace kafkit::detail
