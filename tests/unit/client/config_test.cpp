// The property table and its value syntax: exact error messages naming the property as
// the user spelled it, defaults equal to the settings structs', aliases, bootstrap.servers
// forms, properties of another client kind. Producer conflicts: config_producer_test.cpp.

#include "config/client_settings.hpp"
#include "config/property_value.hpp"
#include "config_test_support.hpp"
#include "kafkit/config_properties.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace kafkit;
using namespace kafkit::detail;
using kafkit::testing::config_error_of;
using kafkit::testing::log_capture;
using kafkit::testing::producer_config;

TEST_CASE("config: a value below the minimum names the property") {
    CHECK(config_error_of(producer_config({{"linger.ms", "-5"}})) ==
          "linger.ms: -5 is below the minimum 0: invalid configuration");
    CHECK(config_error_of(producer_config({{"linger.ms", "900001"}})) ==
          "linger.ms: 900001 is above the maximum 900000: invalid configuration");
    CHECK(
        config_error_of(producer_config({{"batch.size", "99999999999999999999"}})) ==
        "batch.size: 99999999999999999999 is above the maximum 2147483647: invalid configuration");
    CHECK(config_error_of(producer_config({{"io.threads", "0"}})) ==
          "io.threads: 0 is below the minimum 1: invalid configuration");
}

TEST_CASE("config: integers are decimal, trimmed, with an optional plus sign") {
    for (const char* bad : {"big", "5ms", "1e3", "0x10", "", "++5", "5 5"}) {
        CAPTURE(bad);
        CHECK(config_error_of(producer_config({{"batch.size", bad}})) ==
              std::string("batch.size: '") + bad + "' is not an integer: invalid configuration");
    }
    CHECK(parse_producer_settings(producer_config({{"batch.size", " +7 "}})).batch_size == 7);
    CHECK(parse_producer_settings(producer_config({{"send.buffer.bytes", "-1"}}))
              .client.send_buffer_bytes == -1);
}

TEST_CASE("config: an unknown property fails, naming it") {
    CHECK(config_error_of(producer_config({{"lingr.ms", "5"}})) ==
          "lingr.ms: unknown property: invalid configuration");
    // Names are case-sensitive, as in Kafka and librdkafka.
    CHECK(config_error_of(producer_config({{"Linger.ms", "5"}})) ==
          "Linger.ms: unknown property: invalid configuration");
}

TEST_CASE("config: booleans and choices are case-insensitive, others list the choices") {
    CHECK(config_error_of(producer_config({{"compression.type", "lz5"}})) ==
          "compression.type: 'lz5' is not one of none, gzip, snappy, lz4, zstd: invalid "
          "configuration");
    CHECK(config_error_of(producer_config({{"enable.idempotence", "yes"}})) ==
          "enable.idempotence: 'yes' is not true or false: invalid configuration");
    CHECK(config_error_of(producer_config({{"acks", "2"}})) ==
          "acks: '2' is not one of all, -1, 0, 1: invalid configuration");
    auto s = parse_producer_settings(
        producer_config({{"compression.type", " GZIP "},
                         {"partitioner.ignore.keys", "TRUE"},
                         {"partitioner", "fnv1a_random"},
                         {"callback.dispatch", "Poll"},
                         {"client.dns.lookup", "resolve_canonical_bootstrap_servers_only"}}));
    CHECK(s.compression == protocol::compression_codec::gzip);
    CHECK(s.partitioner_ignore_keys);
    CHECK(s.partitioner == partitioner_name::fnv1a_random);
    CHECK(s.dispatch == callback_dispatch::poll);
    CHECK(s.client.client_dns_lookup == dns_lookup::resolve_canonical_bootstrap_servers_only);
}

TEST_CASE("config: acks takes 0, 1, all and -1") {
    CHECK(parse_producer_settings(producer_config({{"acks", "all"}})).acks == acks_mode::all);
    CHECK(parse_producer_settings(producer_config({{"acks", "-1"}})).acks == acks_mode::all);
    CHECK(parse_producer_settings(producer_config({{"acks", "1"}})).acks == acks_mode::leader);
    CHECK(parse_producer_settings(producer_config({{"acks", "0"}})).acks == acks_mode::none);
}

