#pragma once
// Where a `latency` run is, shared by the producing thread and the consuming loop.

#include <atomic>

namespace kafkit::perf {

/// The steps of a run, in order. Warm-up records are sent and read back before any
/// measured one is sent, so that connections, metadata and the consumer's positions are
/// ready when the measurement starts.
enum class latency_phase {
    warming_up, ///< warm-up records go out; the producer waits for the consumer to read them
    measuring,  ///< the measured records go out
    stopped     ///< the consumer has all it waits for, or gave up: the producer stops sending
};

/// Moves `phase` from `from` to `to` and wakes whoever waits on it; does nothing (returns
/// false) when it was elsewhere already, so a run stopped stays stopped.
inline bool advance(std::atomic<latency_phase>& phase, latency_phase from, latency_phase to) {
    if (!phase.compare_exchange_strong(from, to)) return false;
    phase.notify_all();
    return true;
}

} // namespace kafkit::perf
