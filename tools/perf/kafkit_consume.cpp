// The kafkit consumer under kafka-consumer-perf-test's flags: poll(100 ms) batches of up to
// max.poll.records; a record's bytes are its key's and value's sizes (as the Java tool
// counts serializedKeySize + serializedValueSize).

#include "kafkit_consume.hpp"

#include "kafkit_config.hpp"

#include "kafkit/consumer.hpp"
#include "kafkit/exception.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <algorithm>
#include <chrono>
#include <string_view>

namespace kafkit::perf {
namespace {

using namespace std::chrono_literals;

constexpr auto metadata_timeout = 10s;

// Every partition of the topic, as the cluster's metadata lists it.
std::vector<topic_partition> partitions_of(kafkit::consumer& consumer, const std::string& topic) {
    std::vector<topic_partition> out;
    for (const auto& p : consumer.partitions_for(topic, metadata_timeout)) out.push_back(p.partition);
    if (out.empty()) throw kafkit::exception(make_error_code(kafka_errc::unknown_topic_or_partition), topic);
    return out;
}

std::string describe(const consumer_event& event) {
    std::string text = event.error.message();
    if (event.partition)
        text = event.partition->topic + "[" + std::to_string(event.partition->partition.value()) +
               "]: " + text;
    return text;
}

class kafkit_consumer final : public consume_client {
public:
    explicit kafkit_consumer(const kafkit::config& cfg) : consumer_(cfg) {}

    // Returns how many partitions were assigned (0 when subscribed).
    std::int32_t start(const consume_options& o) {
        if (!o.group.empty()) {
            consumer_.subscribe({o.topic});
            return 0;
        }
        const auto partitions = partitions_of(consumer_, o.topic);
        consumer_.assign(partitions);
        consumer_.seek_to_beginning(partitions);
        return static_cast<std::int32_t>(partitions.size());
    }

    poll_outcome poll(std::chrono::milliseconds timeout, std::int64_t limit) override {
        poll_outcome out;
        try {
            const consumer_records batch = consumer_.poll(timeout);
            for (const auto& event : batch.events())
                if (event.what == consumer_event::kind::error)
                    out.errors.push_back(describe(event));
            const auto records = batch.records();
            const auto counted =
                std::min<std::size_t>(records.size(), static_cast<std::size_t>(limit));
            for (std::size_t i = 0; i < counted; ++i) {
                const consumer_record& r = records[i];
                out.bytes += static_cast<std::int64_t>((r.key ? r.key->size() : 0) +
                                                       (r.value ? r.value->size() : 0));
                report_value(r.value.value_or(std::string_view()));
            }
            out.records = static_cast<std::int64_t>(counted);
        } catch (const kafkit::exception& e) {
            out.fatal = e.what(); // a fatal group error: every later poll() throws it again
        }
        return out;
    }

private:
    kafkit::consumer consumer_;
};

} // namespace

consume_client_or_error make_kafkit_consumer(const property_list& properties,
                                             const consume_options& options) {
    std::unique_ptr<kafkit_consumer> client;
    try {
        client = std::make_unique<kafkit_consumer>(make_kafkit_config(properties));
    } catch (const kafkit::exception& e) {
        return {nullptr, e.what()}; // names the property refused
    }
    std::int32_t partitions = 0;
    try {
        partitions = client->start(options);
    } catch (const kafkit::exception& e) {
        return {nullptr, "topic " + options.topic + ": " + e.what()};
    }
    return {std::move(client), {}, partitions};
}

} // namespace kafkit::perf
