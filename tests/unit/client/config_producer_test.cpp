// The producer's cross-property rules, as the Java client 3.x applies them: idempotence
// against acks, retries and max.in.flight; delivery.timeout.ms against linger.ms +
// request.timeout.ms; compression.level per codec; backoff ceilings; custom partitioners.

#include "config/client_settings.hpp"
#include "config_test_support.hpp"
#include "kafkit/partitioner.hpp"

#include <doctest/doctest.h>

using namespace kafkit;
using namespace kafkit::detail;
using kafkit::testing::config_error_of;
using kafkit::testing::log_capture;
using kafkit::testing::producer_config;

namespace {

struct first_partition final : partitioner {
    partition_id partition(std::string_view, std::optional<bytes_ref>, std::int32_t) override {
        return partition_id{0};
    }
};

} // namespace

TEST_CASE("config: enable.idempotence set to true conflicts with acks, retries and max.in.flight") {
    CHECK(config_error_of(producer_config({{"enable.idempotence", "true"}, {"acks", "1"}})) ==
          "enable.idempotence: requires acks=all, but acks is 1: invalid configuration");
    CHECK(config_error_of(
              producer_config({{"enable.idempotence", "true"}, {"request.required.acks", "0"}})) ==
          "enable.idempotence: requires acks=all, but request.required.acks is 0: invalid "
          "configuration");
    CHECK(config_error_of(producer_config({{"enable.idempotence", "true"}, {"retries", "0"}})) ==
          "enable.idempotence: requires retries above 0, but retries is 0: invalid configuration");
    CHECK(config_error_of(
              producer_config({{"enable.idempotence", "true"}, {"max.in.flight", "6"}})) ==
          "enable.idempotence: requires at most 5 requests in flight, but max.in.flight is 6: "
          "invalid configuration");
    auto s = parse_producer_settings(
        producer_config({{"enable.idempotence", "true"}, {"max.in.flight", "5"}}));
    CHECK(s.enable_idempotence);
}

TEST_CASE("config: idempotence left at its default is turned off by a conflicting setting, with a "
          "log line") {
    log_capture logs;
    auto cfg = producer_config({{"acks", "1"}, {"max.in.flight.requests.per.connection", "10"}});
    cfg.set_log_sink(logs.sink());
    auto s = parse_producer_settings(cfg);
    CHECK_FALSE(s.enable_idempotence);
    CHECK(s.acks == acks_mode::leader);
    CHECK(s.client.max_in_flight_requests_per_connection == 10);
    CHECK(logs.lines ==
          std::vector<std::string>{"info config enable.idempotence: turned off because acks is 1 "
                                   "(idempotence requires acks=all)",
                                   "info config enable.idempotence: turned off because "
                                   "max.in.flight.requests.per.connection is 10 "
                                   "(idempotence requires at most 5 requests in flight)"});

    CHECK_FALSE(parse_producer_settings(producer_config({{"retries", "0"}})).enable_idempotence);
    // Explicitly off: nothing to turn off, nothing to say.
    log_capture quiet;
    auto off = producer_config({{"enable.idempotence", "false"}, {"acks", "0"}});
    off.set_log_sink(quiet.sink());
    CHECK_FALSE(parse_producer_settings(off).enable_idempotence);
    CHECK(quiet.lines.empty());
}

TEST_CASE("config: an explicit delivery.timeout.ms below linger.ms + request.timeout.ms fails") {
    CHECK(config_error_of(producer_config({{"delivery.timeout.ms", "1000"}})) ==
          "delivery.timeout.ms: 1000 is below linger.ms + request.timeout.ms (5 + 30000): invalid "
          "configuration");
    CHECK(config_error_of(producer_config(
              {{"message.timeout.ms", "20000"}, {"queue.buffering.max.ms", "100"}})) ==
          "message.timeout.ms: 20000 is below queue.buffering.max.ms + request.timeout.ms (100 + "
          "30000): "
          "invalid configuration");
    CHECK(parse_producer_settings(producer_config({{"delivery.timeout.ms", "30005"}}))
              .delivery_timeout == std::chrono::milliseconds(30005));
}

