#pragma once
// What the JSON-lines control socket drives: the fault controls of a cluster plus the few
// operations a test harness needs besides (create a topic, describe, shut down). The
// reference broker implements it over its fault_control; `kafkit-mock-cluster`
// (testcontainers/) implements it over librdkafka's mock cluster, so both speak one
// protocol.

#include "kafkit/broker/fault_control.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace kafkit::broker {

/// The operations behind the control protocol's ops. Every call runs on the thread that
/// serves the control socket and takes effect before it returns. A call whose arguments
/// name something that does not exist (a node, a topic, a partition) throws
/// std::invalid_argument with a message naming it; the control socket answers that message.
class control_target {
public:
    virtual ~control_target() = default;

    /// op push_request_errors: the next requests of `api_key` to `node_id` (-1: any node)
    /// fail with these errors, one per request, in order.
    virtual void push_request_errors(std::int32_t node_id, std::int16_t api_key,
                                     std::vector<injected_error> errors) = 0;
    /// op set_response_delay: delays responses of `api_key` (-1: all) from `node_id` (-1: all).
    virtual void set_response_delay(std::int32_t node_id, std::int16_t api_key,
                                    std::chrono::milliseconds delay) = 0;
    /// op drop_connections: closes matching client connections; returns how many (-1 when the
    /// backend cannot count them).
    virtual int drop_connections(std::int32_t node_id, const std::string& client_id) = 0;
    /// op set_node_up: takes a node down or brings it back.
    virtual void set_node_up(std::int32_t node_id, bool up) = 0;
    /// op set_partition_leader: moves a partition's leader, bumping its leader epoch.
    virtual void set_partition_leader(const std::string& topic, std::int32_t partition,
                                      std::int32_t node_id) = 0;
    /// op create_topic: creates a topic (replication_factor -1: the cluster's default).
    virtual void create_topic(const std::string& topic, std::int32_t partitions,
                              std::int16_t replication_factor) = 0;
    /// op clear: removes every injected error and delay.
    virtual void clear() = 0;
    /// op describe: the cluster as a JSON object (nodes, topics, partitions); see
    /// testcontainers/README.md for its fields.
    [[nodiscard]] virtual nlohmann::json describe() = 0;
    /// op shutdown: a graceful stop, begun after the reply has been written.
    virtual void shutdown() = 0;
};

} // namespace kafkit::broker
