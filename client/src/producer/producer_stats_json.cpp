// producer_stats as JSON: one object whose keys are the struct's field names, nested objects
// for the latency summaries and arrays for brokers and partitions, in declaration order.

#include "kafkit/producer_stats.hpp"

#include <nlohmann/json.hpp>

namespace kafkit {
namespace {

using json = nlohmann::ordered_json;

json to_json_value(const latency_summary& s) {
    return json{{"count", s.count},   {"min_us", s.min_us},   {"max_us", s.max_us},
                {"avg_us", s.avg_us}, {"p50_us", s.p50_us},   {"p95_us", s.p95_us},
                {"p99_us", s.p99_us}, {"p999_us", s.p999_us}};
}

json to_json_value(const broker_stats& b) {
    return json{{"node_id", b.node_id},
                {"address", b.address},
                {"state", b.state},
                {"requests_sent", b.requests_sent},
                {"bytes_sent", b.bytes_sent},
                {"responses_received", b.responses_received},
                {"bytes_received", b.bytes_received},
                {"request_errors", b.request_errors},
                {"connects", b.connects},
                {"disconnects", b.disconnects},
                {"in_flight_requests", b.in_flight_requests},
                {"produce_latency", to_json_value(b.produce_latency)}};
}

json to_json_value(const partition_stats& p) {
    return json{{"topic", p.topic},
                {"partition", p.partition},
                {"leader", p.leader},
                {"records_sent", p.records_sent},
                {"bytes_sent", p.bytes_sent},
                {"batches_sent", p.batches_sent},
                {"retries", p.retries},
                {"errors", p.errors},
                {"queued_records", p.queued_records},
                {"queued_bytes", p.queued_bytes},
                {"in_flight_batches", p.in_flight_batches}};
}

template <class T>
json array_of(const std::vector<T>& items) {
    json out = json::array();
    for (const auto& item : items) out.push_back(to_json_value(item));
    return out;
}

} // namespace

std::string producer_stats::to_json() const {
    const json doc{{"client_id", client_id},
                   {"time_ms", time_ms},
                   {"records_queued", records_queued},
                   {"bytes_queued", bytes_queued},
                   {"records_delivered", records_delivered},
                   {"records_failed", records_failed},
                   {"callback_exceptions", callback_exceptions},
                   {"producer_id", producer_id},
                   {"producer_epoch", producer_epoch},
                   {"brokers", array_of(brokers)},
                   {"partitions", array_of(partitions)}};
    // Names come from the application (client.id) and the cluster (topics, hosts): bytes
    // that are not UTF-8 become U+FFFD rather than making dump() throw.
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace kafkit
