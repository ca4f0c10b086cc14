#pragma once
// What every test cluster is, whichever backend runs it: bootstrap servers, its nodes, and
// the fault controls. Client tests take a `cluster&` so they run against the reference
// broker and librdkafka's mock cluster alike.

#include "kafkit/testcontainers/faults.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace kafkit::testcontainers {

/// Where one broker node listens.
struct node_address {
    std::int32_t id = 0;     ///< node id
    std::string host;        ///< listener host
    std::uint16_t port = 0;  ///< listener port
};

/// A running cluster for a test. Not copyable; tears the cluster down when destroyed.
class cluster {
public:
    virtual ~cluster() = default;
    cluster() = default;
    cluster(const cluster&) = delete;
    cluster& operator=(const cluster&) = delete;

    /// "host:port,host:port,...", for `bootstrap.servers`.
    [[nodiscard]] virtual std::string bootstrap_servers() const = 0;
    /// The nodes, in node id order.
    [[nodiscard]] virtual std::vector<node_address> nodes() const = 0;
    /// The fault controls; valid while the cluster object lives.
    [[nodiscard]] virtual fault_controls& faults() = 0;
    /// Which backend this is: "kafkit-broker" or "librdkafka-mock" (for test names and logs).
    [[nodiscard]] virtual std::string backend() const = 0;

    /// Creates a topic (faults().create_topic with the cluster's default replication).
    void create_topic(const std::string& topic, std::int32_t partitions) { faults().create_topic(topic, partitions, -1); }
};

} // namespace kafkit::testcontainers
