// latency_histogram against exact order statistics: every percentile must be within 1/256
// of the true nearest-rank value, exact below 256 us and at the extremes.

#include "util/latency_histogram.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

using kafkit::detail::latency_histogram;

namespace {

// The nearest-rank value for a percentage given in tenths (999 is 99.9 %), in integers only.
std::int64_t exact_percentile(std::vector<std::int64_t> sorted, std::int64_t tenths) {
    std::sort(sorted.begin(), sorted.end());
    const auto n = static_cast<std::int64_t>(sorted.size());
    const std::int64_t rank = std::clamp<std::int64_t>((tenths * n + 999) / 1000, 1, n);
    return sorted[static_cast<std::size_t>(rank - 1)];
}

// Records `values` and checks every percentile from 0 to 100 in steps of 0.1.
void check_within_bound(const std::vector<std::int64_t>& values) {
    latency_histogram h;
    for (auto v : values) h.record(v);
    std::vector<std::int64_t> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    for (std::int64_t tenths = 0; tenths <= 1000; ++tenths) {
        const std::int64_t exact = exact_percentile(sorted, tenths);
        const std::int64_t got = h.percentile(static_cast<double>(tenths) / 10.0);
        CAPTURE(tenths);
        CAPTURE(exact);
        CAPTURE(got);
        // |got - exact| <= exact / 256, in integers: 256 * |got - exact| <= exact.
        CHECK(256 * std::llabs(got - exact) <= exact);
        if (exact < 256) CHECK(got == exact);
    }
}

} // namespace

TEST_CASE("latency_histogram: an empty histogram answers zeros") {
    latency_histogram h;
    CHECK(h.count() == 0);
    CHECK(h.min() == 0);
    CHECK(h.max() == 0);
    CHECK(h.mean() == 0.0);
    CHECK(h.percentile(50) == 0);
    const auto s = h.summary();
    CHECK(s.count == 0);
    CHECK(s.p999_us == 0);
}

TEST_CASE("latency_histogram: buckets tile the range without gaps, each at most 1/128 wide") {
    std::int64_t next = 0;
    for (std::size_t i = 0; i < latency_histogram::bucket_count; ++i) {
        CAPTURE(i);
        REQUIRE(latency_histogram::bucket_lowest(i) == next);
        const std::int64_t width = latency_histogram::bucket_width(i);
        if (next >= 256) CHECK(128 * width <= next);
        CHECK(latency_histogram::bucket_of(next) == i);
        CHECK(latency_histogram::bucket_of(next + width - 1) == i);
        next += width;
    }
    CHECK(next - 1 == latency_histogram::max_trackable_us);
}

TEST_CASE("latency_histogram: values below 256 us are exact at every percentile") {
    std::vector<std::int64_t> values;
    for (std::int64_t v = 0; v < 256; ++v) values.push_back(v);
    check_within_bound(values);
}

