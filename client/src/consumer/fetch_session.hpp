#pragma once
// One broker's incremental fetch session (KIP-227). The first Fetch is a full one (session
// id 0, epoch 0) that asks the broker for a session; once it answers with an id, each
// following Fetch lists only the partitions whose fetch state changed (offset, byte limit,
// leader epoch) and names the ones to forget, and the broker answers only partitions with
// something to say. Any error starts over with a full fetch. Brokers that answer id 0
// (sessions off, or Fetch before v7) get full fetches every time. I/O thread only.

#include "kafkit/protocol/messages/fetch.hpp"
#include "kafkit/topic_partition.hpp"

#include <cstdint>
#include <limits>
#include <map>
#include <vector>

namespace kafkit::detail {

class fetch_session {
public:
    /// What the broker is told of one partition.
    struct partition_fetch {
        std::int64_t offset = 0;
        std::int32_t max_bytes = 0;
        std::int32_t leader_epoch = -1;
        std::int32_t last_fetched_epoch = -1; ///< Fetch v12+
        friend bool operator==(const partition_fetch&, const partition_fetch&) = default;
    };

    /// Writes the session fields of `request` and the partitions it must carry, given every
    /// partition to fetch now from this broker; returns the partitions added to it.
    std::vector<topic_partition> prepare(const std::map<topic_partition, partition_fetch>& wanted,
                                         protocol::fetch_request& request) {
        std::vector<topic_partition> sent;
        const bool full = id_ == 0;
        request.session_id = id_;
        request.session_epoch = full ? 0 : epoch_;
        for (const auto& [tp, state] : wanted) {
            const auto it = in_session_.find(tp);
            if (full || it == in_session_.end() || !(it->second == state)) sent.push_back(tp);
        }
        if (!full) {
            for (const auto& [tp, state] : in_session_) {
                if (wanted.count(tp) != 0) continue;
                auto& forgotten = request.forgotten_topics_data;
                if (forgotten.empty() || forgotten.back().topic != tp.topic) forgotten.emplace_back().topic = tp.topic;
                forgotten.back().partitions.push_back(tp.partition.value());
            }
        }
        pending_ = wanted;
        return sent;
    }

    /// The answer to the last prepare()d request: its session id, or an error (which
    /// ends the session).
    void answered(std::int32_t session_id, bool error) {
        if (error || session_id == 0) {
            reset();
            return;
        }
        if (id_ != session_id) { // a new session: its epoch 0 was the full fetch
            id_ = session_id;
            epoch_ = 0;
        }
        epoch_ = epoch_ == std::numeric_limits<std::int32_t>::max() ? 1 : epoch_ + 1;
        in_session_ = std::move(pending_);
        pending_.clear();
    }

    void reset() {
        id_ = 0;
        epoch_ = 0;
        in_session_.clear();
        pending_.clear();
    }

    [[nodiscard]] std::int32_t id() const noexcept { return id_; }

private:
    std::int32_t id_ = 0;
    std::int32_t epoch_ = 0;
    std::map<topic_partition, partition_fetch> in_session_;
    std::map<topic_partition, partition_fetch> pending_; ///< sent, not answered yet
};

} // namespace kafkit::detail
