#pragma once
// Exponential backoff with jitter, as Kafka's clients compute it (KIP-144, KIP-580):
// base * 2^attempts, capped at max, then spread by +/-20% so that clients that failed
// together do not retry together.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace kafkit::detail {

class exponential_backoff {
public:
    exponential_backoff(std::chrono::milliseconds base, std::chrono::milliseconds max) noexcept
        : base_(std::max<std::int64_t>(base.count(), 1)), max_(std::max(max.count(), base_)) {}

    /// The wait before attempt number `attempts` + 1 (0 after the first failure).
    [[nodiscard]] std::chrono::milliseconds delay(std::uint32_t attempts) const {
        thread_local std::minstd_rand rng{std::random_device{}()};
        const double exp = static_cast<double>(base_) * static_cast<double>(std::uint64_t{1} << std::min(attempts, 30u));
        const double capped = std::min(exp, static_cast<double>(max_));
        std::uniform_real_distribution<double> jitter(0.8, 1.2);
        return std::chrono::milliseconds(static_cast<std::int64_t>(capped * jitter(rng)));
    }

private:
    std::int64_t base_;
    std::int64_t max_;
};

} // namespace kafkit::detail
