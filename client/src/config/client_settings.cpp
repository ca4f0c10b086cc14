// parse_client_settings and the client-wide half of every client's settings.

#include "config/bootstrap_servers.hpp"
#include "config/settings_build.hpp"
#include "kafkit/exception.hpp"
#include "kafkit/protocol/error.hpp"
#include "util/logger.hpp"

namespace kafkit::detail {
namespace {

// librdkafka's log_level is syslog's scale (0 emerg ... 7 debug); a level keeps the lines
// at least as severe. kafkit has no notice, so 5 keeps warnings, and 0-3 keep errors.
log_level from_syslog(std::int64_t level) noexcept {
    if (level >= 7) return log_level::debug;
    if (level == 6) return log_level::info;
    if (level >= 4) return log_level::warning;
    return log_level::error;
}

// A ceiling below its base is raised to the base, as the Java client does for
// retry.backoff.max.ms (KIP-580); kafkit does so for each base/ceiling pair, and says so.
void raise_ceiling(const property_values& values, std::string_view base, std::string_view ceiling,
                   std::chrono::milliseconds base_value, std::chrono::milliseconds& ceiling_value,
                   std::vector<config_note>& notes) {
    if (ceiling_value >= base_value) return;
    notes.push_back(
        {log_level::info,
         concat({values.spelled(ceiling), ": ", std::to_string(ceiling_value.count()), " is below ",
                 values.spelled(base), ", raised to ", std::to_string(base_value.count())})});
    ceiling_value = base_value;
}

config_result<void> check_security_protocol(const property_values& values) {
    constexpr std::int64_t plaintext = 0; // the first choice of security.protocol
    if (values.integer("security.protocol") == plaintext) return {};
    return config_fail(values.spelled("security.protocol"),
                       concat({"'", values.text("security.protocol"),
                               "': TLS and SASL are not supported yet, only plaintext"}));
}

config_result<std::vector<broker_address>> bootstrap_addresses(const property_values& values) {
    if (!values.is_set("bootstrap.servers")) {
        return config_fail("bootstrap.servers", "missing; give at least one host:port");
    }
    return parse_bootstrap_servers(values.spelled("bootstrap.servers"),
                                   values.list("bootstrap.servers"));
}

} // namespace

config_result<client_settings> build_client_settings(const config& cfg,
                                                     const property_values& values,
                                                     std::vector<config_note>& notes) {
    if (auto security = check_security_protocol(values); !security) return security.error();
    auto servers = bootstrap_addresses(values);
    if (!servers) return servers.error();

    client_settings s;
    s.bootstrap_servers = std::move(servers).value();
    s.client_id = values.string("client.id");
    s.client_rack = values.string("client.rack");
    s.request_timeout = values.duration("request.timeout.ms");
    s.socket_connection_setup_timeout = values.duration("socket.connection.setup.timeout.ms");
    s.socket_connection_setup_timeout_max =
        values.duration("socket.connection.setup.timeout.max.ms");
    s.connections_max_idle = values.duration("connections.max.idle.ms");
    s.reconnect_backoff = values.duration("reconnect.backoff.ms");
    s.reconnect_backoff_max = values.duration("reconnect.backoff.max.ms");
    s.retry_backoff = values.duration("retry.backoff.ms");
    s.retry_backoff_max = values.duration("retry.backoff.max.ms");
    s.metadata_max_age = values.duration("metadata.max.age.ms");
    // librdkafka's name for the same interval is an alias in the table.
    s.topic_metadata_refresh_interval = s.metadata_max_age;
    s.max_in_flight_requests_per_connection = values.int32("max.in.flight.requests.per.connection");
    s.receive_message_max_bytes = values.int32("receive.message.max.bytes");
    s.send_buffer_bytes = values.int32("send.buffer.bytes");
    s.receive_buffer_bytes = values.int32("receive.buffer.bytes");
    s.client_dns_lookup = static_cast<dns_lookup>(values.integer("client.dns.lookup"));
    s.statistics_interval = values.duration("statistics.interval.ms");
    s.io_threads = values.int32("io.threads");
    s.log = cfg.sink();
    s.log_level_min = from_syslog(values.integer("log_level"));
    s.stats = cfg.statistics_sink();

    raise_ceiling(values, "reconnect.backoff.ms", "reconnect.backoff.max.ms", s.reconnect_backoff,
                  s.reconnect_backoff_max, notes);
    raise_ceiling(values, "retry.backoff.ms", "retry.backoff.max.ms", s.retry_backoff,
                  s.retry_backoff_max, notes);
    raise_ceiling(values, "socket.connection.setup.timeout.ms",
                  "socket.connection.setup.timeout.max.ms", s.socket_connection_setup_timeout,
                  s.socket_connection_setup_timeout_max, notes);
    if (s.statistics_interval.count() > 0 && !s.stats) {
        notes.push_back(
            {log_level::warning,
             concat({values.spelled("statistics.interval.ms"),
                     ": set, but the config has no stats sink; statistics are dropped"})});
    }
    return s;
}

void log_config_notes(const client_settings& settings, const property_values& values,
                      const std::vector<config_note>& notes) {
    const logger log(settings.log, settings.log_level_min);
    for (const auto& line : values.warnings())
        log.warning("config", line);
    for (const auto& note : notes)
        log.log(note.level, "config", note.text);
}

void throw_invalid_config(const config_error& error) {
    throw exception(make_error_code(errc::invalid_config), error.message);
}

client_settings parse_client_settings(const config& cfg) {
    auto values = resolve_properties(cfg, property_scope::admin);
    if (!values) throw_invalid_config(values.error());
    std::vector<config_note> notes;
    auto settings = build_client_settings(cfg, values.value(), notes);
    if (!settings) throw_invalid_config(settings.error());
    log_config_notes(settings.value(), values.value(), notes);
    return std::move(settings).value();
}

} // namespace kafkit::detail
