#include "data/fetch_waiters.hpp"

#include "state/partition.hpp"

#include <algorithm>

namespace kafkit::broker {

void fetch_waiters::wait(partition& p, const std::shared_ptr<append_listener>& listener) {
    auto [it, inserted] = waiting_.try_emplace(&p);
    auto& list = it->second;
    // Fetches answered since they registered are dropped here, so an idle partition
    // polled again and again keeps only the fetches that still wait.
    list.erase(std::remove_if(list.begin(), list.end(), [](const auto& w) { return w.expired(); }), list.end());
    // A fetch woken by another of its partitions registers again everywhere: once each.
    const bool present = std::any_of(list.begin(), list.end(), [&](const auto& w) {
        return !w.owner_before(listener) && !listener.owner_before(w);
    });
    if (!present) list.push_back(listener);
    if (inserted) p.append_waiters.push_back([this, ptr = &p] { wake(ptr); });
}

void fetch_waiters::wake(partition* p) {
    auto it = waiting_.find(p);
    if (it == waiting_.end()) return;
    // Take the list first: a woken fetch that keeps waiting registers again (a new entry
    // and a new partition waiter), and a deleted partition must not stay in the map.
    auto list = std::move(it->second);
    waiting_.erase(it);
    for (auto& w : list)
        if (auto listener = w.lock()) listener->on_append();
}

std::size_t fetch_waiters::waiting() const {
    std::size_t n = 0;
    for (const auto& [p, list] : waiting_) n += list.size();
    return n;
}

} // namespace kafkit::broker
