#pragma once
// What consumer::poll returns: records as views into the fetched buffers, and the batch
// of them that keeps those buffers alive.

#include "kafkit/ids.hpp"
#include "kafkit/producer_record.hpp"
#include "kafkit/topic_partition.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace kafkit {

namespace detail {
struct polled_batch;
}

/// How a record's timestamp was set.
enum class timestamp_type : std::int8_t {
    not_available = -1, ///< no timestamp (messages of magic 0)
    create_time = 0,    ///< set by the producer
    log_append_time = 1 ///< set by the broker when it wrote the batch
};

/// One fetched record. Every view (topic, key, value, headers) points into the buffers of
/// the consumer_records it came in and stays valid as long as that object lives.
struct consumer_record {
    std::string_view topic;
    partition_id partition{-1};
    record_offset offset{-1};
    std::int64_t timestamp_ms = -1;
    timestamp_type timestamp_kind = timestamp_type::not_available;
    std::optional<bytes_ref> key;   ///< nullopt is a null key
    std::optional<bytes_ref> value; ///< nullopt is a null value (a tombstone)
    std::span<const header> headers;
    /// The leader epoch of the batch (KIP-320); nullopt from brokers that do not send it.
    std::optional<std::int32_t> leader_epoch;
};

/// A consumer_record that owns its bytes, for keeping a record longer than its batch.
struct owned_consumer_record {
    std::string topic;
    partition_id partition{-1};
    record_offset offset{-1};
    std::int64_t timestamp_ms = -1;
    timestamp_type timestamp_kind = timestamp_type::not_available;
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    std::optional<std::int32_t> leader_epoch;

    /// Copies `r`.
    static owned_consumer_record copy_of(const consumer_record& r);
};

/// Something poll() has to say besides records, about one partition or the consumer.
struct consumer_event {
    enum class kind {
        partition_eof, ///< the partition's end was reached (enable.partition.eof=true)
        error,         ///< `error` happened for `partition` (or for the consumer when empty)
    };
    kind what = kind::error;
    std::optional<topic_partition> partition;
    std::error_code error;
    /// partition_eof: the offset the end was reached at.
    record_offset offset{-1};
};

/// The result of one poll: records of any number of partitions, in order per partition,
/// and events. Move-only. Its records view fetched buffers that count against the
/// consumer's prefetch bound (queued.max.messages.kbytes) until this object is destroyed;
/// keep it only as long as the records are needed, or copy them out.
class consumer_records {
public:
    consumer_records() noexcept;
    consumer_records(consumer_records&&) noexcept;
    consumer_records& operator=(consumer_records&&) noexcept;
    consumer_records(const consumer_records&) = delete;
    consumer_records& operator=(const consumer_records&) = delete;
    ~consumer_records();

    [[nodiscard]] std::span<const consumer_record> records() const noexcept;
    [[nodiscard]] std::span<const consumer_event> events() const noexcept;
    [[nodiscard]] std::size_t size() const noexcept { return records().size(); }
    [[nodiscard]] bool empty() const noexcept { return records().empty(); }
    [[nodiscard]] auto begin() const noexcept { return records().begin(); }
    [[nodiscard]] auto end() const noexcept { return records().end(); }
    /// The first error event, or an empty error_code.
    [[nodiscard]] std::error_code error() const noexcept;

    /// Built by the consumer.
    explicit consumer_records(std::unique_ptr<detail::polled_batch> batch) noexcept;

private:
    std::unique_ptr<detail::polled_batch> batch_;
};

} // namespace kafkit
