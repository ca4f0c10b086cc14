#pragma once
// The queues behind fault_control's request errors and response delays, consulted by the
// dispatcher for every request. I/O thread only.

#include "kafkit/broker/fault_control.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <utility>
#include <vector>

namespace kafkit::broker {

/// Injected errors (per node and API, consumed one per request) and standing delays.
class fault_injector {
public:
    /// Queues errors for the next requests of `api_key` to `node_id` (-1: any node).
    void push_errors(std::int32_t node_id, std::int16_t api_key, std::vector<injected_error> errors);
    /// Sets (or, with zero, removes) a delay for responses of `api_key` (-1: all) from
    /// `node_id` (-1: all).
    void set_delay(std::int32_t node_id, std::int16_t api_key, std::chrono::milliseconds delay);
    /// Takes the outcome for one request: a queued error for this node first, then one for
    /// any node; none gives {0, 0ms}. The standing delay is added.
    injected_error take(std::int32_t node_id, std::int16_t api_key);
    /// Forgets every queued error and delay.
    void clear();

private:
    using key = std::pair<std::int32_t, std::int16_t>;
    std::map<key, std::deque<injected_error>> errors_;
    std::map<key, std::chrono::milliseconds> delays_;
};

} // namespace kafkit::broker
