#pragma once
// The reference broker's side of the control socket: checks that the nodes, topics and
// partitions a request names exist, then calls the broker's fault_control (the same code
// broker::faults() reaches) and reads broker_state for `describe`. I/O thread only.

#include "control/control_target.hpp"

#include <functional>

namespace kafkit::broker {

class broker_state;

/// control_target over the reference broker (see the file comment).
class broker_control final : public control_target {
public:
    /// `faults` and `state` must outlive this object; `begin_stop` starts a graceful stop.
    broker_control(fault_control& faults, broker_state& state, std::function<void()> begin_stop)
        : faults_(faults), state_(state), begin_stop_(std::move(begin_stop)) {}

    void push_request_errors(std::int32_t node_id, std::int16_t api_key,
                             std::vector<injected_error> errors) override;
    void set_response_delay(std::int32_t node_id, std::int16_t api_key,
                            std::chrono::milliseconds delay) override;
    int drop_connections(std::int32_t node_id, const std::string& client_id) override;
    void set_node_up(std::int32_t node_id, bool up) override;
    void set_partition_leader(const std::string& topic, std::int32_t partition,
                              std::int32_t node_id) override;
    void create_topic(const std::string& topic, std::int32_t partitions,
                      std::int16_t replication_factor) override;
    void clear() override;
    [[nodiscard]] nlohmann::json describe() override;
    void shutdown() override;

private:
    /// Throws std::invalid_argument unless `node_id` is a node (or -1 when `any_allowed`).
    void check_node(std::int32_t node_id, bool any_allowed);

    fault_control& faults_;
    broker_state& state_;
    std::function<void()> begin_stop_;
};

} // namespace kafkit::broker
