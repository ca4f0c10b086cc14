// `kafkit cluster describe` (cluster id, controller, brokers) and `kafkit brokers` (the
// brokers, the controller marked), from DescribeCluster.

#include "command_tree.hpp"
#include "text_table.hpp"

#include "kafkit/admin_client.hpp"

namespace kafkit::admin_cli {
namespace {

bool is_controller(const admin::cluster_description& c, const admin::node& n) {
    return c.controller && c.controller->id == n.id;
}

nlohmann::json brokers_json(const admin::cluster_description& c) {
    auto list = nlohmann::json::array();
    for (const auto& n : c.nodes)
        list.push_back({{"id", n.id.value()},
                        {"host", n.host},
                        {"port", n.port},
                        {"rack", n.rack ? nlohmann::json(*n.rack) : nlohmann::json(nullptr)},
                        {"controller", is_controller(c, n)}});
    return list;
}

std::string brokers_table(const admin::cluster_description& c) {
    text_table table({"ID", "HOST", "PORT", "RACK", "CONTROLLER"});
    for (const auto& n : c.nodes)
        table.add({std::to_string(n.id.value()), n.host, std::to_string(n.port), n.rack.value_or("-"),
                   is_controller(c, n) ? "yes" : "no"});
    return table.render();
}

int run_describe(admin_session& s) {
    const auto c = s.admin().describe_cluster(s.call<admin::describe_cluster_options>()).get();
    if (s.json()) {
        s.print_json({{"cluster_id", c.cluster_id}, {"controller", node_id_json(c.controller)}, {"brokers", brokers_json(c)}});
        return exit_success;
    }
    admin_session::print_text("Cluster ID: " + c.cluster_id + "\nController: " + node_text(c.controller) +
                              "\nBrokers: " + std::to_string(c.nodes.size()) + "\n" + brokers_table(c));
    return exit_success;
}

int run_brokers(admin_session& s) {
    const auto c = s.admin().describe_cluster(s.call<admin::describe_cluster_options>()).get();
    if (s.json()) s.print_json({{"brokers", brokers_json(c)}});
    else admin_session::print_text(brokers_table(c));
    return exit_success;
}

} // namespace

void add_cluster_commands(command_tree& tree) {
    CLI::App* cluster = tree.add(tree.root(), "cluster", "the cluster's id, controller and brokers");
    tree.add_admin(*cluster, "describe", "the cluster id, the controller and every broker",
                   "kafkit cluster describe -b localhost:9092 --output json", run_describe);
    tree.add_admin(tree.root(), "brokers", "the brokers: id, host, port, rack, which is the controller",
                   "kafkit brokers -b localhost:9092", run_brokers);
}

} // namespace kafkit::admin_cli
