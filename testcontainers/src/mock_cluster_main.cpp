// kafkit-mock-cluster: librdkafka's mock cluster as a process, for tests in languages that
// cannot embed it (the Python testcontainers). Prints one line once it is ready,
//   kafkit-mock-cluster ready bootstrap=HOST:PORT[,...] control=HOST:PORT
// and serves the reference broker's JSON-lines control protocol (the same code:
// tools/broker/src/control/) on the control port. Stops on SIGINT/SIGTERM or op shutdown.

#include "control/control_server.hpp"
#include "description_json.hpp"
#include "kafkit/broker/broker_config.hpp"
#include "kafkit/testcontainers/mock_cluster.hpp"

#include <CLI/CLI.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>

#include <csignal>
#include <functional>
#include <iostream>

namespace {

using namespace kafkit;

/// The control protocol's ops on top of mock_cluster's fault controls. A refusal
/// (cluster_error) becomes the {"ok":false} answer.
class mock_control_target final : public broker::control_target {
public:
    mock_control_target(testcontainers::mock_cluster& cluster, std::function<void()> stop)
        : faults_(cluster.faults()), stop_(std::move(stop)) {}

    void push_request_errors(std::int32_t node, std::int16_t api_key, std::vector<broker::injected_error> errors) override {
        std::vector<testcontainers::request_error> list;
        for (const auto& e : errors) list.emplace_back(e.error_code, e.delay);
        faults_.push_request_errors(api_key, list, node);
    }
    void set_response_delay(std::int32_t node, std::int16_t api_key, std::chrono::milliseconds delay) override {
        faults_.set_response_delay(node, api_key, delay);
    }
    int drop_connections(std::int32_t node, const std::string& client_id) override {
        return faults_.drop_connections(node, client_id);
    }
    void set_node_up(std::int32_t node, bool up) override {
        faults_.set_node_state(node, up ? testcontainers::node_state::up : testcontainers::node_state::down);
    }
    void set_partition_leader(const std::string& topic, std::int32_t partition, std::int32_t node) override {
        faults_.set_partition_leader(topic, partition, node);
    }
    void create_topic(const std::string& topic, std::int32_t partitions, std::int16_t replication_factor) override {
        faults_.create_topic(topic, partitions, replication_factor);
    }
    void clear() override { faults_.clear(); }
    nlohmann::json describe() override { return testcontainers::description_to_json(faults_.describe()); }
    void shutdown() override { stop_(); }

private:
    testcontainers::fault_controls& faults_;
    std::function<void()> stop_;
};

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"kafkit-mock-cluster: librdkafka's mock cluster with a JSON-lines control socket"};
    int brokers = 3;
    std::string control = "127.0.0.1:0";
    app.add_option("--brokers,-n", brokers, "number of mock brokers (ids 1 to N)")->check(CLI::Range(1, 64));
    app.add_option("--control", control, "HOST:PORT of the JSON-lines control socket (port 0: any)");
    CLI11_PARSE(app, argc, argv);

    try {
        const auto where = broker::parse_listen_address(control, "--control");
        testcontainers::mock_cluster cluster(brokers);
        asio::io_context io(1);
        std::unique_ptr<broker::control_server> server;
        auto stop = [&] {
            if (server) server->close();
            io.stop();
        };
        mock_control_target target(cluster, stop);
        server = std::make_unique<broker::control_server>(io, where, target);
        server->start();
        asio::signal_set signals(io, SIGINT, SIGTERM);
        signals.async_wait([&](const std::error_code& ec, int) {
            if (!ec) stop();
        });
        std::cout << "kafkit-mock-cluster ready bootstrap=" << cluster.bootstrap_servers() << " control=" << where.host
                  << ':' << server->port() << std::endl;
        io.run();
        server.reset();
    } catch (const std::exception& e) {
        std::cerr << "kafkit-mock-cluster: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
