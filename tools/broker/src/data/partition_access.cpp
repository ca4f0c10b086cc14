#include "data/partition_access.hpp"

#include "state/broker_state.hpp"

#include <algorithm>

namespace kafkit::broker {

kafka_errc check_leader_epoch(const partition& p, std::int32_t current_leader_epoch) {
    if (current_leader_epoch == no_leader_epoch) return kafka_errc::none;
    if (p.leader_epoch > current_leader_epoch) return kafka_errc::fenced_leader_epoch;
    if (p.leader_epoch < current_leader_epoch) return kafka_errc::unknown_leader_epoch;
    return kafka_errc::none;
}

partition_access access_partition(const topic* t, std::int32_t index, const broker_node& node,
                                  std::int32_t current_leader_epoch) {
    partition* p = t ? t->find_partition(index) : nullptr;
    if (!p) return {nullptr, kafka_errc::unknown_topic_or_partition};
    // A node that holds no replica of the partition knows it only from metadata.
    if (std::find(p->replicas.begin(), p->replicas.end(), node.id) == p->replicas.end() && p->leader != node.id)
        return {nullptr, kafka_errc::not_leader_or_follower};
    if (auto e = check_leader_epoch(*p, current_leader_epoch); e != kafka_errc::none) return {nullptr, e};
    if (p->leader != node.id) return {nullptr, kafka_errc::not_leader_or_follower};
    return {p, kafka_errc::none};
}

leader_hint current_leader(broker_state& state, const partition& p) {
    leader_hint hint;
    const broker_node* n = state.find_node(p.leader);
    if (!n || !n->up) return hint;
    hint.leader_id = p.leader;
    hint.leader_epoch = p.leader_epoch;
    hint.node = n;
    return hint;
}

std::vector<std::pair<std::int32_t, std::int64_t>> epoch_entries(const partition& p) {
    std::vector<std::pair<std::int32_t, std::int64_t>> entries;
    // Kafka's assign() drops every earlier entry whose start offset is not below the new
    // one's: walking from the newest epoch down, keep an entry only when it starts strictly
    // before the entry kept after it.
    for (auto it = p.epoch_start_offsets.rbegin(); it != p.epoch_start_offsets.rend(); ++it)
        if (entries.empty() || it->second < entries.back().second) entries.push_back(*it);
    std::reverse(entries.begin(), entries.end());
    // truncateFromStart(logStartOffset): entries wholly below the log start go, the last of
    // them is kept and moved up to start at the log start.
    const std::int64_t log_start = p.log ? p.log->log_start_offset() : 0;
    std::size_t first_kept = 0;
    while (first_kept + 1 < entries.size() && entries[first_kept + 1].second <= log_start) ++first_kept;
    entries.erase(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(first_kept));
    if (!entries.empty() && entries.front().second < log_start) entries.front().second = log_start;
    return entries;
}

std::optional<std::int32_t> epoch_for_offset(const partition& p, std::int64_t offset) {
    std::optional<std::int32_t> epoch;
    for (const auto& [e, start] : epoch_entries(p))
        if (start <= offset) epoch = e;
    return epoch;
}

std::optional<std::pair<std::int32_t, std::int64_t>> end_offset_for_epoch(const partition& p,
                                                                        std::int32_t requested_epoch) {
    if (requested_epoch == no_leader_epoch) return std::nullopt;
    const auto entries = epoch_entries(p);
    if (entries.empty()) return std::nullopt;
    // The current (latest) epoch ends at the log end: it is still being written.
    if (entries.back().first == requested_epoch)
        return std::pair{requested_epoch, p.log ? p.log->log_end_offset() : 0};
    // The first epoch above the requested one starts where the requested one ended.
    auto higher = std::upper_bound(entries.begin(), entries.end(), requested_epoch,
                                   [](std::int32_t e, const auto& entry) { return e < entry.first; });
    if (higher == entries.end()) return std::nullopt;
    if (higher == entries.begin()) return std::pair{requested_epoch, higher->second};
    return std::pair{std::prev(higher)->first, higher->second};
}

std::string partition_name(const std::string& topic, std::int32_t index) {
    return topic + "-" + std::to_string(index);
}

} // namespace kafkit::broker
