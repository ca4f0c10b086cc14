#pragma once
// A histogram of latencies in microseconds with a fixed footprint, in the manner of
// HdrHistogram at two significant digits: values below 256 us are counted exactly, and
// every power of two above is cut into 128 equal buckets, so a percentile is off by at
// most 1/256 of the value it stands for. It covers 0 to max_trackable_us (about 71
// minutes) in 3,328 counters (26 KB), allocated once at construction.

#include "kafkit/producer_stats.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kafkit::detail {

/// Counts latencies and answers count, min, max, mean and percentiles. Not thread-safe: one
/// thread records into it (merge() several into one to combine threads).
class latency_histogram {
public:
    /// The largest value told apart: a larger one counts as this (in min, max and mean
    /// too). 2^32 - 1 us, about 71.6 minutes.
    static constexpr std::int64_t max_trackable_us = (std::int64_t{1} << 32) - 1;
    /// Buckets per power of two above 256 us: the percentile error is at most 1 / (2 * this).
    static constexpr std::int64_t sub_buckets = 128;
    /// How many counters the histogram holds.
    static constexpr std::size_t bucket_count = 3328;

    /// An empty histogram (its counters allocated and zero).
    latency_histogram();

    /// Counts one latency of `us` microseconds, clamped to [0, max_trackable_us].
    void record(std::int64_t us) noexcept;
    /// Adds every value counted in `other` to this one, as if recorded here.
    void merge(const latency_histogram& other) noexcept;
    /// Forgets every value (keeps the memory).
    void reset() noexcept;

    /// How many values were recorded.
    [[nodiscard]] std::int64_t count() const noexcept { return count_; }
    /// The smallest value recorded, exactly; 0 when empty.
    [[nodiscard]] std::int64_t min() const noexcept { return count_ ? min_ : 0; }
    /// The largest value recorded, exactly; 0 when empty.
    [[nodiscard]] std::int64_t max() const noexcept { return count_ ? max_ : 0; }
    /// The arithmetic mean of the values recorded (their exact sum over the count); 0 when
    /// empty.
    [[nodiscard]] double mean() const noexcept;

    /// The value at `percent` (0 to 100, clamped) by the nearest-rank rule: the k-th
    /// smallest value with k = ceil(percent / 100 * count), at least 1. Exact for the
    /// first and last rank (min and max) and for values below 256; otherwise the middle of
    /// the value's bucket, within value / 256 of it. 0 when empty.
    [[nodiscard]] std::int64_t percentile(double percent) const noexcept;

    /// count, min, max, mean (rounded) and the 50th, 95th, 99th and 99.9th percentiles.
    [[nodiscard]] latency_summary summary() const noexcept;

    /// The counter a value falls in (values clamped to [0, max_trackable_us]).
    [[nodiscard]] static std::size_t bucket_of(std::int64_t us) noexcept;
    /// The smallest value of bucket `index`.
    [[nodiscard]] static std::int64_t bucket_lowest(std::size_t index) noexcept;
    /// How many distinct values bucket `index` holds (a power of two).
    [[nodiscard]] static std::int64_t bucket_width(std::size_t index) noexcept;

private:
    std::vector<std::int64_t> counts_;
    std::int64_t count_ = 0;
    std::int64_t min_ = 0;
    std::int64_t max_ = 0;
    std::int64_t sum_ = 0;
};

} // namespace kafkit::detail
