#pragma once
// One batch of one partition, from its first record to its outcome: the builder the
// records are serialized into, each record's delivery target, and (once sealed) the
// finished bytes that Produce requests carry.

#include "kafkit/producer.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <chrono>
#include <cstdint>
#include <future>
#include <system_error>
#include <variant>
#include <vector>

namespace kafkit::detail {

using clock_type = std::chrono::steady_clock;
struct topic_state;

/// Who learns a record's outcome.
using delivery_target = std::variant<delivery_callback, std::promise<record_metadata>>;

/// One record's part of a batch.
struct delivery_entry {
    delivery_target target;
    std::int64_t timestamp_ms = -1;
    std::int32_t key_size = -1;
    std::int32_t value_size = -1;
};

struct producer_batch {
    producer_batch(topic_state& t, std::int32_t p, const protocol::record_batch_options& options)
        : topic(&t), partition(p), builder(options) {}

    topic_state* topic;
    std::int32_t partition;
    protocol::record_batch_builder builder;
    std::vector<delivery_entry> entries;
    /// The sealed batch (empty while open).
    std::vector<std::uint8_t> bytes;
    /// Bytes of buffer.memory this batch holds until its outcome.
    std::int64_t reserved_bytes = 0;
    clock_type::time_point created{};
    clock_type::time_point retry_at{};
    /// Times sent so far.
    std::int32_t attempts = 0;
    /// Idempotence: the sequence of the first record, -1 until assigned at first send.
    std::int32_t base_sequence = -1;
    /// The producer id and epoch the bytes carry now.
    std::int64_t stamped_producer_id = -1;
    std::int16_t stamped_epoch = -1;
    std::int32_t stamped_sequence = -1;
    /// Why the last attempt failed (reported if the batch expires), or why sealing failed.
    std::error_code last_error;
    /// Sealed: no more records; `bytes` holds the batch unless sealing failed.
    bool is_sealed = false;
    std::uint64_t seal_ticket = 0; ///< its place in its partition's seal order

    [[nodiscard]] bool sealed() const noexcept { return is_sealed; }
    [[nodiscard]] std::int32_t record_count() const noexcept { return static_cast<std::int32_t>(entries.size()); }
};

} // namespace kafkit::detail
