#pragma once
// How many of one partition's fetched chunks wait for poll(). The fetcher sends a
// partition no new fetch while `lookahead` of them wait, so that a partition the
// application drains slowly does not fill the whole prefetch budget with its own data
// (the Java client fetches a partition only once its buffered data is drained; one chunk
// more keeps the next fetch in flight while poll() works through the current one).
// Each chunk carries a ticket; the ticket's end that frees a slot wakes the fetcher.

#include "consumer/prefetch_budget.hpp"

#include <atomic>
#include <memory>

namespace kafkit::detail {

class partition_backlog {
public:
    static constexpr int lookahead = 2;

    class ticket {
    public:
        ticket(std::shared_ptr<partition_backlog> backlog, std::shared_ptr<prefetch_budget> budget) noexcept
            : backlog_(std::move(backlog)), budget_(std::move(budget)) {
            backlog_->waiting_.fetch_add(1, std::memory_order_relaxed);
        }
        ~ticket() {
            if (backlog_->waiting_.fetch_sub(1, std::memory_order_acq_rel) == lookahead) budget_->wake();
        }
        ticket(const ticket&) = delete;
        ticket& operator=(const ticket&) = delete;

    private:
        std::shared_ptr<partition_backlog> backlog_;
        std::shared_ptr<prefetch_budget> budget_;
    };

    /// True while the partition may not be fetched again.
    [[nodiscard]] bool full() const noexcept { return waiting_.load(std::memory_order_acquire) >= lookahead; }

private:
    std::atomic<int> waiting_{0};
};

} // namespace kafkit::detail
