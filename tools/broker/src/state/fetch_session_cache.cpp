#include "state/fetch_session_cache.hpp"

#include "kafkit/protocol/messages/fetch.hpp"
#include "state/broker_state.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

namespace kafkit::broker {
namespace {

/// Kafka's FetchMetadata.nextEpoch: 1, 2, ... INT32_MAX, then 1 again.
std::int32_t next_epoch(std::int32_t epoch) {
    return epoch == std::numeric_limits<std::int32_t>::max() ? 1 : epoch + 1;
}

bool same_partition(const fetch_target& a, const fetch_target& b, bool by_id) {
    return a.partition == b.partition && (by_id ? a.topic_id == b.topic_id : a.topic == b.topic);
}

/// Copies what the client sends for a partition into `t` (offsets, limits, epochs) and
/// keeps what the session remembers having sent.
void take_request_fields(fetch_target& t, const protocol::fetch_request::fetch_partition& p) {
    t.fetch_offset = p.fetch_offset;
    t.max_bytes = p.partition_max_bytes;
    t.current_leader_epoch = p.current_leader_epoch;
    t.last_fetched_epoch = p.last_fetched_epoch;
    t.fetcher_log_start_offset = p.log_start_offset;
}

} // namespace

fetch_session_cache::fetch_session_cache(broker_state& state) : state_(state), random_(std::random_device{}()) {}

fetch_target fetch_session_cache::target_from(const std::string& name, const protocol::uuid& id,
                                              std::int32_t partition) const {
    fetch_target t;
    t.topic = name;
    t.topic_id = id;
    t.partition = partition;
    if (!id.is_zero()) {
        const topic* known = state_.find_topic(id);
        t.topic = known ? known->name : std::string{};
    }
    return t;
}

fetch_context fetch_session_cache::new_context(const protocol::fetch_request& request, std::int16_t version,
                                               std::int32_t node_id, std::int64_t now_ms) {
    fetch_context context;
    context.uses_topic_ids = version >= 13;
    std::vector<fetch_target> requested;
    for (const auto& topic : request.topics)
        for (const auto& p : topic.partitions) {
            auto t = target_from(topic.topic, context.uses_topic_ids ? topic.topic_id : protocol::uuid{}, p.partition);
            take_request_fields(t, p);
            requested.push_back(std::move(t));
        }
    if (version < 7) { // before KIP-227
        context.targets = std::move(requested);
        return context;
    }
    if (request.session_epoch == 0 || request.session_epoch == -1) {
        // A full fetch closes the session it names; epoch -1 (FINAL_EPOCH) opens none.
        if (auto it = sessions_.find(request.session_id); it != sessions_.end() && it->second.node_id == node_id)
            sessions_.erase(it);
        context.type = request.session_epoch == 0 ? fetch_context::kind::full : fetch_context::kind::sessionless;
        context.targets = std::move(requested);
        return context;
    }
    auto it = sessions_.find(request.session_id);
    if (it == sessions_.end() || it->second.node_id != node_id) {
        context.type = fetch_context::kind::error;
        context.error = kafka_errc::fetch_session_id_not_found;
        return context;
    }
    session& s = it->second;
    if (s.epoch != request.session_epoch) {
        context.type = fetch_context::kind::error;
        context.error = kafka_errc::invalid_fetch_session_epoch;
        return context;
    }
    if (s.uses_topic_ids != context.uses_topic_ids) {
        context.type = fetch_context::kind::error;
        context.error = kafka_errc::fetch_session_topic_id_error;
        return context;
    }
    // Kafka's FetchSession.update: added and updated partitions, then forgotten ones.
    for (auto& t : requested) {
        auto found = std::find_if(s.partitions.begin(), s.partitions.end(),
                                  [&](const fetch_target& c) { return same_partition(c, t, s.uses_topic_ids); });
        if (found == s.partitions.end()) {
            s.partitions.push_back(std::move(t));
        } else {
            found->fetch_offset = t.fetch_offset;
            found->max_bytes = t.max_bytes;
            found->current_leader_epoch = t.current_leader_epoch;
            found->last_fetched_epoch = t.last_fetched_epoch;
            found->fetcher_log_start_offset = t.fetcher_log_start_offset;
        }
    }
    for (const auto& forgotten : request.forgotten_topics_data)
        for (auto index : forgotten.partitions) {
            const auto key = target_from(forgotten.topic, s.uses_topic_ids ? forgotten.topic_id : protocol::uuid{}, index);
            s.partitions.remove_if([&](const fetch_target& c) { return same_partition(c, key, s.uses_topic_ids); });
        }
    if (s.partitions.empty()) {
        // Nothing left to fetch: Kafka drops the session and answers sessionless.
        sessions_.erase(it);
        context.type = fetch_context::kind::sessionless;
        return context;
    }
    s.last_used_ms = now_ms;
    s.epoch = next_epoch(s.epoch);
    context.type = fetch_context::kind::incremental;
    context.session_id = s.id;
    context.targets.assign(s.partitions.begin(), s.partitions.end());
    return context;
}

std::int32_t fetch_session_cache::new_session_id() {
    std::uniform_int_distribution<std::int32_t> pick(1, std::numeric_limits<std::int32_t>::max() - 1);
    std::int32_t id = 0;
    do {
        id = pick(random_);
    } while (sessions_.count(id) != 0);
    return id;
}

bool fetch_session_cache::make_room(std::int32_t node_id, bool privileged, std::size_t size, std::int32_t new_id,
                                    std::int64_t now_ms) {
    if (sessions(node_id) < slots_) return true;
    // Kafka's FetchSessionCache.tryEvict: first a stale session (unused for eviction_ms)...
    const session* oldest = nullptr;
    for (const auto& [id, s] : sessions_)
        if (s.node_id == node_id && (!oldest || s.last_used_ms < oldest->last_used_ms)) oldest = &s;
    if (!oldest) return false;
    if (now_ms - oldest->last_used_ms > eviction_ms) {
        const std::int32_t id = oldest->id;
        sessions_.erase(id);
        return true;
    }
    // ...else the least valuable evictable one (ordered by privileged, size, id), if it is
    // worth less than the new session. Sessions younger than eviction_ms are protected,
    // except consumers' sessions from a follower's.
    using key = std::tuple<bool, std::size_t, std::int32_t>;
    const session* victim = nullptr;
    for (const auto& [id, s] : sessions_) {
        if (s.node_id != node_id) continue;
        const bool old_enough = now_ms - s.created_ms > eviction_ms;
        if (!(old_enough || (privileged && !s.privileged))) continue;
        if (!victim || key{s.privileged, s.partitions.size(), s.id} <
                           key{victim->privileged, victim->partitions.size(), victim->id})
            victim = &s;
    }
    if (!victim || key{privileged, size, new_id} < key{victim->privileged, victim->partitions.size(), victim->id})
        return false;
    const std::int32_t victim_id = victim->id;
    sessions_.erase(victim_id);
    return true;
}

std::int32_t fetch_session_cache::create_session(const fetch_context& context, const std::vector<fetch_outcome>& outcomes,
                                                 std::int32_t node_id, bool privileged, std::int64_t now_ms) {
    if (context.targets.empty()) return 0;
    const std::int32_t id = new_session_id();
    if (!make_room(node_id, privileged, context.targets.size(), id, now_ms)) return 0;
    session s;
    s.id = id;
    s.epoch = 1; // the client's next (first incremental) request carries epoch 1
    s.node_id = node_id;
    s.uses_topic_ids = context.uses_topic_ids;
    s.privileged = privileged;
    s.created_ms = s.last_used_ms = now_ms;
    for (std::size_t i = 0; i < context.targets.size(); ++i) {
        fetch_target t = context.targets[i];
        if (i < outcomes.size()) {
            t.sent_high_watermark = outcomes[i].had_error ? -1 : outcomes[i].high_watermark;
            t.sent_log_start_offset = outcomes[i].log_start_offset;
        }
        s.partitions.push_back(std::move(t));
    }
    sessions_.emplace(id, std::move(s));
    return id;
}

void fetch_session_cache::update_session(const fetch_context& context, const std::vector<fetch_outcome>& outcomes) {
    auto it = sessions_.find(context.session_id);
    if (it == sessions_.end()) return; // evicted meanwhile: nothing to remember
    session& s = it->second;
    for (std::size_t i = 0; i < context.targets.size() && i < outcomes.size(); ++i) {
        if (!outcomes[i].sent) continue;
        auto found = std::find_if(s.partitions.begin(), s.partitions.end(), [&](const fetch_target& c) {
            return same_partition(c, context.targets[i], s.uses_topic_ids);
        });
        if (found == s.partitions.end()) continue;
        // An error is remembered as high watermark -1, so the partition is sent again
        // once the error is gone (Kafka's CachedPartition.maybeUpdateResponseData).
        found->sent_high_watermark = outcomes[i].had_error ? -1 : outcomes[i].high_watermark;
        found->sent_log_start_offset = outcomes[i].log_start_offset;
        s.partitions.splice(s.partitions.end(), s.partitions, found);
    }
}

void fetch_session_cache::remove(std::int32_t session_id) { sessions_.erase(session_id); }

std::size_t fetch_session_cache::sessions(std::int32_t node_id) const {
    return static_cast<std::size_t>(std::count_if(sessions_.begin(), sessions_.end(),
                                                  [node_id](const auto& e) { return e.second.node_id == node_id; }));
}

} // namespace kafkit::broker
