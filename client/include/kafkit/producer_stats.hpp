#pragma once
// A producer's counters, per broker and per partition, as producer::stats() returns them
// and as the stats sink receives them in JSON (librdkafka's statistics.interval.ms).

#include <cstdint>
#include <string>
#include <vector>

namespace kafkit {

/// Request latency (send to response) in microseconds.
struct latency_summary {
    std::int64_t count = 0;
    std::int64_t min_us = 0;
    std::int64_t max_us = 0;
    std::int64_t avg_us = 0;
    std::int64_t p50_us = 0;
    std::int64_t p95_us = 0;
    std::int64_t p99_us = 0;
    std::int64_t p999_us = 0;
};

/// One broker connection's counters.
struct broker_stats {
    std::int32_t node_id = -1;
    std::string address;              ///< host:port
    std::string state;                ///< "up", "connecting", "down"
    std::int64_t requests_sent = 0;
    std::int64_t bytes_sent = 0;
    std::int64_t responses_received = 0;
    std::int64_t bytes_received = 0;
    std::int64_t request_errors = 0;  ///< timeouts and failed connections
    std::int64_t connects = 0;
    std::int64_t disconnects = 0;
    std::int32_t in_flight_requests = 0;
    latency_summary produce_latency;  ///< Produce request round trips
};

/// One partition's counters.
struct partition_stats {
    std::string topic;
    std::int32_t partition = -1;
    std::int32_t leader = -1;
    std::int64_t records_sent = 0;    ///< acknowledged
    std::int64_t bytes_sent = 0;      ///< batch bytes acknowledged (after compression)
    std::int64_t batches_sent = 0;
    std::int64_t retries = 0;         ///< batches sent again
    std::int64_t errors = 0;          ///< records that failed
    std::int64_t queued_records = 0;  ///< waiting in batches, not yet sent
    std::int64_t queued_bytes = 0;
    std::int64_t in_flight_batches = 0;
};

/// The whole producer.
struct producer_stats {
    std::string client_id;
    std::int64_t time_ms = 0;              ///< wall clock of the snapshot
    std::int64_t records_queued = 0;       ///< accepted, without an outcome yet
    std::int64_t bytes_queued = 0;         ///< of buffer.memory in use
    std::int64_t records_delivered = 0;
    std::int64_t records_failed = 0;
    std::int64_t callback_exceptions = 0;
    std::int64_t producer_id = -1;         ///< idempotent producer id, -1 without
    std::int16_t producer_epoch = -1;
    std::vector<broker_stats> brokers;     ///< by node id
    std::vector<partition_stats> partitions; ///< by topic, then partition

    /// The snapshot as one JSON object, with the names above as keys.
    [[nodiscard]] std::string to_json() const;
};

} // namespace kafkit
