#include "util/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace kafkit::detail {
namespace {

// Values below 2 * sub_buckets are their own bucket. Above, a value with its highest bit at
// position b (b >= 8) is shifted right by s = b - 7, leaving 128..255: the bucket is
// 128 * s + (v >> s), so each shift s adds 128 buckets of width 2^s, and a bucket's width
// is never more than 1/128 of its lowest value.
constexpr int sub_bucket_bits = 7;
constexpr std::int64_t exact_limit = 2 * latency_histogram::sub_buckets; // 256

static_assert(latency_histogram::sub_buckets == std::int64_t{1} << sub_bucket_bits);
static_assert(latency_histogram::bucket_count ==
              static_cast<std::size_t>(latency_histogram::sub_buckets * (32 - sub_bucket_bits + 1)));

std::int64_t clamp_value(std::int64_t us) noexcept {
    return std::clamp<std::int64_t>(us, 0, latency_histogram::max_trackable_us);
}

} // namespace

latency_histogram::latency_histogram() : counts_(bucket_count, 0) {}

std::size_t latency_histogram::bucket_of(std::int64_t us) noexcept {
    const auto v = static_cast<std::uint64_t>(clamp_value(us));
    if (v < static_cast<std::uint64_t>(exact_limit)) return static_cast<std::size_t>(v);
    const int shift = std::bit_width(v) - (sub_bucket_bits + 1);
    return static_cast<std::size_t>(sub_buckets * shift) + static_cast<std::size_t>(v >> shift);
}

std::int64_t latency_histogram::bucket_lowest(std::size_t index) noexcept {
    const auto i = static_cast<std::int64_t>(index);
    if (i < exact_limit) return i;
    const std::int64_t shift = i / sub_buckets - 1;
    return (i - sub_buckets * shift) << shift;
}

std::int64_t latency_histogram::bucket_width(std::size_t index) noexcept {
    const auto i = static_cast<std::int64_t>(index);
    if (i < exact_limit) return 1;
    return std::int64_t{1} << (i / sub_buckets - 1);
}

void latency_histogram::record(std::int64_t us) noexcept {
    const std::int64_t v = clamp_value(us);
    ++counts_[bucket_of(v)];
    if (count_ == 0 || v < min_) min_ = v;
    if (count_ == 0 || v > max_) max_ = v;
    ++count_;
    sum_ += v;
}

void latency_histogram::merge(const latency_histogram& other) noexcept {
    if (other.count_ == 0) return;
    for (std::size_t i = 0; i < bucket_count; ++i) counts_[i] += other.counts_[i];
    min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
    max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
    count_ += other.count_;
    sum_ += other.sum_;
}

void latency_histogram::reset() noexcept {
    std::fill(counts_.begin(), counts_.end(), 0);
    count_ = 0;
    min_ = 0;
    max_ = 0;
    sum_ = 0;
}

double latency_histogram::mean() const noexcept {
    return count_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_);
}

std::int64_t latency_histogram::percentile(double percent) const noexcept {
    if (count_ == 0) return 0;
    const double p = std::isnan(percent) ? 0.0 : std::clamp(percent, 0.0, 100.0);
    // p * count first: 99.9 / 100 * 1000 rounds above 999, 99.9 * 1000 / 100 does not; the
    // slack absorbs what rounding is left for percentages with a few decimals.
    const double exact_rank = p * static_cast<double>(count_) / 100.0;
    const auto wanted = static_cast<std::int64_t>(std::ceil(exact_rank - 1e-9));
    const std::int64_t rank = std::clamp<std::int64_t>(wanted, 1, count_);
    // The extremes are known exactly; only ranks in between need the buckets.
    if (rank == 1) return min_;
    if (rank == count_) return max_;
    std::int64_t seen = 0;
    for (std::size_t i = 0; i < bucket_count; ++i) {
        seen += counts_[i];
        if (seen >= rank) {
            // The middle of the bucket is within half its width of every value in it.
            const std::int64_t middle = bucket_lowest(i) + bucket_width(i) / 2;
            return std::clamp(middle, min_, max_);
        }
    }
    return max_;
}

latency_summary latency_histogram::summary() const noexcept {
    latency_summary s;
    s.count = count_;
    s.min_us = min();
    s.max_us = max();
    s.avg_us = std::llround(mean());
    s.p50_us = percentile(50.0);
    s.p95_us = percentile(95.0);
    s.p99_us = percentile(99.0);
    s.p999_us = percentile(99.9);
    return s;
}

} // namespace kafkit::detail
