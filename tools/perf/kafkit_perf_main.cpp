// kafkit-perf: the kafkit producer under kafka-producer-perf-test's flags and output, the
// kafkit consumer under kafka-consumer-perf-test's (kafkit_consume.cpp), and the two
// together for end-to-end latency (latency_driver.hpp).
//
//   kafkit-perf produce --topic T --num-records N --record-size S --throughput -1
//       --producer-props bootstrap.servers=HOST:PORT acks=1 linger.ms=5 [--json]
//   kafkit-perf consume --bootstrap-server HOST:PORT --topic T --messages N [--group G] [--json]
//   kafkit-perf latency --bootstrap-server HOST:PORT --topic NEW --messages N --throughput R
//       --record-size S [--producer-props ...] [--consumer-props ...] [--json]
//
// Latency is measured from send() to the record's delivery callback. The properties go to
// kafkit::config unchanged, so kafkit's own property table judges them.

#include "kafkit_config.hpp"
#include "kafkit_consume.hpp"
#include "perf_command.hpp"

#include "kafkit/exception.hpp"
#include "kafkit/producer.hpp"
#include "kafkit/protocol/error.hpp"

#include <chrono>

namespace {

using namespace std::chrono_literals;
using kafkit::perf::perf_stats;

class kafkit_client final : public kafkit::perf::perf_client {
public:
    kafkit_client(const kafkit::config& cfg, perf_stats& stats) : producer_(cfg), stats_(stats) {}

    bool send(const std::string& topic, std::int32_t partition, std::string_view value,
              std::int64_t sent_us) override {
        kafkit::producer_record record;
        record.topic = topic;
        if (partition != kafkit::perf::any_partition)
            record.partition = kafkit::partition_id(partition);
        record.value = value;
        // Two words of capture: std::function keeps them inline, no allocation per record.
        auto on_delivery = [stats = &stats_, sent_us](std::error_code error, const kafkit::record_metadata& md) {
            if (error) stats->record_failure(error.message());
            else stats->record_delivery(sent_us, md.serialized_value_size);
        };
        for (;;) {
            const std::error_code refused = producer_.send(record, on_delivery);
            if (!refused) break;
            if (refused != kafkit::errc::queue_full) {
                stats_.record_failure(refused.message());
                return false;
            }
            producer_.poll(10ms); // callback.dispatch=poll frees room only here
        }
        // Runs due callbacks with callback.dispatch=poll; returns at once otherwise.
        if ((++sent_ & 1023) == 0) producer_.poll(0ms);
        return true;
    }

    void flush() override {
        while (producer_.flush(1s) == kafkit::errc::timed_out) producer_.poll(100ms);
        while (producer_.poll(0ms) > 0) {
        }
    }

    std::string metrics() override { return producer_.stats().to_json(); }

private:
    kafkit::producer producer_;
    perf_stats& stats_;
    std::uint64_t sent_ = 0;
};

kafkit::perf::client_or_error make_client(const kafkit::perf::property_list& properties, perf_stats& stats) {
    try {
        return {std::make_unique<kafkit_client>(kafkit::perf::make_kafkit_config(properties), stats), {}};
    } catch (const kafkit::exception& e) {
        return {nullptr, e.what()};
    }
}

} // namespace

int main(int argc, char** argv) {
    return kafkit::perf::run_perf_command(argc, argv,
                                          {"kafkit-perf", "kafkit", make_client, kafkit::perf::make_kafkit_consumer});
}
