#include "consumer/group_offsets.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"
#include "kafkit/protocol/messages/offset_commit.hpp"
#include "kafkit/protocol/messages/offset_fetch.hpp"
#include "net/request.hpp"

#include <asio/steady_timer.hpp>

#include <algorithm>

#include <utility>

namespace kafkit::detail {
namespace {

/// FindCoordinator v0-3 ask for one key; v4+ take a list (used with one key here).
constexpr version_range find_coordinator_versions{0, 6};
/// OffsetFetch v1-7 name one group (v8+ take several); v1 reads offsets stored in Kafka.
constexpr version_range offset_fetch_versions{1, 7};
/// OffsetCommit v2-8 for classic groups. v9 carries a KIP-848 member epoch in place of the
/// generation, and a KIP-848 coordinator takes its members' commits at v9+ only.
constexpr version_range offset_commit_versions{2, 8};
constexpr version_range member_epoch_commit_versions{2, 9};
constexpr int max_attempts = 5;

std::error_code error_of(std::int16_t code) {
    return code == 0 ? std::error_code{} : make_error_code(static_cast<kafka_errc>(code));
}

bool same_committer(const group_identity& a, const group_identity& b) {
    return a.generation == b.generation && a.member_id == b.member_id && a.instance_id == b.instance_id;
}

} // namespace

group_offsets::group_offsets(asio::io_context& io, const consumer_settings& settings, cluster_client& cluster,
                             logger log)
    : io_(io), settings_(settings), cluster_(cluster), log_(std::move(log)) {}

bool group_offsets::coordinator_moved(std::error_code ec) {
    return ec == kafka_errc::not_coordinator || ec == kafka_errc::coordinator_not_available ||
           ec == errc::disconnected || ec == errc::connection_failed || ec == errc::timed_out;
}

void group_offsets::with_coordinator(std::function<void(std::error_code, std::int32_t)> then) {
    if (coordinator_) {
        then({}, *coordinator_);
        return;
    }
    protocol::find_coordinator_request request;
    request.key_type = 0; // a group
    const auto fit = [group = settings_.group_id](protocol::find_coordinator_request& r, std::int16_t version) {
        if (version >= 4) r.coordinator_keys = {group}; // v4+ (KIP-699) take a list of keys
        else r.key = group;
    };
    auto on_done = [this, then = std::move(then)](std::error_code ec, protocol::find_coordinator_response r,
                                                  std::int16_t version) {
        if (stopped_) return;
        std::int32_t node = r.node_id;
        if (!ec && version >= 4) {
            if (r.coordinators.empty()) ec = make_error_code(kafka_errc::coordinator_not_available);
            else {
                ec = error_of(r.coordinators.front().error_code);
                node = r.coordinators.front().node_id;
            }
        } else if (!ec) {
            ec = error_of(r.error_code);
        }
        if (!ec) {
            coordinator_ = node;
            // The coordinator may not be in the metadata yet (a broker not listed before).
            if (cluster_.metadata().broker(node) == nullptr) cluster_.request_metadata_update();
        }
        then(ec, node);
    };
    cluster_.send_to_any(make_request<protocol::find_coordinator_request, protocol::find_coordinator_response>(
        std::move(request), std::move(on_done), find_coordinator_versions, fit));
}

bool group_offsets::retry_after(std::error_code ec, int& attempt, std::function<void()> again) {
    if (coordinator_moved(ec)) coordinator_.reset();
    if (stopped_ || ++attempt >= max_attempts || !is_retriable(ec)) return false;
    after_backoff(attempt, std::move(again));
    return true;
}

void group_offsets::after_backoff(int attempt, std::function<void()> again) {
    auto timer = std::make_shared<asio::steady_timer>(io_);
    timer->expires_after(settings_.client.retry_backoff * attempt);
    timer->async_wait([this, timer, again = std::move(again)](std::error_code waited) {
        if (!waited && !stopped_) again();
    });
}

bool group_offsets::renew_committer(const std::shared_ptr<commit_op>& op) {
    if (!current_committer_ || stopped_ || ++op->attempt >= max_attempts) return false;
    std::vector<topic_partition> partitions;
    for (const auto& [tp, o] : op->offsets) partitions.push_back(tp);
    auto now = current_committer_(partitions);
    if (!now) return false;
    // The same epoch again: the heartbeat with the new one is still on its way; the backoff
    // gives it time.
    log_.debug("group", "commit to " + settings_.group_id + " refused with a stale member epoch " +
                            std::to_string(op->who.generation) + "; again with epoch " +
                            std::to_string(now->generation));
    op->who = std::move(*now);
    after_backoff(op->attempt, [this, op] { commit_attempt(op); });
    return true;
}

void group_offsets::fail(const std::shared_ptr<fetch_op>& op, std::error_code ec) {
    fetch_result out;
    for (const auto& tp : op->partitions) out[tp] = {ec, std::nullopt};
    op->done(std::move(out));
}

void group_offsets::fail(const std::shared_ptr<commit_op>& op, std::error_code ec) {
    commit_result out;
    for (const auto& [tp, o] : op->offsets) out[tp] = ec;
    finish(op, out);
}

void group_offsets::fetch(std::vector<topic_partition> partitions, std::function<void(fetch_result)> done) {
    fetch_attempt(std::make_shared<fetch_op>(fetch_op{std::move(partitions), std::move(done)}));
}

void group_offsets::fetch_attempt(std::shared_ptr<fetch_op> op) {
    if (stopped_) return;
    with_coordinator([this, op](std::error_code ec, std::int32_t node) {
        auto conn = ec ? nullptr : cluster_.connection(node);
        if (!ec && !conn) ec = make_error_code(errc::connection_failed);
        if (ec) {
            if (!retry_after(ec, op->attempt, [this, op] { fetch_attempt(op); })) fail(op, ec);
            return;
        }
        protocol::offset_fetch_request request;
        request.group_id = settings_.group_id;
        request.topics.emplace();
        for (const auto& tp : op->partitions) {
            if (request.topics->empty() || request.topics->back().name != tp.topic)
                request.topics->emplace_back().name = tp.topic;
            request.topics->back().partition_indexes.push_back(tp.partition.value());
        }
        auto on_done = [this, op](std::error_code ec, protocol::offset_fetch_response r, std::int16_t) {
            if (!ec) ec = error_of(r.error_code);
            if (ec) {
                if (!retry_after(ec, op->attempt, [this, op] { fetch_attempt(op); })) fail(op, ec);
                return;
            }
            fetch_result out;
            for (const auto& tp : op->partitions) out[tp] = {make_error_code(kafka_errc::unknown_topic_or_partition), {}};
            for (const auto& t : r.topics)
                for (const auto& p : t.partitions) {
                    const topic_partition tp{t.name, partition_id(p.partition_index)};
                    if (out.count(tp) == 0) continue;
                    std::optional<offset_and_metadata> committed;
                    if (p.error_code == 0 && p.committed_offset >= 0)
                        committed = offset_and_metadata{
                            record_offset(p.committed_offset),
                            p.committed_leader_epoch >= 0 ? std::optional(p.committed_leader_epoch) : std::nullopt,
                            p.metadata.value_or("")};
                    out[tp] = {error_of(p.error_code), committed};
                }
            op->done(std::move(out));
        };
        // v7+: with read_committed, offsets of open transactions are waited for (KIP-447).
        const bool stable = settings_.isolation_level == isolation_mode::read_committed;
        const auto fit = [stable](protocol::offset_fetch_request& r, std::int16_t version) {
            r.require_stable = stable && version >= 7;
        };
        conn->send(make_request<protocol::offset_fetch_request, protocol::offset_fetch_response>(
            std::move(request), std::move(on_done), offset_fetch_versions, fit));
    });
}

void group_offsets::commit(std::map<topic_partition, offset_and_metadata> offsets, group_identity who,
                           std::function<void(commit_result)> done) {
    queued_commits_.push_back({std::move(offsets), std::move(who), std::move(done)});
    send_next_commit();
}

void group_offsets::stop() {
    stopped_ = true;
    for (auto& c : std::exchange(queued_commits_, {})) {
        commit_result closed;
        for (const auto& [tp, o] : c.offsets) closed[tp] = make_error_code(errc::closed);
        c.done(std::move(closed));
    }
}

void group_offsets::send_next_commit() {
    if (stopped_ || commit_out_ || queued_commits_.empty()) return;
    auto op = std::make_shared<commit_op>();
    op->who = queued_commits_.front().who;
    while (!queued_commits_.empty() && same_committer(queued_commits_.front().who, op->who)) {
        auto& next = queued_commits_.front();
        for (const auto& [tp, o] : next.offsets) op->offsets[tp] = o; // the newer offset wins
        op->commits.push_back(std::move(next));
        queued_commits_.pop_front();
    }
    commit_out_ = op;
    commit_attempt(std::move(op));
}

void group_offsets::finish(const std::shared_ptr<commit_op>& op, const commit_result& outcome) {
    commit_out_.reset();
    for (auto& c : op->commits) {
        commit_result mine;
        for (const auto& [tp, o] : c.offsets) {
            const auto it = outcome.find(tp);
            mine[tp] = it != outcome.end() ? it->second : make_error_code(kafka_errc::unknown_topic_or_partition);
        }
        c.done(std::move(mine));
    }
    send_next_commit();
}

void group_offsets::commit_attempt(std::shared_ptr<commit_op> op) {
    if (stopped_) return;
    with_coordinator([this, op](std::error_code ec, std::int32_t node) {
        auto conn = ec ? nullptr : cluster_.connection(node);
        if (!ec && !conn) ec = make_error_code(errc::connection_failed);
        if (ec) {
            if (!retry_after(ec, op->attempt, [this, op] { commit_attempt(op); })) fail(op, ec);
            return;
        }
        protocol::offset_commit_request request;
        request.group_id = settings_.group_id;
        request.generation_id_or_member_epoch = op->who.generation; // -1: no membership (manual)
        request.member_id = op->who.member_id;

        for (const auto& [tp, o] : op->offsets) {
            if (request.topics.empty() || request.topics.back().name != tp.topic) request.topics.emplace_back().name = tp.topic;
            auto& p = request.topics.back().partitions.emplace_back();
            p.partition_index = tp.partition.value();
            p.committed_offset = o.offset.value();
            p.committed_leader_epoch = o.leader_epoch.value_or(-1);
            p.committed_metadata = o.metadata;
        }
        auto on_done = [this, op](std::error_code ec, protocol::offset_commit_response r, std::int16_t) {
            if (ec) {
                if (!retry_after(ec, op->attempt, [this, op] { commit_attempt(op); })) fail(op, ec);
                return;
            }
            commit_result out;
            for (const auto& [tp, o] : op->offsets) out[tp] = make_error_code(kafka_errc::unknown_topic_or_partition);
            std::error_code first;
            for (const auto& t : r.topics)
                for (const auto& p : t.partitions) {
                    const topic_partition tp{t.name, partition_id(p.partition_index)};
                    out[tp] = error_of(p.error_code);
                    if (!first) first = out[tp];
                }
            // A moved coordinator answers every partition with the same error: retried.
            if (first && coordinator_moved(first) && retry_after(first, op->attempt, [this, op] { commit_attempt(op); }))
                return;
            const auto stale = std::any_of(out.begin(), out.end(), [](const auto& entry) {
                return entry.second == kafka_errc::stale_member_epoch;
            });
            if (stale && renew_committer(op)) return;
            finish(op, out);
        };
        const auto fit = [instance = op->who.instance_id](protocol::offset_commit_request& r, std::int16_t version) {
            if (version >= 7) r.group_instance_id = instance; // KIP-345
        };
        conn->send(make_request<protocol::offset_commit_request, protocol::offset_commit_response>(
            std::move(request), std::move(on_done),
            settings_.group_protocol == group_protocol_kind::consumer ? member_epoch_commit_versions
                                                                      : offset_commit_versions,
            fit));
    });
}

} // namespace kafkit::detail
