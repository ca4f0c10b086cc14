// exponential_backoff: base * 2^attempts capped at max, spread by +/-20% (KIP-144, KIP-580).
// Each bound is checked over many draws; the jitter itself is random.

#include "net/backoff.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <set>

using kafkit::detail::exponential_backoff;
using namespace std::chrono_literals;

namespace {

constexpr int draws = 300;

/// min(base * 2^attempts, max) in milliseconds.
std::int64_t capped(std::int64_t base, std::int64_t max, std::uint32_t attempts) {
    std::int64_t value = base;
    for (std::uint32_t i = 0; i < attempts && value < max; ++i)
        value *= 2;
    return std::min(value, max);
}

} // namespace

TEST_CASE("exponential_backoff: each delay is within 0.8 to 1.2 times min(base * 2^n, max)") {
    const exponential_backoff backoff(100ms, 10'000ms);
    for (std::uint32_t attempts = 0; attempts <= 10; ++attempts) {
        CAPTURE(attempts);
        const auto expected = capped(100, 10'000, attempts);
        std::int64_t lowest = INT64_MAX;
        std::int64_t highest = 0;
        for (int i = 0; i < draws; ++i) {
            const auto d = backoff.delay(attempts).count();
            lowest = std::min(lowest, d);
            highest = std::max(highest, d);
        }
        // 0.8 and 1.2 as integer ratios: the delay is truncated to whole milliseconds.
        CHECK(lowest * 10 >= expected * 8 - 10);
        CHECK(highest * 10 <= expected * 12);
    }
}

TEST_CASE("exponential_backoff: the delays grow by doubling until the cap") {
    const exponential_backoff backoff(100ms, 1000ms);
    // Ranges [80,120], [160,240], [320,480], [640,960]: each above the one before.
    for (std::uint32_t attempts = 0; attempts < 3; ++attempts) {
        CAPTURE(attempts);
        const auto upper_now = capped(100, 1000, attempts) * 12 / 10;
        const auto lower_next = capped(100, 1000, attempts + 1) * 8 / 10;
        for (int i = 0; i < draws; ++i) {
            CHECK(backoff.delay(attempts).count() <= upper_now);
            CHECK(backoff.delay(attempts + 1).count() >= lower_next);
        }
    }
}

TEST_CASE("exponential_backoff: never above 1.2 times max, however many attempts") {
    const exponential_backoff backoff(50ms, 1000ms);
    for (const std::uint32_t attempts : {5u, 20u, 30u, 31u, 63u, 64u, 1000u, UINT32_MAX}) {
        CAPTURE(attempts);
        for (int i = 0; i < draws; ++i) {
            const auto d = backoff.delay(attempts).count();
            CHECK(d <= 1200);
            CHECK(d >= 800);
        }
    }
}

TEST_CASE("exponential_backoff: the jitter spreads the delays of one attempt") {
    const exponential_backoff backoff(1000ms, 1000ms);
    std::set<std::int64_t> seen;
    for (int i = 0; i < draws; ++i)
        seen.insert(backoff.delay(0).count());
    // 300 draws from 401 possible values: all alike would mean no jitter.
    CHECK(seen.size() > 10);
    CHECK(*seen.begin() >= 800);
    CHECK(*seen.rbegin() <= 1200);
}

TEST_CASE("exponential_backoff: a zero base counts as 1 ms and a max below the base as the base") {
    const exponential_backoff zero(0ms, 0ms);
    const exponential_backoff inverted(200ms, 10ms);
    for (int i = 0; i < draws; ++i) {
        CHECK(zero.delay(0).count() <= 1);
        CHECK(zero.delay(10).count() <= 1);
        const auto d = inverted.delay(3).count();
        CHECK(d >= 160);
        CHECK(d <= 240);
    }
}
