#pragma once
// The reference broker, embeddable: one object is a whole cluster of N broker nodes served
// by one I/O thread. `kafkit-broker` is a thin main around it; tests may embed it directly.

#include "kafkit/broker/broker_config.hpp"
#include "kafkit/broker/fault_control.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kafkit::broker {

/// Where one broker node of the cluster listens.
struct node_endpoint {
    std::int32_t node_id = 0;
    std::string host;
    std::uint16_t port = 0;
};

/// A running reference cluster. Thread-safe: every public call may come from any thread;
/// the state itself lives on the broker's I/O thread.
class broker {
public:
    /// Validates `config` (std::invalid_argument naming the property) and opens the data
    /// directory, recovering what it holds (std::system_error when it cannot be read).
    explicit broker(broker_config config);
    /// Stops as stop() does, within a bound; never throws.
    ~broker();
    broker(const broker&) = delete;
    broker& operator=(const broker&) = delete;

    /// Binds every listener and starts the I/O thread. Throws std::system_error when a
    /// listener cannot be bound. After it returns, endpoints() are final.
    void start();
    /// The nodes' listeners, in node id order (ports resolved when 0 was asked for).
    [[nodiscard]] std::vector<node_endpoint> endpoints() const;
    /// "host:port,host:port,..." of every node, for `bootstrap.servers`.
    [[nodiscard]] std::string bootstrap_servers() const;
    /// The control socket's port (0 when there is none).
    [[nodiscard]] std::uint16_t control_port() const;
    /// Blocks until the broker has stopped (by stop(), or a signal when handle_signals).
    void wait();
    /// Graceful stop: stops accepting, lets in-flight requests finish (bounded), flushes the
    /// logs, closes connections, joins the I/O thread. Idempotent.
    void stop();
    /// Fault injection for tests; valid while the broker lives.
    [[nodiscard]] fault_control& faults();

private:
    class impl;
    std::unique_ptr<impl> impl_;
};

} // namespace kafkit::broker
