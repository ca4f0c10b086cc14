#pragma once
// The hand-off from the fetcher (I/O thread) to poll() (the application's thread): fetched
// chunks in arrival order, wakeup(), and nudge() for group events poll() must handle.
// Thread-safe.

#include "consumer/fetched_chunk.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

namespace kafkit::detail {

class chunk_queue {
public:
    void push(fetched_chunk chunk) {
        {
            std::lock_guard lock(mutex_);
            chunks_.push_back(std::move(chunk));
        }
        ready_.notify_one();
    }

    /// Moves every queued chunk to the back of `out`, waiting until `deadline` for the
    /// first. Returns false when it returned because of wakeup() (which it then clears).
    bool take(std::deque<fetched_chunk>& out, std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mutex_);
        ready_.wait_until(lock, deadline, [&] { return !chunks_.empty() || woken_ || nudged_; });
        for (auto& c : chunks_) out.push_back(std::move(c));
        chunks_.clear();
        nudged_ = false;
        if (woken_) {
            woken_ = false;
            return false;
        }
        return true;
    }

    void wakeup() {
        {
            std::lock_guard lock(mutex_);
            woken_ = true;
        }
        ready_.notify_all();
    }

    /// Makes a waiting take() return (true, perhaps with nothing) so its caller looks at
    /// other state; unlike wakeup() it does not end the poll.
    void nudge() {
        {
            std::lock_guard lock(mutex_);
            nudged_ = true;
        }
        ready_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<fetched_chunk> chunks_;
    bool woken_ = false;
    bool nudged_ = false;
};

} // namespace kafkit::detail
