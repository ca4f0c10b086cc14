#include "control/broker_control.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "state/broker_state.hpp"

#include <stdexcept>

namespace kafkit::broker {

void broker_control::check_node(std::int32_t node_id, bool any_allowed) {
    if (any_allowed && node_id == -1) return;
    if (state_.find_node(node_id)) return;
    const auto& nodes = state_.nodes();
    throw std::invalid_argument("no node " + std::to_string(node_id) + " (nodes are " +
                                std::to_string(nodes.front().id) + " to " + std::to_string(nodes.back().id) +
                                (any_allowed ? ", or -1 for all)" : ")"));
}

void broker_control::push_request_errors(std::int32_t node_id, std::int16_t api_key,
                                         std::vector<injected_error> errors) {
    check_node(node_id, true);
    faults_.push_request_errors(node_id, api_key, std::move(errors));
}

void broker_control::set_response_delay(std::int32_t node_id, std::int16_t api_key,
                                        std::chrono::milliseconds delay) {
    check_node(node_id, true);
    faults_.set_response_delay(node_id, api_key, delay);
}

int broker_control::drop_connections(std::int32_t node_id, const std::string& client_id) {
    check_node(node_id, true);
    return faults_.drop_connections(node_id, client_id);
}

void broker_control::set_node_up(std::int32_t node_id, bool up) {
    check_node(node_id, false);
    faults_.set_node_up(node_id, up);
}

void broker_control::set_partition_leader(const std::string& topic_name, std::int32_t partition,
                                          std::int32_t node_id) {
    const topic* t = state_.find_topic(topic_name);
    if (!t) throw std::invalid_argument("unknown topic \"" + topic_name + "\"");
    if (!t->find_partition(partition))
        throw std::invalid_argument("topic \"" + topic_name + "\" has no partition " + std::to_string(partition) +
                                    " (it has " + std::to_string(t->partitions.size()) + ")");
    check_node(node_id, false);
    if (!faults_.set_partition_leader(topic_name, partition, node_id))
        throw std::invalid_argument("cannot move the leader of " + topic_name + "-" + std::to_string(partition));
}

void broker_control::create_topic(const std::string& topic_name, std::int32_t partitions,
                                  std::int16_t replication_factor) {
    topic_spec spec;
    spec.name = topic_name;
    spec.partitions = partitions;
    spec.replication_factor = replication_factor;
    const auto result = state_.create_topic(spec, false);
    if (result.error != kafka_errc::none)
        throw std::invalid_argument(std::string(kafka_error_name(static_cast<std::int16_t>(result.error))) + ": " +
                                    result.message);
}

void broker_control::clear() { faults_.clear(); }

nlohmann::json broker_control::describe() {
    using nlohmann::json;
    json nodes = json::array();
    for (const auto& n : state_.nodes()) {
        nodes.push_back({{"id", n.id},
                         {"host", n.host},
                         {"port", n.port},
                         {"rack", n.rack ? json(*n.rack) : json(nullptr)},
                         {"up", n.up}});
    }
    json topics = json::array();
    for (const auto& [name, t] : state_.topics()) {
        json partitions = json::array();
        for (const auto& p : t->partitions) {
            partitions.push_back({{"partition", p->index},
                                  {"leader", p->leader},
                                  {"leader_epoch", p->leader_epoch},
                                  {"replicas", p->replicas},
                                  {"log_start_offset", p->log->log_start_offset()},
                                  {"log_end_offset", p->log->log_end_offset()}});
        }
        topics.push_back({{"name", name}, {"id", t->id.to_string()}, {"internal", t->internal}, {"partitions", partitions}});
    }
    return {{"cluster_id", state_.cluster_id()},
            {"controller", state_.controller_id()},
            {"nodes", nodes},
            {"topics", topics}};
}

void broker_control::shutdown() {
    if (begin_stop_) begin_stop_();
}

} // namespace kafkit::broker
