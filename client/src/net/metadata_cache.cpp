#include "net/metadata_cache.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_set>

namespace kafkit::detail {

bool metadata_cache::apply(const protocol::metadata_response& response, bool lists_all) {
    ++updates_;
    brokers_.clear();
    for (const auto& b : response.brokers)
        brokers_[b.node_id] = broker_info{b.node_id, b.host, static_cast<std::uint16_t>(b.port), b.rack};
    controller_ = response.controller_id;
    if (response.cluster_id) cluster_id_ = *response.cluster_id;

    bool changed = false;
    if (lists_all) {
        std::unordered_set<std::string_view> listed_names;
        for (const auto& t : response.topics)
            if (t.name) listed_names.insert(*t.name);
        for (auto it = topics_.begin(); it != topics_.end();) {
            if (listed_names.count(it->first) != 0) {
                ++it;
            } else {
                it = topics_.erase(it);
                changed = true;
            }
        }
    }
    for (const auto& t : response.topics) {
        if (!t.name) continue;
        changed |= topics_.count(*t.name) == 0;
        auto& info = topics_[*t.name];
        info.name = *t.name;
        if (!t.topic_id.is_zero()) info.id = t.topic_id; // a recreated topic gets a new id
        info.error_code = t.error_code;
        info.internal = t.is_internal;
        if (t.error_code != 0 && t.partitions.empty()) continue;
        std::size_t count = 0;
        for (const auto& p : t.partitions)
            count = std::max(count, static_cast<std::size_t>(p.partition_index) + 1);
        if (count != info.partitions.size()) {
            changed = true;
            info.partitions.resize(count);
        }
        for (const auto& p : t.partitions) {
            auto& mine = info.partitions[static_cast<std::size_t>(p.partition_index)];
            // -1 epochs (brokers before KIP-320) always apply.
            if (p.leader_epoch >= 0 && mine.leader_epoch > p.leader_epoch) continue;
            if (mine.leader != p.leader_id || mine.leader_epoch != p.leader_epoch) changed = true;
            mine.leader = p.leader_id;
            mine.leader_epoch = p.leader_epoch;
            mine.error_code = p.error_code;
        }
    }
    return changed;
}

bool metadata_cache::update_leader(std::string_view topic, std::int32_t partition, std::int32_t leader,
                                   std::int32_t epoch) {
    auto it = topics_.find(std::string(topic));
    if (it == topics_.end() || partition < 0 || static_cast<std::size_t>(partition) >= it->second.partitions.size())
        return false;
    auto& p = it->second.partitions[static_cast<std::size_t>(partition)];
    if (leader < 0 || epoch < p.leader_epoch || (epoch == p.leader_epoch && leader == p.leader)) return false;
    if (brokers_.find(leader) == brokers_.end()) return false;
    p.leader = leader;
    p.leader_epoch = epoch;
    p.error_code = 0;
    return true;
}

void metadata_cache::invalidate_leader(std::string_view topic, std::int32_t partition) {
    auto it = topics_.find(std::string(topic));
    if (it == topics_.end() || partition < 0 || static_cast<std::size_t>(partition) >= it->second.partitions.size())
        return;
    it->second.partitions[static_cast<std::size_t>(partition)].leader = -1;
}

const topic_info* metadata_cache::topic(std::string_view name) const {
    auto it = topics_.find(std::string(name));
    return it == topics_.end() ? nullptr : &it->second;
}

const topic_info* metadata_cache::topic_by_id(const protocol::uuid& id) const {
    if (id.is_zero()) return nullptr;
    for (const auto& [name, info] : topics_)
        if (info.id == id) return &info;
    return nullptr;
}

std::vector<const topic_info*> metadata_cache::topics() const {
    std::vector<const topic_info*> out;
    out.reserve(topics_.size());
    for (const auto& [name, info] : topics_) out.push_back(&info);
    return out;
}

const broker_info* metadata_cache::broker(std::int32_t node_id) const {
    auto it = brokers_.find(node_id);
    return it == brokers_.end() ? nullptr : &it->second;
}

} // namespace kafkit::detail