TEST_CASE("config: the defaults are the table's and equal the settings structs'") {
    const producer_settings parsed = parse_producer_settings(producer_config({}));
    const producer_settings fresh;
    const client_settings& c = parsed.client;
    const client_settings& f = fresh.client;
    CHECK(c.client_id == f.client_id);
    CHECK(c.client_rack == f.client_rack);
    CHECK(c.request_timeout == f.request_timeout);
    CHECK(c.socket_connection_setup_timeout == f.socket_connection_setup_timeout);
    CHECK(c.socket_connection_setup_timeout_max == f.socket_connection_setup_timeout_max);
    CHECK(c.connections_max_idle == f.connections_max_idle);
    CHECK(c.reconnect_backoff == f.reconnect_backoff);
    CHECK(c.reconnect_backoff_max == f.reconnect_backoff_max);
    CHECK(c.retry_backoff == f.retry_backoff);
    CHECK(c.retry_backoff_max == f.retry_backoff_max);
    CHECK(c.metadata_max_age == f.metadata_max_age);
    CHECK(c.topic_metadata_refresh_interval == f.topic_metadata_refresh_interval);
    CHECK(c.max_in_flight_requests_per_connection == f.max_in_flight_requests_per_connection);
    CHECK(c.receive_message_max_bytes == f.receive_message_max_bytes);
    CHECK(c.send_buffer_bytes == f.send_buffer_bytes);
    CHECK(c.receive_buffer_bytes == f.receive_buffer_bytes);
    CHECK(c.client_dns_lookup == f.client_dns_lookup);
    CHECK(c.statistics_interval == f.statistics_interval);
    CHECK(c.io_threads == f.io_threads);
    CHECK(c.log_level_min == f.log_level_min);
    CHECK(parsed.acks == fresh.acks);
    CHECK(parsed.linger == fresh.linger);
    CHECK(parsed.batch_size == fresh.batch_size);
    CHECK(parsed.batch_num_messages == fresh.batch_num_messages);
    CHECK(parsed.compression == fresh.compression);
    CHECK(parsed.compression_level == fresh.compression_level);
    CHECK(parsed.partitioner == fresh.partitioner);
    CHECK(parsed.partitioner_ignore_keys == fresh.partitioner_ignore_keys);
    CHECK(parsed.buffer_memory == fresh.buffer_memory);
    CHECK(parsed.queue_buffering_max_messages == fresh.queue_buffering_max_messages);
    CHECK(parsed.max_block == fresh.max_block);
    CHECK(parsed.max_request_size == fresh.max_request_size);
    CHECK(parsed.retries == fresh.retries);
    CHECK(parsed.delivery_timeout == fresh.delivery_timeout);
    CHECK(parsed.enable_idempotence == fresh.enable_idempotence);
    CHECK(parsed.dispatch == fresh.dispatch);
    // And the values Kafka's docs give, so that both cannot drift together.
    CHECK(parsed.acks == acks_mode::all);
    CHECK(parsed.enable_idempotence);
    CHECK(parsed.partitioner == partitioner_name::murmur2_random);
    CHECK(parsed.buffer_memory == 33554432);
    CHECK(parsed.delivery_timeout == std::chrono::milliseconds(120000));
    CHECK(c.client_id == "kafkit");
}

TEST_CASE("config: librdkafka's aliases set the same settings, scaled where their unit differs") {
    auto s = parse_producer_settings(kafkit::config{{"metadata.broker.list", "b1:9093"},
                                                    {"queue.buffering.max.ms", "10"},
                                                    {"queue.buffering.max.kbytes", "2048"},
                                                    {"message.timeout.ms", "300000"},
                                                    {"compression.codec", "zstd"},
                                                    {"message.send.max.retries", "3"},
                                                    {"max.in.flight", "3"},
                                                    {"topic.metadata.refresh.interval.ms", "60000"},
                                                    {"message.max.bytes", "2000000"},
                                                    {"request.required.acks", "all"}});
    REQUIRE(s.client.bootstrap_servers.size() == 1);
    CHECK(s.client.bootstrap_servers[0].host == "b1");
    CHECK(s.linger == std::chrono::milliseconds(10));
    CHECK(s.buffer_memory == 2048 * 1024);
    CHECK(s.delivery_timeout == std::chrono::milliseconds(300000));
    CHECK(s.compression == protocol::compression_codec::zstd);
    CHECK(s.retries == 3);
    CHECK(s.client.max_in_flight_requests_per_connection == 3);
    CHECK(s.client.metadata_max_age == std::chrono::milliseconds(60000));
    CHECK(s.client.topic_metadata_refresh_interval == std::chrono::milliseconds(60000));
    CHECK(s.max_request_size == 2000000);
    CHECK(find_config_property("queue.buffering.max.kbytes") ==
          find_config_property("buffer.memory"));
    CHECK(find_config_property("fetch.wait.max.ms")->name == "fetch.max.wait.ms");
}

