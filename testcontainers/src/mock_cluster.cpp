#include "kafkit/testcontainers/mock_cluster.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <map>
#include <mutex>
#include <sstream>

namespace kafkit::testcontainers {
namespace {

/// Kafka's api keys go up to the 70s; clearing a few more than exist is harmless.
constexpr std::int16_t highest_api_key = 100;

void check(rd_kafka_resp_err_t err, const std::string& what) {
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw cluster_error("librdkafka mock cluster: " + what + ": " + rd_kafka_err2name(err) + " (" +
                            rd_kafka_err2str(err) + ")");
}

} // namespace

class mock_cluster::impl final : public fault_controls {
public:
    explicit impl(int brokers) {
        if (brokers < 1) throw cluster_error("mock_cluster: brokers must be at least 1");
        char errstr[512];
        rd_kafka_conf_t* conf = rd_kafka_conf_new();
        // The handle exists only because rd_kafka_mock_cluster_new wants one; its own
        // complaints (no bootstrap.servers) are noise.
        rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
        rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
        if (!rk_) {
            rd_kafka_conf_destroy(conf);
            throw cluster_error(std::string("mock_cluster: rd_kafka_new: ") + errstr);
        }
        mcluster_ = rd_kafka_mock_cluster_new(rk_, brokers);
        if (!mcluster_) {
            rd_kafka_destroy(rk_);
            throw cluster_error("mock_cluster: rd_kafka_mock_cluster_new failed");
        }
        bootstraps_ = rd_kafka_mock_cluster_bootstraps(mcluster_);
        // "127.0.0.1:P1,127.0.0.1:P2,...": broker ids are 1..brokers in this order.
        std::istringstream list(bootstraps_);
        std::int32_t id = 1;
        for (std::string item; std::getline(list, item, ',');) {
            const auto colon = item.rfind(':');
            nodes_.push_back({id++, item.substr(0, colon), static_cast<std::uint16_t>(std::stoi(item.substr(colon + 1)))});
            up_[nodes_.back().id] = true;
        }
    }

    ~impl() override {
        rd_kafka_mock_cluster_destroy(mcluster_);
        rd_kafka_destroy(rk_);
    }

    void push_request_errors(std::int16_t api_key, const std::vector<request_error>& errors,
                             std::int32_t node) override {
        if (node == -1) {
            std::vector<rd_kafka_resp_err_t> codes;
            for (const auto& e : errors) {
                if (e.delay.count() != 0)
                    throw cluster_error("librdkafka's mock cluster has no delays for cluster-wide errors: name a node");
                codes.push_back(static_cast<rd_kafka_resp_err_t>(e.code));
            }
            rd_kafka_mock_push_request_errors_array(mcluster_, api_key, codes.size(), codes.data());
            return;
        }
        check_node(node);
        // One call per error keeps their order: each is appended to the broker's stack.
        for (const auto& e : errors)
            check(rd_kafka_mock_broker_push_request_error_rtts(mcluster_, node, api_key, 1,
                                                                static_cast<rd_kafka_resp_err_t>(e.code),
                                                                static_cast<int>(e.delay.count())),
                  "push_request_errors");
    }

    void set_response_delay(std::int32_t node, std::int16_t api_key, std::chrono::milliseconds delay) override {
        if (api_key != -1)
            throw cluster_error("librdkafka's mock cluster delays whole brokers (rd_kafka_mock_broker_set_rtt): "
                                "api_key must be -1");
        for (const auto id : targets(node))
            check(rd_kafka_mock_broker_set_rtt(mcluster_, id, static_cast<int>(delay.count())), "set_response_delay");
        std::lock_guard lock(mutex_);
        for (const auto id : targets(node)) rtt_set_[id] = delay.count() != 0;
    }

    int drop_connections(std::int32_t node, const std::string& client_id) override {
        if (!client_id.empty())
            throw cluster_error("librdkafka's mock cluster cannot tell connections apart by client.id");
        for (const auto id : targets(node)) {
            if (!is_up(id)) continue; // a down broker has no connections
            check(rd_kafka_mock_broker_set_down(mcluster_, id), "drop_connections");
            check(rd_kafka_mock_broker_set_up(mcluster_, id), "drop_connections");
        }
        return -1;
    }

