// parse_producer_settings: the producer's properties, then the cross-property rules of the
// Java client 3.x (ProducerConfig and KafkaProducer) and the per-codec level ranges.

#include "config/settings_build.hpp"

#include <string>

namespace kafkit::detail {
namespace {

constexpr std::int32_t max_in_flight_for_idempotence = 5;

// Kafka 3.x (KIP-679): idempotence is on by default. Set explicitly, a conflicting setting
// is an error naming both; left at its default, the conflict turns idempotence off.
config_result<void> apply_idempotence(const property_values& values, producer_settings& s,
                                      std::vector<config_note>& notes) {
    if (!s.enable_idempotence) return {};
    const bool explicit_choice = values.is_set("enable.idempotence");
    struct conflict {
        bool applies;
        std::string_view property;
        std::string_view requirement;
    };
    const conflict conflicts[] = {
        {s.retries == 0, "retries", "retries above 0"},
        {s.acks != acks_mode::all, "acks", "acks=all"},
        {s.client.max_in_flight_requests_per_connection > max_in_flight_for_idempotence,
         "max.in.flight.requests.per.connection", "at most 5 requests in flight"},
    };
    for (const auto& c : conflicts) {
        if (!c.applies) continue;
        const auto setting = concat({values.spelled(c.property), " is ", values.text(c.property)});
        if (explicit_choice) {
            return config_fail("enable.idempotence",
                               concat({"requires ", c.requirement, ", but ", setting}));
        }
        notes.push_back(
            {log_level::info, concat({"enable.idempotence: turned off because ", setting,
                                      " (idempotence requires ", c.requirement, ")"})});
        s.enable_idempotence = false;
    }
    return {};
}

// KafkaProducer.configureDeliveryTimeout: a record must be allowed to linger and wait for
// one request. An explicit delivery.timeout.ms below that fails; the default is raised.
config_result<void> apply_delivery_timeout(const property_values& values, producer_settings& s,
                                           std::vector<config_note>& notes) {
    const auto floor = s.linger + s.client.request_timeout;
    if (s.delivery_timeout >= floor) return {};
    const auto sum =
        concat({values.spelled("linger.ms"), " + ", values.spelled("request.timeout.ms"), " (",
                std::to_string(s.linger.count()), " + ",
                std::to_string(s.client.request_timeout.count()), ")"});
    if (values.is_set("delivery.timeout.ms")) {
        return config_fail(values.spelled("delivery.timeout.ms"),
                           concat({std::to_string(s.delivery_timeout.count()), " is below ", sum}));
    }
    notes.push_back({log_level::warning,
                     concat({"delivery.timeout.ms: ", std::to_string(s.delivery_timeout.count()),
                             " is below ", sum, ", raised to ", std::to_string(floor.count())})});
    s.delivery_timeout = floor;
    return {};
}

// compression.level's table range is the union of the codecs'; each codec takes its own
// part (librdkafka's gzip 0-9 and lz4 0-12, zstd's 1-22). -1 always means the default.
config_result<void> check_compression_level(const property_values& values,
                                            const producer_settings& s) {
    struct codec_range {
        protocol::compression_codec codec;
        int min;
        int max;
    };
    constexpr codec_range ranges[] = {{protocol::compression_codec::gzip, 0, 9},
                                      {protocol::compression_codec::lz4, 0, 12},
                                      {protocol::compression_codec::zstd, 1, 22}};
    if (s.compression_level == -1) return {};
    for (const auto& r : ranges) {
        if (r.codec != s.compression ||
            (s.compression_level >= r.min && s.compression_level <= r.max))
            continue;
        return config_fail(values.spelled("compression.level"),
                           concat({std::to_string(s.compression_level), " is outside ",
                                   protocol::to_string(r.codec), "'s range ", std::to_string(r.min),
                                   " to ", std::to_string(r.max), " (-1: the codec's default)"}));
    }
    return {};
}

void read_producer_properties(const config& cfg, const property_values& values,
                              producer_settings& s) {
    s.acks = static_cast<acks_mode>(values.integer("acks"));
    s.linger = values.duration("linger.ms");
    s.batch_size = values.int32("batch.size");
    s.batch_num_messages = values.int32("batch.num.messages");
    s.compression = static_cast<protocol::compression_codec>(values.integer("compression.type"));
    s.compression_level = values.int32("compression.level");
    s.partitioner = static_cast<partitioner_name>(values.integer("partitioner"));
    s.custom_partitioner = cfg.custom_partitioner();
    s.partitioner_ignore_keys = values.boolean("partitioner.ignore.keys");
    s.buffer_memory = values.integer("buffer.memory");
    s.queue_buffering_max_messages = values.int32("queue.buffering.max.messages");
    s.max_block = values.duration("max.block.ms");
    s.max_request_size = values.int32("max.request.size");
    s.retries = values.int32("retries");
    s.delivery_timeout = values.duration("delivery.timeout.ms");
    s.enable_idempotence = values.boolean("enable.idempotence");
    s.dispatch = static_cast<callback_dispatch>(values.integer("callback.dispatch"));
}

config_result<void> build_producer_settings(const config& cfg, const property_values& values,
                                            producer_settings& s,
                                            std::vector<config_note>& notes) {
    read_producer_properties(cfg, values, s);
    if (auto level = check_compression_level(values, s); !level) return level.error();
    if (auto idempotence = apply_idempotence(values, s, notes); !idempotence)
        return idempotence.error();
    if (auto timeout = apply_delivery_timeout(values, s, notes); !timeout) return timeout.error();
    if (s.custom_partitioner && values.is_set("partitioner")) {
        notes.push_back(
            {log_level::warning, concat({values.spelled("partitioner"),
                                         ": ignored, the config's custom partitioner is used"})});
    }
    return {};
}

} // namespace

producer_settings parse_producer_settings(const config& cfg) {
    return parse_settings<producer_settings>(cfg, property_scope::producer,
                                             build_producer_settings);
}

} // namespace kafkit::detail
