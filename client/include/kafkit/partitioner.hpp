#pragma once
// Choosing a partition for a record without one: the built-in partitioners by the names of
// the `partitioner` property (librdkafka's names), and the interface for one's own.

#include "kafkit/ids.hpp"
#include "kafkit/producer_record.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

namespace kafkit {

/// Picks the partition for a record whose producer_record::partition is empty. Called on
/// the thread that calls producer::send, possibly from several threads at once: an
/// implementation must be thread-safe. It must not throw.
class partitioner {
public:
    virtual ~partitioner() = default;
    /// The partition, in [0, partition_count), for a record of `topic` with `key` (nullopt
    /// for a null key). `partition_count` is at least 1.
    [[nodiscard]] virtual partition_id partition(std::string_view topic, std::optional<bytes_ref> key,
                                                 std::int32_t partition_count) = 0;
    /// Tells the partitioner that the batch it was filling for `topic` was sealed, so a
    /// sticky partitioner (KIP-480) moves to another partition. The default does nothing.
    virtual void on_new_batch(std::string_view topic, partition_id previous, std::int32_t partition_count) {
        (void)topic, (void)previous, (void)partition_count;
    }
};

/// The built-in partitioners, as the `partitioner` property names them.
enum class partitioner_kind {
    /// "random": a random partition for every keyed record; null keys as null_key_policy says
    random,
    /// "consistent": zlib's CRC32 of the key % partition_count; a null key hashes as an empty
    /// one, so null keys all go to partition 0
    consistent,
    /// "consistent_random" (librdkafka's default): CRC32 of the key; null and empty keys as
    /// null_key_policy says
    consistent_random,
    /// "murmur2": java_partition_for_key; a null key hashes as an empty one, so null keys all
    /// go to one partition
    murmur2,
    /// "murmur2_random" (the Java client's default): java_partition_for_key, empty keys
    /// included; null keys as null_key_policy says
    murmur2_random,
    /// "fnv1a": librdkafka's FNV-1a of the key (32-bit, absolute value) % partition_count; a
    /// null key hashes as an empty one
    fnv1a,
    /// "fnv1a_random": FNV-1a of the key, empty keys included; null keys as null_key_policy says
    fnv1a_random,
};

/// Where `random` and the `_random` kinds put records with a null key (consistent_random:
/// also an empty key). librdkafka's counterpart is sticky.partitioning.linger.ms: 0 is
/// per_record; above 0 it sticks for that long, where `sticky` sticks for a batch as Java.
enum class null_key_policy {
    per_record, ///< a random partition for each record
    sticky,     ///< one partition per topic until its batch is sealed (KIP-480), then another
};

/// Creates a built-in partitioner (thread-safe).
[[nodiscard]] std::shared_ptr<partitioner> make_partitioner(partitioner_kind kind,
                                                            null_key_policy null_keys = null_key_policy::sticky);

/// The Java client's murmur2 hash of `key` (Utils.murmur2), exactly as it computes it.
[[nodiscard]] std::int32_t murmur2(std::span<const std::uint8_t> key) noexcept;

/// The partition the Java client's default partitioner gives a non-null key:
/// `(murmur2(key) & 0x7fffffff) % partition_count` (Utils.toPositive).
[[nodiscard]] partition_id java_partition_for_key(std::span<const std::uint8_t> key,
                                                  std::int32_t partition_count) noexcept;

} // namespace kafkit
