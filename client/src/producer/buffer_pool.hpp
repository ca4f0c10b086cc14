#pragma once
// Buffers of batches already delivered, kept for the next batches: a batch of batch.size
// bytes written into a fresh vector costs page faults and zeroing on every batch, which
// showed as the producer's largest cost in perf. Thread-safe; bounded in bytes kept.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace kafkit::detail {

class buffer_pool {
public:
    explicit buffer_pool(std::size_t max_pooled_bytes) noexcept : max_bytes_(max_pooled_bytes) {}

    /// An empty buffer, with capacity when one was given back.
    std::vector<std::uint8_t> take() {
        std::lock_guard lock(mutex_);
        if (free_.empty()) return {};
        auto b = std::move(free_.back());
        free_.pop_back();
        pooled_ -= b.capacity();
        return b;
    }

    /// Keeps `buffer` for reuse unless the pool holds its limit already.
    void give(std::vector<std::uint8_t>&& buffer) {
        const auto capacity = buffer.capacity();
        if (capacity == 0) return;
        std::lock_guard lock(mutex_);
        if (pooled_ + capacity > max_bytes_) return; // freed when `buffer` goes
        buffer.clear();
        pooled_ += capacity;
        free_.push_back(std::move(buffer));
    }

private:
    const std::size_t max_bytes_;
    std::mutex mutex_;
    std::vector<std::vector<std::uint8_t>> free_;
    std::size_t pooled_ = 0;
};

} // namespace kafkit::detail