TEST_CASE("config: an error under an alias names the alias, in the alias's unit") {
    CHECK(config_error_of(producer_config({{"queue.buffering.max.ms", "-1"}})) ==
          "queue.buffering.max.ms: -1 is below the minimum 0: invalid configuration");
    CHECK(config_error_of(producer_config({{"queue.buffering.max.kbytes", "9007199254740992"}})) ==
          "queue.buffering.max.kbytes: 9007199254740992 is above the maximum 9007199254740991: "
          "invalid configuration");
    CHECK(config_error_of(producer_config({{"compression.codec", "brotli"}})) ==
          "compression.codec: 'brotli' is not one of none, gzip, snappy, lz4, zstd: invalid "
          "configuration");
}

TEST_CASE("config: a property set under its name and an alias must agree") {
    CHECK(
        config_error_of(producer_config({{"linger.ms", "5"}, {"queue.buffering.max.ms", "10"}})) ==
        "linger.ms: set again as queue.buffering.max.ms with a different value (5 and 10); set "
        "only one: "
        "invalid configuration");
    auto s = parse_producer_settings(
        producer_config({{"buffer.memory", "1048576"}, {"queue.buffering.max.kbytes", "1024"}}));
    CHECK(s.buffer_memory == 1048576);
}

TEST_CASE(
    "config: bootstrap.servers takes host:port, [ipv6]:port, PLAINTEXT:// and a default port") {
    auto c = parse_client_settings(
        kafkit::config{{"bootstrap.servers",
                        " a:1, ,b , [::1]:9093,[fe80::1%eth0], PLAINTEXT://c:3,plaintext://d ,"}});
    const std::vector<std::pair<std::string, int>> expected = {
        {"a", 1}, {"b", 9092}, {"::1", 9093}, {"fe80::1%eth0", 9092}, {"c", 3}, {"d", 9092}};
    REQUIRE(c.bootstrap_servers.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(c.bootstrap_servers[i].host == expected[i].first);
        CHECK(c.bootstrap_servers[i].port == expected[i].second);
    }
}

TEST_CASE("config: a bad bootstrap.servers entry is quoted with what is wrong") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"h:abc", "'h:abc': port 'abc' is not a number"},
        {"h:0", "'h:0': port 0 is outside 1 to 65535"},
        {"h:70000", "'h:70000': port 70000 is outside 1 to 65535"},
        {"h:", "'h:': no port after ':'"},
        {":9092", "':9092': no host"},
        {"[::1", "'[::1': no ']' closes the IPv6 address"},
        {"[::1]x", "'[::1]x': unexpected 'x' after the IPv6 address"},
        {"::1:9092", "'::1:9092': an IPv6 address needs brackets, as in [::1]:9092"},
        {"SSL://h:1", "'SSL://h:1': TLS and SASL are not supported yet, only PLAINTEXT://"},
        {"sasl_ssl://h:1",
         "'sasl_ssl://h:1': TLS and SASL are not supported yet, only PLAINTEXT://"},
        {"http://h:1", "'http://h:1': unknown protocol 'http'"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.first);
        CHECK(config_error_of(kafkit::config{{"bootstrap.servers", "ok:1," + c.first}}) ==
              "bootstrap.servers: " + c.second + ": invalid configuration");
    }
    CHECK(config_error_of(kafkit::config{{"metadata.broker.list", "h:x"}}) ==
          "metadata.broker.list: 'h:x': port 'x' is not a number: invalid configuration");
}

TEST_CASE("config: bootstrap.servers missing or empty fails") {
    CHECK(config_error_of(kafkit::config{}) ==
          "bootstrap.servers: missing; give at least one host:port: invalid configuration");
    CHECK(config_error_of(kafkit::config{{"bootstrap.servers", " , "}}) ==
          "bootstrap.servers: empty; give at least one host:port: invalid configuration");
}

