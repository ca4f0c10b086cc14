#include "data/fetch_reader.hpp"

#include "data/legacy_records.hpp"
#include "data/partition_access.hpp"
#include "state/broker_state.hpp"

#include <algorithm>
#include <set>

namespace kafkit::broker {
namespace {

using partition_data = protocol::fetch_response::partition_data;

/// Kafka's answer for a partition in error: no watermarks (-1), empty records.
void set_error(partition_read& out, kafka_errc error) {
    out.error = true;
    out.data.error_code = static_cast<std::int16_t>(error);
    out.data.high_watermark = -1;
    out.data.last_stable_offset = -1;
    out.data.log_start_offset = -1;
    out.data.aborted_transactions = std::nullopt;
    out.bytes.clear();
}

/// Fetch v12+ names the current leader with NOT_LEADER_OR_FOLLOWER and FENCED_LEADER_EPOCH
/// (KIP-595; KIP-951 adds the node endpoints in v16).
void add_leader_hint(broker_state& state, const topic* t, const fetch_target& target, std::int16_t version,
                     partition_read& out) {
    const auto error = static_cast<kafka_errc>(out.data.error_code);
    if (version < 12 || !t || (error != kafka_errc::not_leader_or_follower && error != kafka_errc::fenced_leader_epoch))
        return;
    const partition* p = t->find_partition(target.partition);
    if (!p) return;
    const auto hint = current_leader(state, *p);
    out.data.current_leader.leader_id = hint.leader_id;
    out.data.current_leader.leader_epoch = hint.leader_epoch;
    if (hint.node) out.leader_hint = hint.leader_id;
}

/// The record bytes: v2 batches as stored (Fetch v4+) or converted to the legacy format
/// the version reads. `limit` is the partition's share, `min_one` KIP-74's first batch.
void read_records(const partition& p, const fetch_target& target, std::int16_t version, std::size_t limit,
                  bool min_one, std::vector<std::uint8_t>& out) {
    if (fetch_magic(version) == 2) {
        p.log->read(target.fetch_offset, limit, min_one, out);
        return;
    }
    std::vector<std::uint8_t> stored;
    p.log->read(target.fetch_offset, limit, true, stored);
    std::vector<std::size_t> ends;
    down_convert(protocol::bytes_view(stored.data(), stored.size()), fetch_magic(version), target.fetch_offset, out,
                 ends);
    cut_message_set(out, ends, limit, min_one);
}

partition_read read_one(broker_state& state, const broker_node& node, const fetch_target& target,
                        const fetch_read_options& options, std::size_t remaining, bool min_one) {
    partition_read out;
    out.data.partition_index = target.partition;
    const std::int16_t version = options.version;
    const topic* t = version >= 13 ? state.find_topic(target.topic_id) : state.find_topic(target.topic);
    if (!t) {
        set_error(out, version >= 13 ? kafka_errc::unknown_topic_id : kafka_errc::unknown_topic_or_partition);
        return out;
    }
    const auto access = access_partition(t, target.partition, node, version >= 9 ? target.current_leader_epoch : -1);
    if (access.error != kafka_errc::none) {
        set_error(out, access.error);
        add_leader_hint(state, t, target, version, out);
        return out;
    }
    const partition& p = *access.part;
    const std::int64_t high_watermark = p.log->log_end_offset();
    out.data.high_watermark = high_watermark;
    out.data.last_stable_offset = high_watermark; // no transactions: nothing is unstable
    out.data.log_start_offset = p.log->log_start_offset();
    out.data.preferred_read_replica = -1;
    // read_committed gets the (empty) list of aborted transactions, read_uncommitted null.
    out.data.aborted_transactions = options.read_committed
                                        ? std::optional(std::vector<protocol::fetch_response::aborted_transaction>{})
                                        : std::nullopt;
    if (version >= 12 && target.last_fetched_epoch >= 0) {
        // KIP-595: a fetcher whose last fetched epoch ended earlier on the leader diverged.
        const auto end = end_offset_for_epoch(p, target.last_fetched_epoch);
        if (!end) {
            set_error(out, kafka_errc::offset_out_of_range);
            return out;
        }
        if (end->first < target.last_fetched_epoch || end->second < target.fetch_offset) {
            out.diverging = true;
            out.data.diverging_epoch.epoch = end->first;
            out.data.diverging_epoch.end_offset = end->second;
            return out;
        }
    }
    if (target.fetch_offset < p.log->log_start_offset() || target.fetch_offset > high_watermark) {
        set_error(out, kafka_errc::offset_out_of_range);
        return out;
    }
    const std::size_t limit = std::min(remaining, static_cast<std::size_t>(std::max(target.max_bytes, 0)));
    read_records(p, target, version, limit, min_one, out.bytes);
    return out;
}

} // namespace

std::vector<partition_read> read_partitions(broker_state& state, const broker_node& node,
                                            const std::vector<fetch_target>& targets,
                                            const fetch_read_options& options) {
    std::vector<partition_read> reads;
    reads.reserve(targets.size());
    auto remaining = static_cast<std::size_t>(std::max(options.max_bytes, 0));
    // Fetch v0-2 limits are hard; from v3 the first data of a response may exceed them.
    bool min_one = options.version >= 3;
    for (const auto& target : targets) {
        reads.push_back(read_one(state, node, target, options, remaining, min_one));
        const std::size_t n = reads.back().bytes.size();
        if (n > 0) min_one = false;
        remaining -= std::min(remaining, n);
    }
    return reads;
}

std::size_t bytes_read(const std::vector<partition_read>& reads) {
    std::size_t n = 0;
    for (const auto& r : reads) n += r.bytes.size();
    return n;
}

bool needs_immediate_answer(const std::vector<partition_read>& reads) {
    return std::any_of(reads.begin(), reads.end(), [](const partition_read& r) { return r.error || r.diverging; });
}

bool changed_since_sent(const fetch_target& target, const partition_read& read) {
    return !read.bytes.empty() || read.error || read.diverging ||
           read.data.high_watermark != target.sent_high_watermark ||
           read.data.log_start_offset != target.sent_log_start_offset;
}

protocol::fetch_response build_fetch_response(broker_state& state, const std::vector<fetch_target>& targets,
                                              const std::vector<partition_read>& reads, const std::vector<bool>& include,
                                              std::int16_t version) {
    protocol::fetch_response response;
    std::set<std::int32_t> hinted;
    for (std::size_t i = 0; i < reads.size(); ++i) {
        if (!include[i]) continue;
        const auto& target = targets[i];
        const bool same_topic = !response.responses.empty() &&
                                (version >= 13 ? response.responses.back().topic_id == target.topic_id
                                               : response.responses.back().topic == target.topic);
        if (!same_topic) {
            protocol::fetch_response::fetchable_topic_response t;
            if (version >= 13) t.topic_id = target.topic_id;
            else t.topic = target.topic;
            response.responses.push_back(std::move(t));
        }
        auto data = reads[i].data;
        data.records = protocol::bytes_view(reads[i].bytes.data(), reads[i].bytes.size());
        response.responses.back().partitions.push_back(std::move(data));
        if (reads[i].leader_hint >= 0) hinted.insert(reads[i].leader_hint);
    }
    if (version >= 16) {
        for (auto id : hinted) {
            const broker_node* n = state.find_node(id);
            if (!n) continue;
            protocol::fetch_response::node_endpoint e;
            e.node_id = n->id;
            e.host = n->host;
            e.port = n->port;
            e.rack = n->rack;
            response.node_endpoints.push_back(std::move(e));
        }
    }
    return response;
}

} // namespace kafkit::broker
