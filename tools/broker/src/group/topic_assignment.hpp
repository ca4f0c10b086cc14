#pragma once
// Partitions by topic id, as the KIP-848 consumer group protocol names them: a member's
// current assignment, its partitions pending revocation, a target assignment, the partitions
// a member says it owns. Ordered maps and sets so that responses and assignors are
// deterministic.

#include "kafkit/protocol/uuid.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>

namespace kafkit::broker {

/// Orders topic ids by their bytes.
struct uuid_less {
    bool operator()(const protocol::uuid& a, const protocol::uuid& b) const noexcept { return a.bytes < b.bytes; }
};

/// Partition indexes of one topic.
using partition_set = std::set<std::int32_t>;

/// Partitions by topic id. Topics without partitions are not kept.
using topic_assignment = std::map<protocol::uuid, partition_set, uuid_less>;

/// The number of partitions in `a`.
[[nodiscard]] inline std::size_t partition_count(const topic_assignment& a) noexcept {
    std::size_t n = 0;
    for (const auto& [id, partitions] : a) n += partitions.size();
    return n;
}

/// True when `a` holds partition `p` of topic `id`.
[[nodiscard]] inline bool holds(const topic_assignment& a, const protocol::uuid& id, std::int32_t p) {
    auto it = a.find(id);
    return it != a.end() && it->second.count(p) > 0;
}

/// Adds partition `p` of topic `id` to `a`.
inline void add_partition(topic_assignment& a, const protocol::uuid& id, std::int32_t p) {
    a[id].insert(p);
}

/// Removes partition `p` of topic `id` from `a` (dropping the topic when it empties).
inline void remove_partition(topic_assignment& a, const protocol::uuid& id, std::int32_t p) {
    auto it = a.find(id);
    if (it == a.end()) return;
    it->second.erase(p);
    if (it->second.empty()) a.erase(it);
}

} // namespace kafkit::broker
