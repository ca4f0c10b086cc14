#pragma once
// A partition named by its topic and index, as the consumer, the admin client and the
// group assignors pass them around; and an offset to commit with its metadata.

#include "kafkit/ids.hpp"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace kafkit {

struct topic_partition {
    std::string topic;
    partition_id partition{0};

    friend auto operator<=>(const topic_partition&, const topic_partition&) = default;
    friend bool operator==(const topic_partition&, const topic_partition&) = default;
};

/// A position to commit for a partition: the offset of the next record to read, the
/// leader epoch of the last record read (KIP-320; empty when unknown), and free text.
struct offset_and_metadata {
    record_offset offset{0};
    std::optional<std::int32_t> leader_epoch;
    std::string metadata;

    friend bool operator==(const offset_and_metadata&, const offset_and_metadata&) = default;
};

} // namespace kafkit

template <>
struct std::hash<kafkit::topic_partition> {
    std::size_t operator()(const kafkit::topic_partition& tp) const noexcept {
        const std::size_t h = std::hash<std::string>{}(tp.topic);
        return h ^ (std::hash<std::int32_t>{}(tp.partition.value()) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
    }
};
