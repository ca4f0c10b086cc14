#pragma once
// What the group membership (I/O thread) tells poll() (the application's thread): that the
// member must rejoin (and whether its partitions are lost), the assignment a SyncGroup (or a
// KIP-848 heartbeat) brought, that max.poll.interval.ms passed, or a fatal error. The
// application acts on them inside poll(), where the rebalance listener runs. Thread-safe.

#include "consumer/group_offsets.hpp"
#include "group/partition_assignor.hpp"
#include "kafkit/topic_partition.hpp"

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace kafkit::detail {

/// The partitions a SyncGroup gave this member, and the membership they belong to.
struct group_assignment_event {
    group_identity who;
    std::vector<topic_partition> partitions;
    rebalance_protocol protocol = rebalance_protocol::eager;
    /// KIP-848: the membership waits for membership::assignment_applied() and tells the
    /// coordinator in its next heartbeat (a cooperative member does not rejoin).
    bool acknowledge = false;
};

/// Everything posted since the last take(), in the order poll() handles it: the fatal error,
/// the assignment, then the rejoin.
struct group_event_batch {
    std::error_code fatal;
    std::string fatal_reason; ///< with fatal: what it means for the user, when the code does not say
    bool poll_exceeded = false;
    std::optional<group_assignment_event> assignment;
    bool rejoin = false;
    bool lost = false; ///< with rejoin: the generation is gone; owned partitions are lost, not revoked
};

class group_events {
public:
    /// `wake` makes a waiting poll() look (chunk_queue::nudge).
    explicit group_events(std::function<void()> wake) : wake_(std::move(wake)) {}

    void rejoin(bool lost) {
        post([&](group_event_batch& b) {
            b.rejoin = true;
            b.lost = b.lost || lost;
        });
    }
    void assigned(group_assignment_event e) {
        post([&](group_event_batch& b) { b.assignment = std::move(e); });
    }
    void poll_exceeded() {
        post([](group_event_batch& b) { b.poll_exceeded = true; });
    }
    /// The membership is gone (KIP-848 fencing): partitions lost, and an assignment posted
    /// and not yet taken no longer holds.
    void lose_membership() {
        post([](group_event_batch& b) {
            b.assignment.reset();
            b.rejoin = true;
            b.lost = true;
        });
    }
    void fail(std::error_code ec, std::string reason = {}) {
        post([&](group_event_batch& b) {
            b.fatal = ec;
            b.fatal_reason = std::move(reason);
        });
    }

    /// Whether anything was posted since the last take(): poll() looks at this every time
    /// it wakes, so it costs one atomic load, not the lock.
    [[nodiscard]] bool pending() const noexcept { return posted_.load(std::memory_order_acquire); }

    [[nodiscard]] group_event_batch take() {
        std::lock_guard lock(mutex_);
        posted_.store(false, std::memory_order_relaxed);
        return std::exchange(pending_, {});
    }

private:
    template <class Change> void post(Change change) {
        {
            std::lock_guard lock(mutex_);
            change(pending_);
            posted_.store(true, std::memory_order_release);
        }
        wake_();
    }

    std::mutex mutex_;
    group_event_batch pending_;
    std::atomic<bool> posted_{false};
    std::function<void()> wake_;
};

} // namespace kafkit::detail
