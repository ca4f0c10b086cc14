#pragma once
// The pieces the built-in partitioners are made of: librdkafka's key hashes, a per-thread
// random source, and the KIP-480 sticky choice for records without a key.

#include "kafkit/ids.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kafkit::detail {

/// librdkafka's `rd_fnv1a`: 32-bit FNV-1a of `key`, then the absolute value of the result
/// read as a signed 32-bit integer (Sarama's NewHashPartitioner does the same), so the
/// result is in [0, 2^31]. Thread-safe; never fails.
[[nodiscard]] std::uint32_t librdkafka_fnv1a(std::span<const std::uint8_t> key) noexcept;

/// A uniformly distributed partition in [0, partition_count) from this thread's generator
/// (seeded once per thread from std::random_device). `partition_count` must be at least 1.
[[nodiscard]] std::int32_t random_partition(std::int32_t partition_count) noexcept;

/// A uniformly distributed partition in [0, partition_count) other than `excluded`; when
/// `partition_count` is 1 (or `excluded` is out of range) any partition qualifies.
[[nodiscard]] std::int32_t random_partition_except(std::int32_t excluded,
                                                   std::int32_t partition_count) noexcept;

/// The partition each topic's key-less records currently stick to (KIP-480). A topic gets
/// a random partition on first use and keeps it until its batch there is sealed. All calls
/// are thread-safe (one mutex, held only for a hash-map lookup).
class sticky_partitions {
public:
    /// The current sticky partition of `topic`, choosing one at random when the topic has
    /// none yet or its partition is no longer below `partition_count`.
    [[nodiscard]] std::int32_t current(std::string_view topic, std::int32_t partition_count);

    /// Called when the batch on `previous` was sealed: if `topic` still sticks to
    /// `previous` (or to nothing), it moves to a random other partition. When another
    /// thread already moved it, nothing changes, so concurrent senders do not skip past
    /// a partition before filling it.
    void on_new_batch(std::string_view topic, std::int32_t previous, std::int32_t partition_count);

private:
    struct topic_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };

    std::mutex mutex_;
    std::unordered_map<std::string, std::int32_t, topic_hash, std::equal_to<>> by_topic_;
};

} // namespace kafkit::detail
