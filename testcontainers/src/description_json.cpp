#include "description_json.hpp"

namespace kafkit::testcontainers {
namespace {

using nlohmann::json;

template <class T>
void read(const json& j, const char* name, T& out) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return;
    try {
        out = it->get<T>();
    } catch (const json::exception& e) {
        throw cluster_error(std::string("describe: field \"") + name + "\": " + e.what());
    }
}

} // namespace

const topic_description* cluster_description::find_topic(const std::string& name) const {
    for (const auto& t : topics)
        if (t.name == name) return &t;
    return nullptr;
}

const node_description* cluster_description::find_node(std::int32_t id) const {
    for (const auto& n : nodes)
        if (n.id == id) return &n;
    return nullptr;
}

cluster_description description_from_json(const json& j) {
    cluster_description d;
    read(j, "cluster_id", d.cluster_id);
    read(j, "controller", d.controller);
    for (const auto& n : j.value("nodes", json::array())) {
        node_description node;
        read(n, "id", node.id);
        read(n, "host", node.host);
        read(n, "port", node.port);
        if (auto rack = n.find("rack"); rack != n.end() && rack->is_string()) node.rack = rack->get<std::string>();
        read(n, "up", node.up);
        d.nodes.push_back(std::move(node));
    }
    for (const auto& t : j.value("topics", json::array())) {
        topic_description topic;
        read(t, "name", topic.name);
        read(t, "id", topic.id);
        read(t, "internal", topic.internal);
        for (const auto& p : t.value("partitions", json::array())) {
            partition_description part;
            read(p, "partition", part.partition);
            read(p, "leader", part.leader);
            read(p, "leader_epoch", part.leader_epoch);
            read(p, "replicas", part.replicas);
            read(p, "log_start_offset", part.log_start_offset);
            read(p, "log_end_offset", part.log_end_offset);
            topic.partitions.push_back(std::move(part));
        }
        d.topics.push_back(std::move(topic));
    }
    return d;
}

json description_to_json(const cluster_description& d) {
    json nodes = json::array();
    for (const auto& n : d.nodes)
        nodes.push_back({{"id", n.id}, {"host", n.host}, {"port", n.port},
                         {"rack", n.rack ? json(*n.rack) : json(nullptr)}, {"up", n.up}});
    json topics = json::array();
    for (const auto& t : d.topics) {
        json partitions = json::array();
        for (const auto& p : t.partitions)
            partitions.push_back({{"partition", p.partition}, {"leader", p.leader}, {"leader_epoch", p.leader_epoch},
                                  {"replicas", p.replicas}, {"log_start_offset", p.log_start_offset},
                                  {"log_end_offset", p.log_end_offset}});
        topics.push_back({{"name", t.name}, {"id", t.id}, {"internal", t.internal}, {"partitions", partitions}});
    }
    return {{"cluster_id", d.cluster_id}, {"controller", d.controller}, {"nodes", nodes}, {"topics", topics}};
}

} // namespace kafkit::testcontainers
