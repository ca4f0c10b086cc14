#pragma once
// A client of the JSON-lines control socket that `kafkit-broker --control` and
// `kafkit-mock-cluster` serve: the fault controls of a cluster running in another process.

#include "kafkit/testcontainers/faults.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace kafkit::testcontainers {

/// fault_controls over a control socket. One request at a time: not for concurrent use.
class control_client final : public fault_controls {
public:
    /// Remembers where the control socket is; connects on the first request (and again
    /// after the connection was lost, e.g. across a broker restart). Each request waits at
    /// most `timeout` for its answer.
    control_client(std::string host, std::uint16_t port,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ~control_client() override;
    control_client(const control_client&) = delete;
    control_client& operator=(const control_client&) = delete;

    void push_request_errors(std::int16_t api_key, const std::vector<request_error>& errors,
                             std::int32_t node) override;
    void set_response_delay(std::int32_t node, std::int16_t api_key, std::chrono::milliseconds delay) override;
    int drop_connections(std::int32_t node, const std::string& client_id) override;
    void set_node_state(std::int32_t node, node_state state) override;
    void set_partition_leader(const std::string& topic, std::int32_t partition, std::int32_t node) override;
    void create_topic(const std::string& topic, std::int32_t partitions, std::int16_t replication_factor) override;
    void clear() override;
    [[nodiscard]] cluster_description describe() override;

    /// Asks for a graceful stop (op shutdown); returns once the cluster has taken it.
    void shutdown();
    /// Sends one raw line (no newline) and returns the raw response line: for tests of the
    /// protocol itself. Throws cluster_error when the socket fails or times out.
    std::string request_line(const std::string& line);
    /// Points the client at another port (a restarted cluster) and drops the connection.
    void reconnect(std::uint16_t port);
    /// The control socket's port.
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

private:
    void connect();
    void disconnect() noexcept;

    std::string host_;
    std::uint16_t port_;
    std::chrono::milliseconds timeout_;
    int fd_ = -1;
    std::string pending_; ///< bytes read past the last response line
};

} // namespace kafkit::testcontainers