    void set_node_state(std::int32_t node, node_state state) override {
        check_node(node);
        if (state == node_state::up)
            check(rd_kafka_mock_broker_set_up(mcluster_, node), "set_node_up");
        else
            check(rd_kafka_mock_broker_set_down(mcluster_, node), "set_node_up");
        std::lock_guard lock(mutex_);
        up_[node] = state == node_state::up;
    }

    void set_partition_leader(const std::string& topic, std::int32_t partition, std::int32_t node) override {
        check_node(node);
        check(rd_kafka_mock_partition_set_leader(mcluster_, topic.c_str(), partition, node), "set_partition_leader");
        std::lock_guard lock(mutex_);
        auto& t = topics_[topic];
        if (static_cast<std::size_t>(partition) >= t.size()) t.resize(static_cast<std::size_t>(partition) + 1, -1);
        t[static_cast<std::size_t>(partition)] = node;
    }

    void set_partition_follower(const std::string& topic, std::int32_t partition, std::int32_t node) {
        check_node(node);
        check(rd_kafka_mock_partition_set_follower(mcluster_, topic.c_str(), partition, node), "set_partition_follower");
    }

    void create_topic(const std::string& topic, std::int32_t partitions, std::int16_t replication_factor) override {
        check(rd_kafka_mock_topic_create(mcluster_, topic.c_str(), partitions,
                                         replication_factor == -1 ? 1 : replication_factor),
              "create_topic " + topic);
        std::lock_guard lock(mutex_);
        topics_[topic].resize(static_cast<std::size_t>(partitions), -1);
    }

    void clear() override {
        for (std::int16_t key = 0; key <= highest_api_key; ++key) rd_kafka_mock_clear_request_errors(mcluster_, key);
        std::lock_guard lock(mutex_);
        for (auto& [id, set] : rtt_set_) {
            if (set) rd_kafka_mock_broker_set_rtt(mcluster_, id, 0);
            set = false;
        }
    }

    cluster_description describe() override {
        std::lock_guard lock(mutex_);
        cluster_description d;
        d.controller = nodes_.front().id;
        for (const auto& n : nodes_) d.nodes.push_back({n.id, n.host, n.port, std::nullopt, up_[n.id]});
        for (const auto& [name, leaders] : topics_) {
            topic_description t;
            t.name = name;
            for (std::size_t p = 0; p < leaders.size(); ++p) {
                partition_description part;
                part.partition = static_cast<std::int32_t>(p);
                part.leader = leaders[p];
                t.partitions.push_back(part);
            }
            d.topics.push_back(std::move(t));
        }
        return d;
    }

    const std::string& bootstraps() const { return bootstraps_; }
    const std::vector<node_address>& node_list() const { return nodes_; }

private:
    void check_node(std::int32_t node) const {
        for (const auto& n : nodes_)
            if (n.id == node) return;
        throw cluster_error("no node " + std::to_string(node) + " (nodes are 1 to " + std::to_string(nodes_.size()) + ")");
    }
    std::vector<std::int32_t> targets(std::int32_t node) const {
        if (node != -1) {
            check_node(node);
            return {node};
        }
        std::vector<std::int32_t> all;
        for (const auto& n : nodes_) all.push_back(n.id);
        return all;
    }
    bool is_up(std::int32_t node) {
        std::lock_guard lock(mutex_);
        return up_[node];
    }

    rd_kafka_t* rk_ = nullptr;
    rd_kafka_mock_cluster_t* mcluster_ = nullptr;
    std::string bootstraps_;
    std::vector<node_address> nodes_;
    std::mutex mutex_;
    std::map<std::int32_t, bool> up_;
    std::map<std::int32_t, bool> rtt_set_;
    std::map<std::string, std::vector<std::int32_t>> topics_; ///< partition -> leader set here (-1: unknown)
};

mock_cluster::mock_cluster(int brokers) : impl_(std::make_unique<impl>(brokers)) {}
mock_cluster::~mock_cluster() = default;

std::string mock_cluster::bootstrap_servers() const { return impl_->bootstraps(); }
std::vector<node_address> mock_cluster::nodes() const { return impl_->node_list(); }
fault_controls& mock_cluster::faults() { return *impl_; }

void mock_cluster::set_partition_follower(const std::string& topic, std::int32_t partition, std::int32_t node) {
    impl_->set_partition_follower(topic, partition, node);
}

} // namespace kafkit::testcontainers
