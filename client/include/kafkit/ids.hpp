#pragma once
// Strong types for the integers that are easy to mix up at a call site: a partition index,
// a broker's node id, an offset in a partition's log.

#include <compare>
#include <cstdint>
#include <functional>

namespace kafkit {

/// An integer that only compares with its own kind. Constructed explicitly; value() reads it.
template <class Tag, class Rep>
class strong_id {
public:
    using rep = Rep;
    constexpr strong_id() noexcept = default;
    constexpr explicit strong_id(Rep v) noexcept : value_(v) {}
    /// The plain integer.
    [[nodiscard]] constexpr Rep value() const noexcept { return value_; }
    friend constexpr auto operator<=>(strong_id, strong_id) noexcept = default;

private:
    Rep value_{};
};

/// A partition's index within its topic (0-based).
using partition_id = strong_id<struct partition_id_tag, std::int32_t>;
/// A broker's node id (`node.id`, `broker.id`).
using node_id = strong_id<struct node_id_tag, std::int32_t>;
/// A record's offset in its partition's log.
using record_offset = strong_id<struct record_offset_tag, std::int64_t>;

} // namespace kafkit

template <class Tag, class Rep>
struct std::hash<kafkit::strong_id<Tag, Rep>> {
    std::size_t operator()(kafkit::strong_id<Tag, Rep> id) const noexcept { return std::hash<Rep>{}(id.value()); }
};
