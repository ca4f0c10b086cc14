// The built-in partitioners. Hashes and the handling of null and empty keys follow the
// clients they are compatible with:
// - murmur2 is the Java client's Utils.murmur2; its partition is toPositive(hash) % n, as in
//   the Java DefaultPartitioner/BuiltInPartitioner and librdkafka's murmur2 partitioners.
// - consistent is zlib's CRC32 % n, fnv1a librdkafka's rd_fnv1a % n (unsigned arithmetic).
// - Keys: librdkafka hashes a null key as an empty one in its consistent, murmur2 and fnv1a
//   partitioners (so they land on one fixed partition), and lets the `_random` kinds and
//   `random` put null keys on the sticky partition (KIP-480); consistent_random treats an
//   empty key like a null one, murmur2_random and fnv1a_random hash it.

#include "producer/partitioners.hpp"

#include "kafkit/partitioner.hpp"
#include "kafkit/protocol/crc32c.hpp"

#include <chrono>
#include <exception>
#include <random>
#include <thread>

namespace kafkit {
namespace {

std::span<const std::uint8_t> key_bytes(bytes_ref key) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(key.data()), key.size()};
}

std::uint64_t seed_for_this_thread() noexcept {
    const auto thread_part = std::hash<std::thread::id>{}(std::this_thread::get_id());
    try {
        std::random_device device;
        return (static_cast<std::uint64_t>(device()) << 32) ^ device() ^ thread_part;
    } catch (const std::exception&) {
        // No entropy source: the thread id and the clock still give threads distinct streams.
        const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
        return thread_part ^ static_cast<std::uint64_t>(now);
    }
}

// SplitMix64: tiny state, no locking, and good enough to spread records over partitions.
std::uint64_t next_random() noexcept {
    thread_local std::uint64_t state = seed_for_this_thread();
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// What a key-less record gets from each kind, before the null-key policy is consulted.
bool null_key_is_hashed(partitioner_kind kind) noexcept {
    return kind == partitioner_kind::consistent || kind == partitioner_kind::murmur2 ||
           kind == partitioner_kind::fnv1a;
}

class builtin_partitioner final : public partitioner {
public:
    builtin_partitioner(partitioner_kind kind, null_key_policy policy) noexcept
        : kind_(kind), policy_(policy) {}

    partition_id partition(std::string_view topic, std::optional<bytes_ref> key,
                           std::int32_t partition_count) override {
        if (partition_count <= 1) return partition_id{0};
        if (!key) {
            if (null_key_is_hashed(kind_)) return hashed(bytes_ref{}, partition_count);
            return keyless(topic, partition_count);
        }
        switch (kind_) {
        case partitioner_kind::random:
            return partition_id{detail::random_partition(partition_count)};
        case partitioner_kind::consistent_random:
            if (key->empty()) return keyless(topic, partition_count);
            break;
        default:
            break;
        }
        return hashed(*key, partition_count);
    }

    void on_new_batch(std::string_view topic, partition_id previous,
                      std::int32_t partition_count) override {
        if (policy_ == null_key_policy::sticky && !null_key_is_hashed(kind_))
            sticky_.on_new_batch(topic, previous.value(), partition_count);
    }

private:
    partition_id keyless(std::string_view topic, std::int32_t partition_count) {
        if (policy_ == null_key_policy::per_record)
            return partition_id{detail::random_partition(partition_count)};
        return partition_id{sticky_.current(topic, partition_count)};
    }

    partition_id hashed(bytes_ref key, std::int32_t partition_count) const noexcept {
        const auto bytes = key_bytes(key);
        const auto n = static_cast<std::uint32_t>(partition_count);
        switch (kind_) {
        case partitioner_kind::consistent:
        case partitioner_kind::consistent_random:
            return partition_id{static_cast<std::int32_t>(protocol::crc32(bytes) % n)};
        case partitioner_kind::fnv1a:
        case partitioner_kind::fnv1a_random:
            return partition_id{static_cast<std::int32_t>(detail::librdkafka_fnv1a(bytes) % n)};
        default:
            return java_partition_for_key(bytes, partition_count);
        }
    }

    partitioner_kind kind_;
    null_key_policy policy_;
    detail::sticky_partitions sticky_;
};

} // namespace

