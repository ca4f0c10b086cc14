#pragma once
// Fault injection for client tests, modelled on librdkafka's mock cluster
// (rd_kafka_mock_push_request_errors, _broker_set_down, _partition_set_leader,
// _broker_push_request_error_rtts). Reached through broker::faults() or the JSON-lines
// control socket.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace kafkit::broker {

/// One injected outcome for a request: answer with `error_code` (0: answer normally) after
/// `delay`.
struct injected_error {
    std::int16_t error_code = 0;
    std::chrono::milliseconds delay{0};
};

/// The fault controls. Every call is thread-safe and takes effect before it returns.
class fault_control {
public:
    virtual ~fault_control() = default;

    /// The next requests of `api_key` (to any node when node_id is -1) are answered with
    /// these errors, one per request, in order (rd_kafka_mock_push_request_errors).
    virtual void push_request_errors(std::int32_t node_id, std::int16_t api_key,
                                     std::vector<injected_error> errors) = 0;
    /// Delays every response of `api_key` (-1: all APIs) from `node_id` (-1: all nodes) by
    /// `delay`; zero removes the delay.
    virtual void set_response_delay(std::int32_t node_id, std::int16_t api_key,
                                    std::chrono::milliseconds delay) = 0;
    /// Closes the connections to `node_id` (-1: all) whose client.id is `client_id` (empty:
    /// every client). Returns how many were closed.
    virtual int drop_connections(std::int32_t node_id, const std::string& client_id) = 0;
    /// Takes a node down (its connections closed, new ones refused) or brings it back.
    virtual void set_node_up(std::int32_t node_id, bool up) = 0;
    /// Moves a partition's leadership to `node_id`, bumping its leader epoch. Returns false
    /// when the topic, partition or node does not exist.
    virtual bool set_partition_leader(const std::string& topic, std::int32_t partition,
                                      std::int32_t node_id) = 0;
    /// Removes every injected error and delay.
    virtual void clear() = 0;
};

} // namespace kafkit::broker