TEST_CASE("config: the default delivery.timeout.ms is raised to linger.ms + request.timeout.ms") {
    log_capture logs;
    auto cfg = producer_config({{"linger.ms", "100000"}});
    cfg.set_log_sink(logs.sink());
    CHECK(parse_producer_settings(cfg).delivery_timeout == std::chrono::milliseconds(130000));
    CHECK(logs.lines == std::vector<std::string>{
                            "warning config delivery.timeout.ms: 120000 is below linger.ms + "
                            "request.timeout.ms (100000 + 30000), raised to 130000"});
}

TEST_CASE("config: compression.level is checked against the chosen codec's range") {
    CHECK(config_error_of(
              producer_config({{"compression.type", "gzip"}, {"compression.level", "10"}})) ==
          "compression.level: 10 is outside gzip's range 0 to 9 (-1: the codec's default): invalid "
          "configuration");
    CHECK(config_error_of(
              producer_config({{"compression.type", "lz4"}, {"compression.level", "13"}})) ==
          "compression.level: 13 is outside lz4's range 0 to 12 (-1: the codec's default): invalid "
          "configuration");
    CHECK(config_error_of(
              producer_config({{"compression.type", "zstd"}, {"compression.level", "0"}})) ==
          "compression.level: 0 is outside zstd's range 1 to 22 (-1: the codec's default): invalid "
          "configuration");
    CHECK(config_error_of(producer_config({{"compression.level", "23"}})) ==
          "compression.level: 23 is above the maximum 22: invalid configuration");
    CHECK(parse_producer_settings(
              producer_config({{"compression.codec", "zstd"}, {"compression.level", "22"}}))
              .compression_level == 22);
    CHECK(parse_producer_settings(
              producer_config({{"compression.type", "gzip"}, {"compression.level", "-1"}}))
              .compression_level == -1);
    // Snappy and none have no levels; the level is ignored, as librdkafka does.
    CHECK(parse_producer_settings(
              producer_config({{"compression.type", "snappy"}, {"compression.level", "12"}}))
              .compression_level == 12);
}

TEST_CASE("config: a backoff ceiling below its base is raised to the base") {
    log_capture logs;
    auto cfg = producer_config({{"retry.backoff.ms", "2000"}, {"reconnect.backoff.max.ms", "20"}});
    cfg.set_log_sink(logs.sink());
    auto s = parse_producer_settings(cfg);
    CHECK(s.client.retry_backoff_max == std::chrono::milliseconds(2000));
    CHECK(s.client.reconnect_backoff_max == std::chrono::milliseconds(50));
    CHECK(
        logs.lines ==
        std::vector<std::string>{
            "info config reconnect.backoff.max.ms: 20 is below reconnect.backoff.ms, raised to 50",
            "info config retry.backoff.max.ms: 1000 is below retry.backoff.ms, raised to 2000"});
}

TEST_CASE("config: the sinks and the custom partitioner come from the config object") {
    log_capture logs;
    auto cfg = producer_config({{"partitioner", "consistent"}, {"statistics.interval.ms", "1000"}});
    cfg.set_log_sink(logs.sink());
    auto custom = std::make_shared<first_partition>();
    cfg.set_partitioner(custom);
    auto s = parse_producer_settings(cfg);
    CHECK(s.custom_partitioner == custom);
    CHECK(s.client.statistics_interval == std::chrono::milliseconds(1000));
    CHECK(logs.lines ==
          std::vector<std::string>{
              "warning config statistics.interval.ms: set, but the config has no stats sink; "
              "statistics are dropped",
              "warning config partitioner: ignored, the config's custom partitioner is used"});
    int stats_calls = 0;
    cfg.set_stats_sink([&](std::string_view) { ++stats_calls; });
    auto with_stats = parse_producer_settings(cfg);
    REQUIRE(with_stats.client.stats);
    with_stats.client.stats("{}");
    CHECK(stats_calls == 1);
    REQUIRE(with_stats.client.log);
}