TEST_CASE("latency_histogram: percentiles stay within 1/256 of the exact values") {
    std::mt19937_64 rng(2024);
    SUBCASE("uniform up to one hour") {
        std::uniform_int_distribution<std::int64_t> d(0, 3'600'000'000);
        std::vector<std::int64_t> v(20'000);
        for (auto& x : v) x = d(rng);
        check_within_bound(v);
    }
    SUBCASE("log-normal around a millisecond") {
        std::lognormal_distribution<double> d(std::log(1000.0), 1.5);
        std::vector<std::int64_t> v(20'000);
        for (auto& x : v) x = static_cast<std::int64_t>(d(rng));
        check_within_bound(v);
    }
    SUBCASE("a few distinct values around bucket edges") {
        std::vector<std::int64_t> v;
        for (int k = 8; k < 32; ++k) {
            const std::int64_t edge = std::int64_t{1} << k;
            for (std::int64_t d : {-2, -1, 0, 1, 2}) v.push_back(edge + d);
        }
        check_within_bound(v);
    }
}

TEST_CASE("latency_histogram: a single middle value is within 1/256 wherever it lies") {
    // {0, v, max}: the 50th percentile is v and comes from its bucket, not from min or max.
    for (std::int64_t v = 1; v < latency_histogram::max_trackable_us; v = v * 17 / 16 + 1) {
        latency_histogram h;
        h.record(0);
        h.record(v);
        h.record(latency_histogram::max_trackable_us);
        const std::int64_t got = h.percentile(50);
        CAPTURE(v);
        CHECK(256 * std::llabs(got - v) <= v);
    }
}

TEST_CASE("latency_histogram: min, max, mean and count are exact") {
    latency_histogram h;
    for (std::int64_t v : {std::int64_t{1234567}, std::int64_t{89}, std::int64_t{1000}, std::int64_t{3'599'999'999}})
        h.record(v);
    CHECK(h.count() == 4);
    CHECK(h.min() == 89);
    CHECK(h.max() == 3'599'999'999);
    CHECK(h.mean() == doctest::Approx((1234567.0 + 89 + 1000 + 3'599'999'999.0) / 4).epsilon(1e-12));
    CHECK(h.percentile(0) == 89);
    CHECK(h.percentile(100) == 3'599'999'999);
}

TEST_CASE("latency_histogram: out-of-range values are clamped") {
    latency_histogram h;
    h.record(-5);
    h.record(latency_histogram::max_trackable_us + 1'000'000);
    CHECK(h.min() == 0);
    CHECK(h.max() == latency_histogram::max_trackable_us);
    CHECK(h.count() == 2);
}

TEST_CASE("latency_histogram: merging equals recording everything in one") {
    std::mt19937_64 rng(99);
    std::lognormal_distribution<double> d(std::log(5000.0), 2.0);
    latency_histogram a, b, all;
    for (int i = 0; i < 5000; ++i) {
        const auto v = static_cast<std::int64_t>(d(rng));
        (i % 3 ? a : b).record(v);
        all.record(v);
    }
    a.merge(b);
    CHECK(a.count() == all.count());
    CHECK(a.min() == all.min());
    CHECK(a.max() == all.max());
    CHECK(a.mean() == all.mean());
    for (double p : {0.0, 10.0, 50.0, 90.0, 99.0, 99.9, 100.0}) CHECK(a.percentile(p) == all.percentile(p));

    latency_histogram empty;
    empty.merge(all);
    CHECK(empty.min() == all.min());
    CHECK(empty.percentile(50) == all.percentile(50));
}

TEST_CASE("latency_histogram: reset forgets every value") {
    latency_histogram h;
    for (int i = 0; i < 100; ++i) h.record(1000 + i);
    h.reset();
    CHECK(h.count() == 0);
    CHECK(h.percentile(99) == 0);
    h.record(7);
    CHECK(h.min() == 7);
    CHECK(h.max() == 7);
    CHECK(h.percentile(50) == 7);
}

TEST_CASE("latency_histogram: 99.9th of 1000 values is the 999th, not the largest") {
    latency_histogram h;
    for (std::int64_t v = 1; v <= 1000; ++v) h.record(v < 1000 ? 100 : 900'000);
    CHECK(h.percentile(99.9) == 100);
    CHECK(h.percentile(100) == 900'000);
}

TEST_CASE("latency_histogram: summary reports the same figures") {
    latency_histogram h;
    for (std::int64_t v = 1; v <= 2000; ++v) h.record(v * 10);
    const auto s = h.summary();
    CHECK(s.count == 2000);
    CHECK(s.min_us == 10);
    CHECK(s.max_us == 20'000);
    CHECK(s.avg_us == 10'005);
    CHECK(s.p50_us == h.percentile(50));
    CHECK(s.p95_us == h.percentile(95));
    CHECK(s.p99_us == h.percentile(99));
    CHECK(s.p999_us == h.percentile(99.9));
    CHECK(256 * std::llabs(s.p99_us - 19'800) <= 19'800);
}
