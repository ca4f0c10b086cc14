#pragma once
// The fault controls every test cluster offers, modelled on librdkafka's mock cluster
// (rd_kafka_mock_push_request_errors, _broker_set_down/_set_up, _partition_set_leader,
// _broker_push_request_error_rtts), and what `describe` reports about a cluster.

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kafkit::testcontainers {

/// The one exception type of testcontainers: a cluster that cannot start, a control request
/// the cluster refused (the message is its reason), a control socket that went away.
class cluster_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One injected outcome: the request is answered with `code` (a Kafka error code; 0 answers
/// normally) after `delay`.
struct request_error {
    /// Implicit from a code, so `{6, 6}` is two NOT_LEADER_OR_FOLLOWER errors.
    request_error(std::int16_t error_code, std::chrono::milliseconds response_delay = {}) // NOLINT
        : code(error_code), delay(response_delay) {}
    std::int16_t code;               ///< Kafka error code answered (0: none)
    std::chrono::milliseconds delay; ///< how long the answer is held back
};

/// Whether a node serves clients.
enum class node_state { up, down };

/// One partition as the cluster sees it. Fields a backend cannot know are -1.
struct partition_description {
    std::int32_t partition = 0;          ///< partition index
    std::int32_t leader = -1;            ///< leader node id
    std::int32_t leader_epoch = -1;      ///< bumped by every leader move
    std::vector<std::int32_t> replicas;  ///< replica node ids, leader first
    std::int64_t log_start_offset = -1;  ///< first offset still in the log
    std::int64_t log_end_offset = -1;    ///< offset the next record gets (high watermark)
};

/// One topic.
struct topic_description {
    std::string name; ///< topic name
    std::string id;   ///< Kafka's base64 topic id; empty when the backend does not know it
    bool internal = false;                          ///< __consumer_offsets and the like
    std::vector<partition_description> partitions;  ///< in partition order
};

/// One broker node.
struct node_description {
    std::int32_t id = 0;              ///< node id
    std::string host;                 ///< listener host
    std::uint16_t port = 0;           ///< listener port
    std::optional<std::string> rack;  ///< rack, when the backend has one
    bool up = true;                   ///< false while set down
};

/// A snapshot of the cluster (the control protocol's `describe`).
struct cluster_description {
    std::string cluster_id;                 ///< empty when the backend does not say
    std::int32_t controller = -1;           ///< node id of the controller
    std::vector<node_description> nodes;    ///< in node id order
    std::vector<topic_description> topics;  ///< in name order

    /// The topic named `name`, or nullptr.
    [[nodiscard]] const topic_description* find_topic(const std::string& name) const;
    /// The node with id `id`, or nullptr.
    [[nodiscard]] const node_description* find_node(std::int32_t id) const;
};

/// The fault controls. Each call takes effect before it returns and throws cluster_error
/// when the cluster refuses it (an unknown node, topic or partition; an operation the
/// backend does not have). Calls block the calling thread; any thread may call.
class fault_controls {
public:
    virtual ~fault_controls() = default;

    /// The next requests of `api_key` to `node` (-1: to any node) are answered with these
    /// errors, one per request, in order (rd_kafka_mock_push_request_errors).
    virtual void push_request_errors(std::int16_t api_key, const std::vector<request_error>& errors,
                                     std::int32_t node) = 0;
    /// Delays every response of `api_key` (-1: all APIs) from `node` (-1: all nodes);
    /// zero removes the delay.
    virtual void set_response_delay(std::int32_t node, std::int16_t api_key,
                                    std::chrono::milliseconds delay) = 0;
    /// Closes client connections to `node` (-1: all) whose client.id is `client_id` (empty:
    /// any). Returns how many were closed, -1 when the backend cannot count them.
    virtual int drop_connections(std::int32_t node, const std::string& client_id) = 0;
    /// Takes a node down (connections closed, new ones refused) or brings it back up.
    virtual void set_node_state(std::int32_t node, node_state state) = 0;
    /// Moves a partition's leadership to `node`, bumping the leader epoch.
    virtual void set_partition_leader(const std::string& topic, std::int32_t partition, std::int32_t node) = 0;
    /// Creates a topic; `replication_factor` -1 takes the cluster's default.
    virtual void create_topic(const std::string& topic, std::int32_t partitions,
                              std::int16_t replication_factor) = 0;
    /// Removes every injected error and delay.
    virtual void clear() = 0;
    /// The cluster as it is now.
    [[nodiscard]] virtual cluster_description describe() = 0;
};

} // namespace kafkit::testcontainers
