#pragma once
// Objects handed out as shared_ptr that come back to the pool when their last holder lets
// go, instead of being freed, so their memory is reused while still resident: buffers of
// megabytes allocated fresh for every Fetch response or decompressed batch cost page
// faults and zero-filling that showed in perf profiles. Bounded by the total weight of
// what is kept (bytes, or a count); holders may release on any thread.

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace kafkit::detail {

template <class T> class recycling_pool : public std::enable_shared_from_this<recycling_pool<T>> {
public:
    /// How much a kept object counts against the bound.
    using weigh_fn = std::size_t (*)(const T&);

    recycling_pool(std::size_t max_kept_weight, weigh_fn weigh) noexcept : max_weight_(max_kept_weight), weigh_(weigh) {}

    /// An object given back earlier, or make() when none is kept. It comes back when its
    /// last shared_ptr goes, unless the pool is gone or full (then it is freed).
    template <class Make> [[nodiscard]] std::shared_ptr<T> take(Make make) {
        std::unique_ptr<T> object;
        {
            std::lock_guard lock(mutex_);
            if (!free_.empty()) {
                object = std::move(free_.back());
                free_.pop_back();
                weight_ -= weigh_(*object);
            }
        }
        if (!object) object = make();
        return {object.release(), [pool = this->weak_from_this()](T* released) {
                    std::unique_ptr<T> owned(released);
                    if (auto p = pool.lock()) p->give(std::move(owned));
                }};
    }

private:
    void give(std::unique_ptr<T> object) {
        const auto weight = weigh_(*object);
        std::lock_guard lock(mutex_);
        if (weight_ + weight > max_weight_) return;
        weight_ += weight;
        free_.push_back(std::move(object));
    }

    const std::size_t max_weight_;
    const weigh_fn weigh_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<T>> free_;
    std::size_t weight_ = 0;
};

} // namespace kafkit::detail