TEST_CASE("config: security.protocol accepts plaintext only, for now") {
    CHECK(config_error_of(producer_config({{"security.protocol", "SSL"}})) ==
          "security.protocol: 'SSL': TLS and SASL are not supported yet, only plaintext: invalid "
          "configuration");
    CHECK(config_error_of(producer_config({{"security.protocol", "tls"}})) ==
          "security.protocol: 'tls' is not one of plaintext, ssl, sasl_plaintext, sasl_ssl: "
          "invalid configuration");
    CHECK_NOTHROW(
        (void)parse_producer_settings(producer_config({{"security.protocol", "PLAINTEXT"}})));
}

TEST_CASE(
    "config: a consumer property given to a producer is validated, then ignored with a warning") {
    log_capture logs;
    auto cfg = producer_config({{"session.timeout.ms", "10000"}, {"fetch.wait.max.ms", "100"}});
    cfg.set_log_sink(logs.sink());
    (void)parse_producer_settings(cfg);
    CHECK(logs.lines ==
          std::vector<std::string>{
              "warning config fetch.wait.max.ms: a consumer property, ignored by a producer",
              "warning config session.timeout.ms: a consumer property, ignored by a producer"});
    CHECK(config_error_of(producer_config({{"session.timeout.ms", "0"}})) ==
          "session.timeout.ms: 0 is below the minimum 1: invalid configuration");
    CHECK(config_error_of(producer_config({{"auto.offset.reset", "oldest"}})) ==
          "auto.offset.reset: 'oldest' is not one of earliest, latest, none, smallest, beginning, "
          "largest, end, "
          "error: invalid configuration");
    CHECK(config_error_of(producer_config({{"partition.assignment.strategy", "range, fair"}})) ==
          "partition.assignment.strategy: 'fair' is not one of range, roundrobin, sticky, "
          "cooperative-sticky: "
          "invalid configuration");
}

TEST_CASE("config: an admin client ignores producer properties with a warning") {
    log_capture logs;
    auto cfg = producer_config({{"linger.ms", "7"}});
    cfg.set_log_sink(logs.sink());
    (void)parse_client_settings(cfg);
    CHECK(logs.lines ==
          std::vector<std::string>{
              "warning config linger.ms: a producer property, ignored by an admin client"});
}

TEST_CASE("config: log_level takes syslog levels and names") {
    const std::vector<std::pair<std::string, log_level>> cases = {
        {"7", log_level::debug},   {"debug", log_level::debug}, {"6", log_level::info},
        {"INFO", log_level::info}, {"5", log_level::warning},   {"notice", log_level::warning},
        {"4", log_level::warning}, {"3", log_level::error},     {"err", log_level::error},
        {"0", log_level::error}};
    for (const auto& c : cases) {
        CAPTURE(c.first);
        CHECK(parse_client_settings(producer_config({{"log_level", c.first}})).log_level_min ==
              c.second);
    }
    CHECK(config_error_of(producer_config({{"log_level", "8"}}))
              .starts_with("log_level: '8' is not one of 0, 1,"));
}

TEST_CASE("config: log_level filters the config's own warnings; a throwing sink is survived") {
    log_capture logs;
    auto cfg = producer_config({{"group.id", "g"}, {"log_level", "3"}});
    cfg.set_log_sink(logs.sink());
    (void)parse_producer_settings(cfg);
    CHECK(logs.lines.empty());
    cfg.set_log_sink(
        [](log_level, std::string_view, std::string_view) { throw std::runtime_error("sink"); });
    cfg.set("log_level", "7");
    CHECK_NOTHROW((void)parse_producer_settings(cfg));
}

TEST_CASE("config: every name and alias is unique and every row is documented") {
    std::set<std::string_view> names;
    for (const auto& p : config_properties()) {
        CAPTURE(p.name);
        CHECK(names.insert(p.name).second);
        for (const auto& a : p.aliases)
            CHECK(names.insert(a.name).second);
        CHECK(!p.doc.empty());
        CHECK(p.doc.ends_with('.'));
        CHECK((p.type == property_type::choice) <= !p.choices.empty());
        // Every default parses and lies within the property's own range.
        CHECK(parse_property_value(p, p.name, p.default_value).has_value());
        CHECK(find_config_property(p.name) == &p);
    }
    CHECK(names.size() > 60);
    CHECK(find_config_property("no.such.property") == nullptr);
    CHECK(to_string(log_level::warning) == "warning");
    CHECK(to_string(property_type::duration_ms) == "duration (ms)");
}
