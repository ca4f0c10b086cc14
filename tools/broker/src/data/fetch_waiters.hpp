#pragma once
// Long-polling fetches waiting for data: one waiter per partition on the partition's
// append_waiters, fanning out to the fetches that still wait. A fetch that was answered
// (by a timeout or another partition's data) is simply gone: nothing piles up on a
// partition that never gets data.

#include <memory>
#include <unordered_map>
#include <vector>

namespace kafkit::broker {

struct partition;

/// Something woken when a partition gets data, moves leader or is deleted.
class append_listener {
public:
    virtual ~append_listener() = default;
    /// Runs on the I/O thread, at most once per wait() call.
    virtual void on_append() = 0;
};

/// The waiting fetches of every partition. I/O thread only.
class fetch_waiters {
public:
    fetch_waiters() = default;
    fetch_waiters(const fetch_waiters&) = delete;
    fetch_waiters& operator=(const fetch_waiters&) = delete;

    /// Wakes `listener` the next time `p` is notified (partition::notify_append), unless the
    /// listener has been destroyed by then. The listener is held weakly.
    void wait(partition& p, const std::shared_ptr<append_listener>& listener);

    /// Listeners registered and not yet woken (expired ones included until the partition
    /// is next notified or waited on): for tests.
    [[nodiscard]] std::size_t waiting() const;

private:
    void wake(partition* p);

    std::unordered_map<partition*, std::vector<std::weak_ptr<append_listener>>> waiting_;
};

} // namespace kafkit::broker