std::int32_t murmur2(std::span<const std::uint8_t> key) noexcept {
    // Java computes in wrapping 32-bit ints with unsigned shifts (>>>); uint32_t arithmetic
    // gives the same bits without signed overflow.
    constexpr std::uint32_t seed = 0x9747b28cu;
    constexpr std::uint32_t m = 0x5bd1e995u;
    constexpr int r = 24;
    const auto length = static_cast<std::uint32_t>(key.size());
    std::uint32_t h = seed ^ length;
    const std::uint8_t* p = key.data();
    for (std::size_t left = key.size(); left >= 4; left -= 4, p += 4) {
        std::uint32_t k = std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
                          std::uint32_t{p[3]} << 24;
        k *= m;
        k ^= k >> r;
        k *= m;
        h *= m;
        h ^= k;
    }
    switch (key.size() % 4) {
    case 3:
        h ^= std::uint32_t{p[2]} << 16;
        [[fallthrough]];
    case 2:
        h ^= std::uint32_t{p[1]} << 8;
        [[fallthrough]];
    case 1:
        h ^= std::uint32_t{p[0]};
        h *= m;
        break;
    default:
        break;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return static_cast<std::int32_t>(h);
}

partition_id java_partition_for_key(std::span<const std::uint8_t> key,
                                    std::int32_t partition_count) noexcept {
    if (partition_count <= 1) return partition_id{0};
    // Utils.toPositive clears the sign bit (not Math.abs, which fails on INT_MIN).
    const auto positive = static_cast<std::uint32_t>(murmur2(key)) & 0x7fffffffu;
    return partition_id{static_cast<std::int32_t>(positive % static_cast<std::uint32_t>(partition_count))};
}

std::shared_ptr<partitioner> make_partitioner(partitioner_kind kind, null_key_policy null_keys) {
    return std::make_shared<builtin_partitioner>(kind, null_keys);
}

namespace detail {

std::uint32_t librdkafka_fnv1a(std::span<const std::uint8_t> key) noexcept {
    constexpr std::uint32_t prime = 0x01000193u;
    std::uint32_t h = 0x811c9dc5u;
    for (const std::uint8_t byte : key) {
        h ^= byte;
        h *= prime;
    }
    // librdkafka negates a negative int32 result; INT32_MIN stays 0x80000000 (it wraps).
    if (h & 0x80000000u) h = 0u - h;
    return h;
}

std::int32_t random_partition(std::int32_t partition_count) noexcept {
    if (partition_count <= 1) return 0;
    // Lemire's multiply-shift: the high half of a 32x32-bit product is in [0, n).
    const auto r32 = static_cast<std::uint32_t>(next_random() >> 32);
    return static_cast<std::int32_t>((std::uint64_t{r32} * static_cast<std::uint32_t>(partition_count)) >> 32);
}

std::int32_t random_partition_except(std::int32_t excluded, std::int32_t partition_count) noexcept {
    if (partition_count <= 1) return 0;
    if (excluded < 0 || excluded >= partition_count) return random_partition(partition_count);
    // Draw from the n-1 others and step over the excluded one: uniform over the rest.
    const std::int32_t drawn = random_partition(partition_count - 1);
    return drawn >= excluded ? drawn + 1 : drawn;
}

std::int32_t sticky_partitions::current(std::string_view topic, std::int32_t partition_count) {
    const std::lock_guard lock(mutex_);
    auto it = by_topic_.find(topic);
    if (it == by_topic_.end()) {
        it = by_topic_.emplace(std::string(topic), random_partition(partition_count)).first;
    } else if (it->second >= partition_count) {
        it->second = random_partition(partition_count);
    }
    return it->second;
}

void sticky_partitions::on_new_batch(std::string_view topic, std::int32_t previous,
                                     std::int32_t partition_count) {
    const std::lock_guard lock(mutex_);
    auto it = by_topic_.find(topic);
    if (it == by_topic_.end()) {
        by_topic_.emplace(std::string(topic), random_partition_except(previous, partition_count));
    } else if (it->second == previous || it->second >= partition_count) {
        it->second = random_partition_except(previous, partition_count);
    }
}

} // namespace detail
} // namespace kafkit
