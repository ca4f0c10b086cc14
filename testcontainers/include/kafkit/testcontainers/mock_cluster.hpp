#pragma once
// librdkafka's mock cluster (rdkafka_mock.h, Debian's librdkafka-dev) in this process: an
// independent Kafka implementation on real 127.0.0.1 TCP ports, with the same fault
// controls as the reference broker mapped onto rd_kafka_mock_* calls. What the mock cannot
// do is refused with cluster_error rather than faked (see each call).

#include "kafkit/testcontainers/cluster.hpp"

#include <memory>

namespace kafkit::testcontainers {

/// librdkafka's mock cluster in this process. The fault controls may be called from any
/// thread (librdkafka serialises them onto the mock's own thread).
class mock_cluster final : public cluster {
public:
    /// Starts a mock cluster of `brokers` nodes (ids 1 to brokers). Throws cluster_error
    /// when librdkafka cannot create it.
    explicit mock_cluster(int brokers = 3);
    /// Destroys the mock cluster (its listeners close). Never throws.
    ~mock_cluster() override;

    [[nodiscard]] std::string bootstrap_servers() const override;
    [[nodiscard]] std::vector<node_address> nodes() const override;
    /// The fault controls, mapped onto librdkafka:
    /// - push_request_errors: node -1 -> rd_kafka_mock_push_request_errors_array (no delays
    ///   allowed: cluster-wide errors carry none); a node -> one
    ///   rd_kafka_mock_broker_push_request_error_rtts per error (delays allowed).
    /// - set_response_delay: rd_kafka_mock_broker_set_rtt, so api_key must be -1.
    /// - drop_connections: broker set_down then set_up (every connection to the node; the
    ///   count is unknown: -1); a client_id filter is refused.
    /// - set_node_state: rd_kafka_mock_broker_set_down / _set_up.
    /// - set_partition_leader: rd_kafka_mock_partition_set_leader.
    /// - create_topic: rd_kafka_mock_topic_create (replication -1: 1).
    /// - clear: rd_kafka_mock_clear_request_errors for every api key and the RTTs back to 0
    ///   (librdkafka has no call to clear a broker's own error stack).
    /// - describe: nodes, and the topics created and leaders set through these controls
    ///   (the mock cannot be queried; unknown fields are -1).
    [[nodiscard]] fault_controls& faults() override;
    [[nodiscard]] std::string backend() const override { return "librdkafka-mock"; }

    /// Makes `node` a follower of the partition that its leader names to fetching clients
    /// as the preferred read replica (KIP-392; rd_kafka_mock_partition_set_follower). The
    /// mock's own feature: kafkit-broker keeps no replicas.
    void set_partition_follower(const std::string& topic, std::int32_t partition, std::int32_t node);

private:
    class impl;
    std::unique_ptr<impl> impl_;
};

} // namespace kafkit::testcontainers
