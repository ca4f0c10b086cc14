// The sender's counters as producer_stats: per broker connection and per partition.
#include "producer/sender.hpp"

#include <algorithm>

namespace kafkit::detail {

void sender::fill_stats(producer_stats& stats) {
    stats.producer_id = producer_id_;
    stats.producer_epoch = producer_epoch_;
    for (const auto& [id, conn] : cluster_.connections()) {
        broker_stats b;
        b.node_id = id;
        b.address = conn->address_string();
        switch (conn->current_state()) {
        case broker_connection::state::ready: b.state = "up"; break;
        case broker_connection::state::connecting: b.state = "connecting"; break;
        case broker_connection::state::idle: b.state = "idle"; break;
        default: b.state = "down"; break;
        }
        const auto& c = conn->counters();
        b.requests_sent = c.requests_sent;
        b.bytes_sent = c.bytes_sent;
        b.responses_received = c.responses_received;
        b.bytes_received = c.bytes_received;
        b.request_errors = c.request_errors;
        b.connects = c.connects;
        b.disconnects = c.disconnects;
        b.in_flight_requests = static_cast<std::int32_t>(conn->in_flight());
        if (auto it = latency_by_node_.find(id); it != latency_by_node_.end()) b.produce_latency = it->second.summary();
        stats.brokers.push_back(std::move(b));
    }
    for (auto* topic : accumulator_.topics()) {
        const auto* info = cluster_.metadata().topic(topic->name);
        const auto count = topic->partition_count.load();
        for (std::int32_t p = 0; p < count; ++p) {
            auto& q = *topic->partitions[static_cast<std::size_t>(p)];
            partition_stats s;
            s.topic = topic->name;
            s.partition = p;
            if (info != nullptr && static_cast<std::size_t>(p) < info->partitions.size())
                s.leader = info->partitions[static_cast<std::size_t>(p)].leader;
            s.records_sent = q.records_sent;
            s.bytes_sent = q.bytes_sent;
            s.batches_sent = q.batches_sent;
            s.retries = q.retries;
            s.errors = q.errors;
            s.in_flight_batches = q.in_flight;
            std::lock_guard lock(q.mutex);
            s.queued_records = q.queued_records;
            s.queued_bytes = q.queued_bytes;
            stats.partitions.push_back(std::move(s));
        }
    }
    std::sort(stats.partitions.begin(), stats.partitions.end(), [](const auto& a, const auto& b) {
        return a.topic != b.topic ? a.topic < b.topic : a.partition < b.partition;
    });
}

} // namespace kafkit::detail
