// The kafkit producer as a perf_client. Records go through producer::send with a delivery
// callback that reports to perf_stats; a full queue is waited out by polling, since with
// callback.dispatch=poll only poll() frees room.

#include "kafkit_perf_tool.hpp"

#include "kafkit_config.hpp"
#include "kafkit_consume.hpp"

#include "kafkit/exception.hpp"
#include "kafkit/producer.hpp"
#include "kafkit/protocol/error.hpp"

#include <chrono>

namespace kafkit::perf {
namespace {

using namespace std::chrono_literals;

class kafkit_client final : public perf_client {
public:
    kafkit_client(const kafkit::config& cfg, perf_stats& stats) : producer_(cfg), stats_(stats) {}

    bool send(const std::string& topic, std::int32_t partition, std::string_view value,
              std::int64_t sent_us) override {
        kafkit::producer_record record;
        record.topic = topic;
        if (partition != any_partition) record.partition = kafkit::partition_id(partition);
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

client_or_error make_client(const property_list& properties, perf_stats& stats) {
    try {
        return {std::make_unique<kafkit_client>(make_kafkit_config(properties), stats), {}};
    } catch (const kafkit::exception& e) {
        return {nullptr, e.what()};
    }
}

} // namespace

perf_tool kafkit_perf_tool(std::string name) {
    return {std::move(name), "kafkit", make_client, make_kafkit_consumer};
}

} // namespace kafkit::perf
