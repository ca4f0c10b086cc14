#pragma once
// Incremental fetch sessions (KIP-227), as Kafka's FetchManager and FetchSessionCache keep
// them: a full fetch (epoch 0) creates a session holding the partitions the client wants;
// incremental fetches (epoch 1, 2, ...) send only changes (new offsets, added partitions,
// forgotten topics) and are answered with only the partitions that changed. Also home of
// the long-poll waiters of fetches (fetch_waiters).

#include "data/fetch_waiters.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/uuid.hpp"

#include <cstdint>
#include <list>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace kafkit::protocol {
struct fetch_request;
}

namespace kafkit::broker {

class broker_state;

/// One partition a fetch reads, as the client asked for it (Kafka's PartitionData), plus
/// what its session last sent for it (Kafka's CachedPartition).
struct fetch_target {
    std::string topic;         ///< name; for Fetch v13+ resolved from the id when known
    protocol::uuid topic_id;   ///< Fetch v13+ (zero before)
    std::int32_t partition = 0;
    std::int64_t fetch_offset = 0;
    std::int32_t max_bytes = 0;
    std::int32_t current_leader_epoch = -1;
    std::int32_t last_fetched_epoch = -1;
    std::int64_t fetcher_log_start_offset = -1;
    std::int64_t sent_high_watermark = -1;   ///< -1 until sent, and after an error
    std::int64_t sent_log_start_offset = -1;
};

/// How a Fetch request's session fields are to be served (Kafka's FetchContext kinds).
struct fetch_context {
    enum class kind { sessionless, full, incremental, error };
    kind type = kind::sessionless;
    kafka_errc error = kafka_errc::none; ///< for kind::error: the top-level error
    std::int32_t session_id = 0;        ///< for kind::incremental
    bool uses_topic_ids = false;        ///< Fetch v13+
    /// The partitions to read: the request's (sessionless, full) or the session's, in its
    /// order, after this request's changes (incremental).
    std::vector<fetch_target> targets;
};

/// What a fetch answered for one partition, to remember in its session.
struct fetch_outcome {
    std::int64_t high_watermark = -1;
    std::int64_t log_start_offset = -1;
    bool had_error = false;
    bool sent = false; ///< included in the response (incremental: it had a change)
};

/// The fetch sessions of every broker node, with Kafka's bound per node
/// (max.incremental.fetch.session.cache.slots) and eviction rules. I/O thread only.
class fetch_session_cache {
public:
    /// Kafka's max.incremental.fetch.session.cache.slots default.
    static constexpr std::size_t default_slots = 1000;
    /// Kafka's min.incremental.fetch.session.eviction.ms default (not configurable there).
    static constexpr std::int64_t eviction_ms = 120000;

    /// An empty cache; `state` resolves topic ids to names.
    explicit fetch_session_cache(broker_state& state);

    /// Kafka's FetchManager.newContext: epoch -1 is a sessionless full fetch (closing the
    /// session given, if any); epoch 0 a full fetch that may create a session (closing the
    /// one given); a higher epoch an incremental fetch on an existing session, answered
    /// FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH or
    /// FETCH_SESSION_TOPIC_ID_ERROR (topic ids used inconsistently) when it cannot be.
    /// An incremental fetch advances the session's epoch. Fetch v0-6 are sessionless.
    fetch_context new_context(const protocol::fetch_request& request, std::int16_t version, std::int32_t node_id,
                              std::int64_t now_ms);

    /// After a full fetch was answered with `outcomes` (parallel to context.targets): creates
    /// a session for the node if there is room (evicting per Kafka's rules). Returns its id,
    /// or 0 when none was created (no partitions, or the cache is full).
    std::int32_t create_session(const fetch_context& context, const std::vector<fetch_outcome>& outcomes,
                                std::int32_t node_id, bool privileged, std::int64_t now_ms);

    /// After an incremental fetch was answered: remembers what was sent and moves the
    /// partitions that were sent to the end of the session's order, so that a response cut
    /// short by max_bytes serves the others first next time (Kafka does the same).
    void update_session(const fetch_context& context, const std::vector<fetch_outcome>& outcomes);

    /// Removes a session (a full fetch replacing it; tests).
    void remove(std::int32_t session_id);
    /// Number of sessions of a node.
    [[nodiscard]] std::size_t sessions(std::int32_t node_id) const;
    /// Sessions allowed per node (max.incremental.fetch.session.cache.slots).
    void set_slots(std::size_t slots) { slots_ = slots; }

    /// The long-poll waiters of fetches.
    [[nodiscard]] fetch_waiters& waiters() noexcept { return waiters_; }

private:
    struct session {
        std::int32_t id = 0;
        std::int32_t epoch = 0;
        std::int32_t node_id = 0;
        bool uses_topic_ids = false;
        bool privileged = false; ///< a follower's: may evict consumers' sessions
        std::int64_t created_ms = 0;
        std::int64_t last_used_ms = 0;
        std::list<fetch_target> partitions;
    };

    fetch_target target_from(const std::string& name, const protocol::uuid& id, std::int32_t partition) const;
    bool make_room(std::int32_t node_id, bool privileged, std::size_t size, std::int32_t new_id, std::int64_t now_ms);
    std::int32_t new_session_id();

    broker_state& state_;
    std::map<std::int32_t, session> sessions_;
    std::size_t slots_ = default_slots;
    std::mt19937 random_;
    fetch_waiters waiters_;
};

} // namespace kafkit::broker
