#include "consumer/fetcher.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/message.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "net/request.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

namespace kafkit::detail {
namespace {

using clock_type = std::chrono::steady_clock;

/// Fetch v4 (isolation level, record batches) on; from v13 topics go by id (KIP-516), which
/// needs every topic's id from the metadata (Metadata v10+).
constexpr version_range fetch_versions_by_name{4, 12};
constexpr std::int64_t earliest_timestamp = -2;
constexpr std::int64_t latest_timestamp = -1;

/// Errors after which the partition's leader is looked up again before the next fetch.
bool calls_for_new_leader(std::error_code ec) {
    return ec == kafka_errc::not_leader_or_follower || ec == kafka_errc::unknown_topic_or_partition ||
           ec == kafka_errc::fenced_leader_epoch || ec == kafka_errc::unknown_leader_epoch ||
           ec == kafka_errc::leader_not_available || ec == kafka_errc::kafka_storage_error ||
           ec == kafka_errc::replica_not_available || ec == kafka_errc::offset_not_available ||
           ec == kafka_errc::unknown_topic_id || ec == kafka_errc::inconsistent_topic_id;
}

/// Where the complete batches of a fetched `records` blob end, the offset after their last
/// record, and the leader epoch of the last (-1 when unknown). A trailing partial batch
/// (the response's byte limit) is left for the next fetch.
struct batches_span {
    std::size_t end = 0;
    std::int64_t next = 0;
    std::int32_t last_epoch = -1;
};

batches_span complete_batches(protocol::bytes_view records, std::int64_t from) {
    std::size_t end = 0;
    std::int64_t next = from;
    std::int32_t last_epoch = -1;
    while (end < records.size()) {
        auto header = protocol::read_record_batch_header(records.subview(end));
        if (!header) break;
        if (end + header->size_in_bytes() > records.size()) break;
        next = std::max(next, header->last_offset() + 1);
        last_epoch = header->partition_leader_epoch;
        end += header->size_in_bytes();
    }
    if (end < records.size() && end == 0) {
        // Not a v2 batch (a legacy message set): the reader knows both formats.
        protocol::record_batch_reader reader(records, {.crc = protocol::crc_check::skip});
        protocol::record_batch batch;
        while (true) {
            auto more = reader.next(batch);
            if (!more || !*more) break;
            if (!batch.records().empty()) next = std::max(next, batch.records().back().offset + 1);
        }
        end = reader.position();
    }
    return {end, next, last_epoch};
}

std::string name_of(const topic_partition& tp) { return tp.topic + "-" + std::to_string(tp.partition.value()); }

} // namespace

fetcher::fetcher(asio::io_context& io, const consumer_settings& settings, cluster_client& cluster, chunk_queue& out,
                 std::shared_ptr<prefetch_budget> budget, group_offsets* offsets, logger log)
    : io_(io), settings_(settings), cluster_(cluster), out_(out), budget_(std::move(budget)), offsets_(offsets),
      log_(std::move(log)),
      retry_timer_(io) {}

void fetcher::place(const topic_partition& tp, std::uint64_t version, std::optional<std::int64_t> offset,
                    reset_target reset) {
    auto& p = partitions_[tp];
    if (!p.topic) p.topic = std::make_shared<const std::string>(tp.topic);
    p.version = version;
    p.in_flight = false; // an answer in flight carries the old version and is dropped
    p.retry_at = {};
    p.answered = false;
    p.offset_epoch.reset();
    p.checked_epoch = -1;
    p.moved = false;
    if (offset) {
        p.offset = *offset;
        p.what = state::fetching;
        positioned(p, {});
    } else {
        p.offset = -1;
        const bool committed = reset == reset_target::committed && offsets_ != nullptr;
        p.what = committed ? state::awaiting_committed : state::awaiting_reset;
        p.reset = reset == reset_target::committed ? reset_target::policy : reset;
    }
    cluster_.add_topics({tp.topic});
}

void fetcher::set_position(const topic_partition& tp, std::uint64_t version, std::optional<std::int64_t> offset,
                           reset_target reset) {
    place(tp, version, offset, reset);
    run();
}

void fetcher::set_validated_position(const topic_partition& tp, std::uint64_t version, std::int64_t offset,
                                     std::int32_t offset_epoch) {
    place(tp, version, offset, reset_target::policy);
    if (offset_epoch >= 0) partitions_.at(tp).offset_epoch = offset_epoch;
    run();
}

void fetcher::remove(const topic_partition& tp) {
    auto it = partitions_.find(tp);
    if (it == partitions_.end()) return;
    for (auto& w : it->second.position_waiters) w(make_error_code(errc::invalid_state), -1);
    partitions_.erase(it);
}

void fetcher::pause(const topic_partition& tp, bool paused) {
    auto it = partitions_.find(tp);
    if (it == partitions_.end()) return;
    it->second.paused = paused;
    if (!paused) run();
}

void fetcher::when_positioned(const topic_partition& tp, std::function<void(std::error_code, std::int64_t)> done) {
    auto it = partitions_.find(tp);
    if (it == partitions_.end()) {
        done(make_error_code(errc::invalid_state), -1);
        return;
    }
    auto& p = it->second;
    if (p.what == state::fetching) done({}, p.start_offset);
    else if (p.what == state::failed) done(make_error_code(errc::no_offset), -1);
    else p.position_waiters.push_back(std::move(done));
}

std::optional<watermark_offsets> fetcher::watermarks(const topic_partition& tp) const {
    auto it = partitions_.find(tp);
    if (it == partitions_.end()) return std::nullopt;
    return it->second.watermarks;
}

std::int32_t fetcher::leader_of(const topic_partition& tp) const {
    const auto* info = cluster_.metadata().topic(tp.topic);
    const auto index = static_cast<std::size_t>(tp.partition.value());
    if (info == nullptr || index >= info->partitions.size()) return -1;
    return info->partitions[index].leader;
}

std::int32_t fetcher::leader_epoch_of(const topic_partition& tp) const {
    const auto* info = cluster_.metadata().topic(tp.topic);
    const auto index = static_cast<std::size_t>(tp.partition.value());
    if (info == nullptr || index >= info->partitions.size()) return -1;
    return info->partitions[index].leader_epoch;
}

std::int32_t fetcher::fetch_node_of(partition_state& p, std::int32_t leader, clock_type::time_point now) const {
    if (p.read_replica < 0) return leader;
    if (now < p.read_replica_until && cluster_.metadata().broker(p.read_replica) != nullptr) return p.read_replica;
    forget_read_replica(p); // expired (Java: metadata.max.age.ms), or no longer a broker
    return leader;
}

bool fetcher::forget_read_replica(partition_state& p) noexcept {
    return std::exchange(p.read_replica, -1) >= 0;
}

bool fetcher::needs_validation(const partition_state& p, std::int32_t leader_epoch) noexcept {
    return p.what == state::fetching && !p.in_flight && p.offset_epoch && leader_epoch >= 0 &&
           p.checked_epoch != leader_epoch;
}

void fetcher::run() {
    if (stopped_) return;
    const auto now = clock_type::now();
    auto next_retry = clock_type::time_point::max();
    std::map<std::int32_t, std::vector<topic_partition>> fetches;
    std::vector<topic_partition> resets; // list_offsets routes them by leader
    std::vector<topic_partition> committed;
    std::map<std::int32_t, std::vector<topic_partition>> validations;
    bool metadata_wanted = false;
    for (auto& [tp, p] : partitions_) {
        if (p.what == state::failed || p.what == state::resetting || p.what == state::validating) continue;
        if (p.retry_at > now) {
            next_retry = std::min(next_retry, p.retry_at);
            continue;
        }
        if (p.what == state::awaiting_committed) {
            committed.push_back(tp);
            continue;
        }
        const auto leader = leader_of(tp);
        if (leader < 0) {
            metadata_wanted = true;
            continue;
        }
        if (p.what == state::awaiting_reset) {
            resets.push_back(tp);
        } else if (needs_validation(p, leader_epoch_of(tp))) {
            validations[leader].push_back(tp);
        } else if (!p.paused && !p.in_flight && !p.backlog->full()) {
            const auto node = fetch_node_of(p, leader, now);
            if (fetching_nodes_.count(node) == 0) fetches[node].push_back(tp);
        }
    }
    if (metadata_wanted) cluster_.request_metadata_update();
    if (!committed.empty()) look_up_committed(committed);
    if (!resets.empty()) send_resets(resets);
    for (const auto& [leader, tps] : validations) send_validations(leader, tps);
    // The bound on fetched data: nothing more until poll() hands some back.
    if (!budget_->spent())
        for (auto& [leader, tps] : fetches) send_fetch(leader, std::move(tps));
    if (next_retry != clock_type::time_point::max()) schedule_run(next_retry);
}

void fetcher::schedule_run(clock_type::time_point at) {
    if (retry_timer_.expiry() > clock_type::now() && retry_timer_.expiry() <= at) return; // armed sooner
    retry_timer_.expires_at(at);
    retry_timer_.async_wait([this](std::error_code ec) {
        if (!ec) run();
    });
}

void fetcher::retry_later(partition_state& p, bool refresh_metadata) {
    p.retry_at = clock_type::now() + settings_.client.retry_backoff;
    if (refresh_metadata) cluster_.request_metadata_update();
    schedule_run(p.retry_at);
}

void fetcher::positioned(partition_state& p, std::error_code ec) {
    if (!ec) p.start_offset = p.offset;
    auto waiters = std::move(p.position_waiters);
    p.position_waiters.clear();
    for (auto& w : waiters) w(ec, p.start_offset);
}

void fetcher::send_fetch(std::int32_t leader, std::vector<topic_partition> tps) {
    auto conn = cluster_.connection(leader);
    if (!conn) return;
    protocol::fetch_request request;
    request.max_wait_ms = static_cast<std::int32_t>(settings_.fetch_max_wait.count());
    request.min_bytes = settings_.fetch_min_bytes;
    request.max_bytes = settings_.fetch_max_bytes;
    request.isolation_level = static_cast<std::int8_t>(settings_.isolation_level);
    request.rack_id = settings_.client.client_rack;
    // Every partition fetched now counts as asked (in a session the broker answers those it
    // has news of), but only those new to the session or changed go into the request.
    asked_partitions asked;
    std::map<topic_partition, fetch_session::partition_fetch> wanted;
    for (const auto& tp : tps) {
        auto& p = partitions_.at(tp);
        const auto* info = cluster_.metadata().topic(tp.topic);
        if (p.max_bytes == 0) p.max_bytes = settings_.max_partition_fetch_bytes;
        const auto epoch = info->partitions[static_cast<std::size_t>(tp.partition.value())].leader_epoch;
        wanted[tp] = {p.offset, p.max_bytes, epoch, p.offset_epoch.value_or(-1)};
        p.in_flight = true;
        asked[tp] = {p.version, p.offset, epoch};
    }
    auto& session = sessions_[leader];
    // Topics go by id (Fetch v13+) when the metadata has an id for every one the request or
    // the session names; a session keeps one version as long as that holds.
    bool all_ids = true;
    const auto id_of = [&](const std::string& topic) {
        const auto* info = cluster_.metadata().topic(topic);
        const auto id = info ? info->id : protocol::uuid{};
        all_ids = all_ids && !id.is_zero();
        return id;
    };
    for (const auto& [tp, w] : wanted) (void)id_of(tp.topic);
    for (const auto& tp : session.prepare(wanted, request)) {
        const auto& w = wanted.at(tp);
        if (request.topics.empty() || request.topics.back().topic != tp.topic) {
            auto& t = request.topics.emplace_back();
            t.topic = tp.topic;
            t.topic_id = id_of(tp.topic);
        }
        auto& fp = request.topics.back().partitions.emplace_back();
        fp.partition = tp.partition.value();
        fp.fetch_offset = w.offset;
        fp.current_leader_epoch = w.leader_epoch;
        fp.partition_max_bytes = w.max_bytes;
        fp.last_fetched_epoch = w.last_fetched_epoch;
    }
    for (auto& forgotten : request.forgotten_topics_data) forgotten.topic_id = id_of(forgotten.topic);
    fetching_nodes_.insert(leader);
    outbound_request out;
    out.api_key = protocol::fetch_request::api_key;
    out.versions = all_ids ? version_range{fetch_versions_by_name.min, client_versions(protocol::fetch_request::api_key).max}
                           : fetch_versions_by_name;
    out.encode_body = [request = std::move(request)](std::int16_t version, request_buffer& buffer) {
        if (version >= 12) return protocol::encode(request, version, buffer.bytes);
        auto older = request;
        for (auto& t : older.topics)
            for (auto& fp : t.partitions) fp.last_fetched_epoch = -1; // v12+
        if (version < 7) { // no sessions: a session never began
            older.session_id = 0;
            older.session_epoch = -1;
            older.forgotten_topics_data.clear();
        }
        return protocol::encode(older, version, buffer.bytes);
    };
    out.on_response = [this, leader, asked = std::move(asked)](std::error_code ec, std::int16_t version,
                                                              const response_body& body) {
        on_fetch_response(leader, ec, body, version, asked);
    };
    conn->send(std::move(out));
}

void fetcher::on_fetch_response(std::int32_t node, std::error_code ec, const response_body& body,
                                std::int16_t version, const asked_partitions& asked) {
    fetching_nodes_.erase(node);
    if (stopped_) return;
    std::vector<partition_state*> current; // the asked partitions still at the asked version
    for (const auto& [tp, v] : asked) {
        auto it = partitions_.find(tp);
        if (it == partitions_.end() || it->second.version != v.version) continue;
        it->second.in_flight = false;
        current.push_back(&it->second);
    }
    auto buffer = std::make_shared<const fetch_buffer>(body, budget_);
    auto response = ec ? protocol::result<protocol::fetch_response>(protocol::unexpected(ec))
                       : protocol::decode<protocol::fetch_response>(buffer->bytes, version);
    if (response && response->error_code != 0) ec = make_error_code(static_cast<kafka_errc>(response->error_code));
    else if (!response) ec = response.error();
    auto& session = sessions_[node];
    const auto session_before = session.id();
    session.answered(response ? response->session_id : 0, static_cast<bool>(ec));
    if (session.id() != 0 && session.id() != session_before)
        log_.debug("consumer", "fetch session " + std::to_string(session.id()) + " with broker " + std::to_string(node));
    if (ec == kafka_errc::fetch_session_id_not_found || ec == kafka_errc::invalid_fetch_session_epoch ||
        ec == kafka_errc::fetch_session_topic_id_error) {
        // The broker dropped the session (evicted, restarted): a full fetch at once.
        log_.debug("consumer", "fetch session with broker " + std::to_string(node) + " ended: " + ec.message());
        run();
        return;
    }
    if (ec) {
        log_.warning("consumer", "fetch from broker " + std::to_string(node) + " failed: " + ec.message());
        for (auto* p : current) {
            if (p->read_replica == node) forget_read_replica(*p); // back to the leader
            retry_later(*p, true);
        }
        run();
        return;
    }
    std::set<topic_partition> in_answer;
    for (const auto& topic : response->responses) {
        std::string name = topic.topic;
        if (version >= 13) { // by id
            const auto* info = cluster_.metadata().topic_by_id(topic.topic_id);
            if (info == nullptr) continue; // deleted meanwhile: the next fetch goes without it
            name = info->name;
        }
        for (const auto& data : topic.partitions) {
            const topic_partition tp{name, partition_id(data.partition_index)};
            in_answer.insert(tp);
            auto asked_it = asked.find(tp);
            auto it = partitions_.find(tp);
            if (asked_it == asked.end() || it == partitions_.end()) continue;
            if (it->second.version != asked_it->second.version) {
                // The position moved meanwhile; the watermarks are still the partition's.
                if (data.error_code == 0)
                    it->second.watermarks = watermark_offsets{
                        record_offset(data.log_start_offset >= 0 ? data.log_start_offset : -1),
                        record_offset(data.high_watermark)};
                continue;
            }
            handle_partition(tp, it->second, data, buffer, asked_it->second, node);
        }
    }
    report_unchanged_ends(asked, in_answer);
    run();
}

void fetcher::report_unchanged_ends(const asked_partitions& asked, const std::set<topic_partition>& in_answer) {
    if (!settings_.enable_partition_eof) return;
    for (const auto& [tp, a] : asked) {
        if (in_answer.count(tp)) continue;
        auto it = partitions_.find(tp);
        if (it == partitions_.end() || it->second.version != a.version) continue;
        auto& p = it->second;
        // Left out of an incremental answer: unchanged since the session's last answer,
        // whose high watermark the partition's watermarks hold.
        if (p.answered || p.what != state::fetching || !p.watermarks || p.watermarks->high.value() != p.offset) continue;
        fetched_chunk chunk;
        chunk.partition = tp;
        chunk.topic = p.topic;
        chunk.version = p.version;
        chunk.fetch_offset = p.offset;
        chunk.high_watermark = p.offset;
        chunk.moved = std::exchange(p.moved, false);
        p.answered = true;
        out_.push(std::move(chunk));
    }
}

void fetcher::handle_partition(const topic_partition& tp, partition_state& p,
                               const protocol::fetch_response::partition_data& data,
                               const std::shared_ptr<const fetch_buffer>& buffer, const asked_fetch& asked,
                               std::int32_t node) {
    const auto error = data.error_code == 0 ? std::error_code{} : make_error_code(static_cast<kafka_errc>(data.error_code));
    if (error && node == p.read_replica) {
        // Whatever the replica could not serve (an offset past what it has, a move), the
        // leader is asked next, as the Java client does.
        log_.debug("consumer", "fetching " + name_of(tp) + " from replica " + std::to_string(node) +
                                   " failed (" + error.message() + "); back to the leader");
        forget_read_replica(p);
        return;
    }
    if (!error && data.preferred_read_replica >= 0 && data.preferred_read_replica != node) {
        p.read_replica = data.preferred_read_replica;
        p.read_replica_until = clock_type::now() + settings_.client.metadata_max_age;
        log_.debug("consumer", "fetching " + name_of(tp) + " from replica " + std::to_string(p.read_replica) +
                                   ", as its leader prefers (client.rack " + settings_.client.client_rack + ")");
    }
    fetched_chunk chunk;
    chunk.partition = tp;
    chunk.topic = p.topic;
    chunk.version = p.version;
    chunk.fetch_offset = asked.offset;
    chunk.high_watermark = data.high_watermark;
    if (!error && data.diverging_epoch.epoch >= 0 && data.diverging_epoch.end_offset >= 0) {
        // Fetch v12: the record before the fetch offset is not in the leader's log.
        p.checked_epoch = asked.leader_epoch;
        truncate(tp, p, data.diverging_epoch.end_offset, data.diverging_epoch.epoch);
        return;
    }
    if (!error) {
        p.watermarks = watermark_offsets{record_offset(data.log_start_offset >= 0 ? data.log_start_offset
                                                        : p.watermarks ? p.watermarks->low.value() : -1),
                                         record_offset(data.high_watermark)};
        const auto records = data.records.value_or(protocol::bytes_view{});
        const auto [end, next, last_epoch] = complete_batches(records, p.offset);
        if (end == 0 && !records.empty() && next == p.offset) {
            // Only part of a batch came. Kafka sends a first batch whole whatever the limit,
            // some brokers (librdkafka's mock) cut it at the limit: ask for more, as
            // librdkafka does, up to fetch.max.bytes.
            const auto grown = std::min<std::int64_t>(std::int64_t{p.max_bytes} * 2, settings_.fetch_max_bytes);
            if (grown <= p.max_bytes) {
                log_.warning("consumer", tp.topic + "-" + std::to_string(tp.partition.value()) + ": the batch at offset " +
                                             std::to_string(p.offset) + " is larger than fetch.max.bytes");
                chunk.error = make_error_code(kafka_errc::message_too_large);
                out_.push(std::move(chunk));
                retry_later(p, false);
                return;
            }
            p.max_bytes = static_cast<std::int32_t>(grown);
            return;
        }
        p.max_bytes = settings_.max_partition_fetch_bytes;
        if (end == 0 && !settings_.enable_partition_eof) return; // nothing new
        chunk.buffer = buffer;
        chunk.records = records.subview(0, end);
        if (end > 0) chunk.backlog = std::make_shared<const partition_backlog::ticket>(p.backlog, budget_);
        if (settings_.isolation_level == isolation_mode::read_committed && data.aborted_transactions) {
            for (const auto& t : *data.aborted_transactions) chunk.aborted.emplace_back(t.producer_id, t.first_offset);
            std::sort(chunk.aborted.begin(), chunk.aborted.end(),
                      [](const auto& a, const auto& b) { return a.second < b.second; });
        }
        p.offset = next;
        if (end > 0) {
            // The position now follows records of this leader's log.
            if (last_epoch >= 0) p.offset_epoch = last_epoch;
            p.checked_epoch = asked.leader_epoch;
        }
        chunk.moved = std::exchange(p.moved, false);
        p.answered = true;
        out_.push(std::move(chunk));
        return;
    }
    if (error == kafka_errc::offset_out_of_range) {
        log_.info("consumer", name_of(tp) + ": offset " + std::to_string(p.offset) +
                                  " is out of range; applying auto.offset.reset");
        reset_by_policy(tp, p, error);
        return;
    }
    if (calls_for_new_leader(error)) {
        if (data.current_leader.leader_id >= 0)
            cluster_.metadata().update_leader(tp.topic, tp.partition.value(), data.current_leader.leader_id,
                                              data.current_leader.leader_epoch);
        else cluster_.metadata().invalidate_leader(tp.topic, tp.partition.value());
        retry_later(p, true);
        return;
    }
    // Anything else (authorization, corrupt records ...) is the application's to see.
    chunk.error = error;
    out_.push(std::move(chunk));
    retry_later(p, false);
}

void fetcher::look_up_committed(const std::vector<topic_partition>& tps) {
    std::map<topic_partition, std::uint64_t> versions;
    for (const auto& tp : tps) {
        auto& p = partitions_.at(tp);
        p.what = state::resetting; // looking up; no second lookup meanwhile
        versions[tp] = p.version;
    }
    offsets_->fetch(tps, [this, versions](group_offsets::fetch_result results) {
        for (const auto& [tp, outcome] : results) {
            auto it = partitions_.find(tp);
            if (it == partitions_.end() || it->second.version != versions.at(tp) || it->second.what != state::resetting)
                continue;
            auto& p = it->second;
            const auto& [ec, found] = outcome;
            if (!ec && found) { // start from the committed offset, validated when its epoch is known
                p.offset = found->offset.value();
                p.offset_epoch = found->leader_epoch;
                p.checked_epoch = -1;
                p.what = state::fetching;
                positioned(p, {});
            } else if (!ec) { // nothing committed: auto.offset.reset
                p.what = state::awaiting_reset;
            } else {
                log_.warning("consumer", tp.topic + "-" + std::to_string(tp.partition.value()) +
                                             ": committed offset lookup failed: " + ec.message());
                p.what = state::awaiting_committed;
                if (!is_retriable(ec)) report(tp, p, ec);
                retry_later(p, false);
            }
        }
        run();
    });
}

void fetcher::send_resets(const std::vector<topic_partition>& tps) {
    std::map<topic_partition, std::int64_t> timestamps;
    for (const auto& tp : tps) {
        auto& p = partitions_.at(tp);
        auto target = p.reset;
        if (target == reset_target::policy) {
            if (settings_.auto_offset_reset == offset_reset_mode::none) {
                fail_partition(tp, p, make_error_code(errc::no_offset));
                continue;
            }
            target = settings_.auto_offset_reset == offset_reset_mode::earliest ? reset_target::earliest
                                                                               : reset_target::latest;
        }
        p.what = state::resetting;
        timestamps[tp] = target == reset_target::earliest ? earliest_timestamp : latest_timestamp;
    }
    if (timestamps.empty()) return;
    std::map<topic_partition, std::uint64_t> versions;
    for (const auto& [tp, ts] : timestamps) versions[tp] = partitions_.at(tp).version;
    list_offsets(timestamps, [this, versions](offsets_result results) {
        for (const auto& [tp, outcome] : results) {
            auto it = partitions_.find(tp);
            if (it == partitions_.end() || it->second.version != versions.at(tp)) continue;
            auto& p = it->second;
            if (p.what != state::resetting) continue;
            const auto& [ec, found] = outcome;
            if (!ec && found.offset.value() >= 0) {
                p.offset = found.offset.value();
                p.offset_epoch = found.leader_epoch;
                p.checked_epoch = leader_epoch_of(tp);
                p.what = state::fetching;
                positioned(p, {});
            } else {
                p.what = state::awaiting_reset;
                log_.warning("consumer", tp.topic + "-" + std::to_string(tp.partition.value()) +
                                             ": offset lookup failed: " + (ec ? ec.message() : "no offset"));
                retry_later(p, calls_for_new_leader(ec));
            }
        }
        run();
    });
}

void fetcher::list_offsets(const std::map<topic_partition, std::int64_t>& timestamps,
                           std::function<void(offsets_result)> done) {
    auto state = std::make_shared<offsets_gather>();
    state->done = std::move(done);
    std::map<std::int32_t, protocol::list_offsets_request> requests;
    for (const auto& [tp, ts] : timestamps) {
        const auto leader = leader_of(tp);
        if (leader < 0) {
            state->results[tp] = {make_error_code(kafka_errc::leader_not_available), {}};
            continue;
        }
        auto& request = requests[leader];
        request.replica_id = -1;
        request.isolation_level = static_cast<std::int8_t>(settings_.isolation_level);
        if (request.topics.empty() || request.topics.back().name != tp.topic) request.topics.emplace_back().name = tp.topic;
        auto& part = request.topics.back().partitions.emplace_back();
        part.partition_index = tp.partition.value();
        part.timestamp = ts;
        const auto* info = cluster_.metadata().topic(tp.topic);
        part.current_leader_epoch = info->partitions[static_cast<std::size_t>(tp.partition.value())].leader_epoch;
    }
    if (requests.empty()) {
        state->done(std::move(state->results));
        return;
    }
    state->pending = requests.size();
    for (auto& [leader, request] : requests) send_list_offsets(leader, std::move(request), state);
}

void fetcher::send_list_offsets(std::int32_t leader, protocol::list_offsets_request request,
                                std::shared_ptr<offsets_gather> state) {
    auto conn = cluster_.connection(leader);
    std::set<topic_partition> asked;
    for (const auto& t : request.topics)
        for (const auto& p : t.partitions) asked.insert({t.name, partition_id(p.partition_index)});
    const auto cap = list_offsets_cap_.count(leader) ? list_offsets_cap_.at(leader)
                                                      : client_versions(protocol::list_offsets_request::api_key).max;
    auto on_done = [this, leader, state, asked, request](std::error_code ec, protocol::list_offsets_response response,
                                                         std::int16_t version) mutable {
        // An answer that does not decode, or names partitions not asked for, at v4 or
        // above: librdkafka 2.0's mock advertises v5 but writes those versions wrongly.
        // That broker gets v3 (no leader epochs) from now on, and the request once more.
        bool garbled = ec == errc::malformed_frame;
        if (!ec)
            for (const auto& t : response.topics)
                for (const auto& p : t.partitions) garbled |= asked.count({t.name, partition_id(p.partition_index)}) == 0;
        if (garbled && version > 3 && !stopped_) {
            log_.warning("consumer", "broker " + std::to_string(leader) + ": ListOffsets v" + std::to_string(version) +
                                         " answer does not match its request; using v3 with this broker");
            list_offsets_cap_[leader] = 3;
            send_list_offsets(leader, std::move(request), state);
            return;
        }
        if (garbled && !ec) ec = make_error_code(errc::malformed_frame);
        for (const auto& tp : asked) state->results[tp] = {ec ? ec : make_error_code(kafka_errc::unknown_server_error), {}};
        if (!ec) {
            for (const auto& t : response.topics)
                for (const auto& p : t.partitions) {
                    const topic_partition tp{t.name, partition_id(p.partition_index)};
                    offset_and_timestamp found{record_offset(p.offset), p.timestamp,
                                               p.leader_epoch >= 0 ? std::optional(p.leader_epoch) : std::nullopt};
                    const auto error =
                        p.error_code == 0 ? std::error_code{} : make_error_code(static_cast<kafka_errc>(p.error_code));
                    state->results[tp] = {error, found};
                }
        }
        if (--state->pending == 0) state->done(std::move(state->results));
    };
    auto copy = request;
    auto out = make_request<protocol::list_offsets_request, protocol::list_offsets_response>(
        std::move(copy), std::move(on_done), version_range{1, cap});
    if (conn) conn->send(std::move(out));
    else out.on_response(make_error_code(errc::connection_failed), 0, {});
}

void fetcher::reset_by_policy(const topic_partition& tp, partition_state& p, std::error_code why_none_fails) {
    if (settings_.auto_offset_reset == offset_reset_mode::none) {
        fail_partition(tp, p, why_none_fails);
        return;
    }
    p.what = state::awaiting_reset;
    p.reset = reset_target::policy;
    p.moved = true;
}

void fetcher::report(const topic_partition& tp, const partition_state& p, std::error_code ec) {
    fetched_chunk chunk;
    chunk.partition = tp;
    chunk.topic = p.topic;
    chunk.version = p.version;
    chunk.error = ec;
    out_.push(std::move(chunk));
}

void fetcher::fail_partition(const topic_partition& tp, partition_state& p, std::error_code ec) {
    p.what = state::failed;
    report(tp, p, ec);
    positioned(p, ec);
}

void fetcher::truncate(const topic_partition& tp, partition_state& p, std::int64_t end_offset, std::int32_t epoch) {
    if (settings_.auto_offset_reset == offset_reset_mode::none) {
        log_.warning("consumer", name_of(tp) + ": the leader's log was truncated to " + std::to_string(end_offset) +
                                     ", below the position " + std::to_string(p.offset));
        fail_partition(tp, p, make_error_code(errc::log_truncation));
        return;
    }
    log_.info("consumer", name_of(tp) + ": truncation detected at offset " + std::to_string(p.offset) +
                              "; fetching from " + std::to_string(end_offset) + ", where the leader's log diverges");
    p.offset = end_offset;
    if (epoch >= 0) p.offset_epoch = epoch;
    else p.offset_epoch.reset();
    p.max_bytes = settings_.max_partition_fetch_bytes;
    p.moved = true;
}

void fetcher::send_validations(std::int32_t leader, const std::vector<topic_partition>& tps) {
    protocol::offset_for_leader_epoch_request request;
    request.replica_id = -1; // a consumer
    std::map<topic_partition, std::pair<std::uint64_t, std::int32_t>> asked; // version, current epoch
    for (const auto& tp : tps) {
        auto& p = partitions_.at(tp);
        const auto epoch = leader_epoch_of(tp);
        p.what = state::validating;
        asked[tp] = {p.version, epoch};
        if (request.topics.empty() || request.topics.back().topic != tp.topic) request.topics.emplace_back().topic = tp.topic;
        auto& part = request.topics.back().partitions.emplace_back();
        part.partition = tp.partition.value();
        part.current_leader_epoch = epoch;
        part.leader_epoch = *p.offset_epoch;
        log_.debug("consumer", "validating " + name_of(tp) + " at offset " + std::to_string(p.offset) + " (epoch " +
                                   std::to_string(*p.offset_epoch) + ") under leader epoch " + std::to_string(epoch));
    }
    auto on_done = [this, asked](std::error_code ec, const protocol::offset_for_leader_epoch_response& response,
                                 std::int16_t) {
        if (stopped_) return;
        std::map<topic_partition, const protocol::offset_for_leader_epoch_response::epoch_end_offset*> results;
        if (!ec)
            for (const auto& t : response.topics)
                for (const auto& r : t.partitions) results[{t.topic, partition_id(r.partition)}] = &r;
        for (const auto& [tp, a] : asked) {
            auto it = partitions_.find(tp);
            if (it == partitions_.end() || it->second.version != a.first || it->second.what != state::validating)
                continue;
            auto& p = it->second;
            p.what = state::fetching;
            if (ec == errc::unsupported_version) {
                // A broker without OffsetForLeaderEpoch v2+ cannot check: fetch, as Java does.
                p.checked_epoch = a.second;
                continue;
            }
            const auto found = results.find(tp);
            if (ec || found == results.end()) {
                log_.warning("consumer", name_of(tp) + ": position validation failed: " +
                                             (ec ? ec.message() : std::string("no answer for the partition")));
                retry_later(p, true);
                continue;
            }
            on_validation(tp, p, a.second, *found->second);
        }
        run();
    };
    auto out = make_request<protocol::offset_for_leader_epoch_request, protocol::offset_for_leader_epoch_response>(
        std::move(request), std::move(on_done),
        version_range{2, client_versions(protocol::offset_for_leader_epoch_request::api_key).max});
    if (auto conn = cluster_.connection(leader)) conn->send(std::move(out));
    else out.on_response(make_error_code(errc::connection_failed), 0, {});
}

void fetcher::on_validation(const topic_partition& tp, partition_state& p, std::int32_t asked_epoch,
                            const protocol::offset_for_leader_epoch_response::epoch_end_offset& result) {
    if (result.error_code != 0) {
        const auto ec = make_error_code(static_cast<kafka_errc>(result.error_code));
        if (calls_for_new_leader(ec)) {
            retry_later(p, true);
            return;
        }
        report(tp, p, ec);
        retry_later(p, false);
        return;
    }
    p.checked_epoch = asked_epoch;
    if (result.end_offset < 0 || result.leader_epoch < 0) {
        // The leader knows no epoch up to ours: its log was truncated below our position's.
        log_.info("consumer", name_of(tp) + ": truncation detected at offset " + std::to_string(p.offset) +
                                  " (no epoch end known); applying auto.offset.reset");
        reset_by_policy(tp, p, make_error_code(errc::log_truncation));
        return;
    }
    if (result.end_offset < p.offset) truncate(tp, p, result.end_offset, result.leader_epoch);
}

void fetcher::stop() {
    stopped_ = true;
    retry_timer_.cancel();
    for (auto& [tp, p] : partitions_) positioned(p, make_error_code(errc::closed));
}

} // namespace kafkit::detail
