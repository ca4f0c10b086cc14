#include "state/fault_injector.hpp"

namespace kafkit::broker {

void fault_injector::push_errors(std::int32_t node_id, std::int16_t api_key, std::vector<injected_error> errors) {
    auto& queue = errors_[{node_id, api_key}];
    queue.insert(queue.end(), errors.begin(), errors.end());
}

void fault_injector::set_delay(std::int32_t node_id, std::int16_t api_key, std::chrono::milliseconds delay) {
    if (delay.count() <= 0)
        delays_.erase({node_id, api_key});
    else
        delays_[{node_id, api_key}] = delay;
}

injected_error fault_injector::take(std::int32_t node_id, std::int16_t api_key) {
    injected_error outcome;
    for (const key& k : {key{node_id, api_key}, key{-1, api_key}}) {
        auto it = errors_.find(k);
        if (it == errors_.end() || it->second.empty()) continue;
        outcome = it->second.front();
        it->second.pop_front();
        if (it->second.empty()) errors_.erase(it);
        break;
    }
    std::chrono::milliseconds standing{0};
    for (const key& k : {key{node_id, api_key}, key{-1, api_key}, key{node_id, -1}, key{-1, -1}}) {
        if (auto it = delays_.find(k); it != delays_.end()) {
            standing = it->second;
            break;
        }
    }
    outcome.delay += standing;
    return outcome;
}

void fault_injector::clear() {
    errors_.clear();
    delays_.clear();
}

} // namespace kafkit::broker
