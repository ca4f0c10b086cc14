#pragma once
// The KIP-848 consumer group coordinator (the consumer-group half of Kafka's
// GroupMetadataManager): ConsumerGroupHeartbeat (join with epoch 0, heartbeat, leave with -1,
// a static member's temporary leave with -2), the target assignment computed by the
// group's server-side assignor when the group epoch moves past it, each member's
// reconciliation toward it, the session and rebalance timeouts, and the member checks of
// OffsetCommit/OffsetFetch. Everything runs on the I/O thread.
//
// group_coordinator owns it and settles which protocol a group id belongs to before
// calling in. Membership is not persisted (as for classic groups): after a restart a
// member's heartbeat is answered UNKNOWN_MEMBER_ID and it rejoins with epoch 0.
//
// Implementation split: consumer_group_coordinator.cpp (lookups, leave, fencing, timers,
// target assignment, offset checks), consumer_heartbeat.cpp (the join/heartbeat path).

#include "group/consumer_group.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::broker {

class broker_state;

/// A ConsumerGroupHeartbeat, as the coordinator needs it (nullopt: "unchanged").
struct consumer_heartbeat_params {
    std::string group_id;
    std::string member_id; ///< empty on a v0 join: the coordinator picks one
    std::int32_t member_epoch = 0;
    std::optional<std::string> instance_id;
    std::optional<std::string> rack_id;
    std::int32_t rebalance_timeout_ms = -1;
    std::optional<std::vector<std::string>> subscribed_topic_names;
    std::optional<std::string> subscribed_topic_regex;
    std::optional<std::string> server_assignor;
    std::optional<topic_assignment> owned; ///< TopicPartitions
    std::string client_id;
    std::string client_host;
};

/// What a ConsumerGroupHeartbeat is answered with.
struct consumer_heartbeat_result {
    kafka_errc error = kafka_errc::none;
    std::optional<std::string> error_message;
    std::optional<std::string> member_id;
    std::int32_t member_epoch = 0;
    std::int32_t heartbeat_interval_ms = 0;
    std::optional<topic_assignment> assignment; ///< sent when full or changed

    /// An answer with only an error and its message.
    static consumer_heartbeat_result refused(kafka_errc error, std::string message) {
        consumer_heartbeat_result result;
        result.error = error;
        result.error_message = std::move(message);
        return result;
    }
};

/// The consumer groups of the whole (simulated) cluster.
class consumer_group_coordinator {
public:
    explicit consumer_group_coordinator(broker_state& state);
    /// Cancels every member's timers.
    ~consumer_group_coordinator();
    consumer_group_coordinator(const consumer_group_coordinator&) = delete;
    consumer_group_coordinator& operator=(const consumer_group_coordinator&) = delete;

    /// ConsumerGroupHeartbeat of a request already validated (see the handler). A group
    /// that does not exist is created by a join (epoch 0); other epochs get UNKNOWN_MEMBER_ID.
    consumer_heartbeat_result heartbeat(const consumer_heartbeat_params& params);

    /// A group; nullptr when unknown.
    [[nodiscard]] consumer_group* find(std::string_view group_id) const;
    /// Every group, by id.
    [[nodiscard]] const std::map<std::string, std::unique_ptr<consumer_group>, std::less<>>& groups() const noexcept {
        return groups_;
    }
    /// Forgets a group (it became a classic group, or was deleted).
    void erase(std::string_view group_id);

    /// OffsetCommit's member check (Kafka's ConsumerGroup.validateOffsetCommit): a commit
    /// with a negative epoch is taken while the group is empty; otherwise UNKNOWN_MEMBER_ID,
    /// UNSUPPORTED_VERSION (members of this protocol commit with v9+) or STALE_MEMBER_EPOCH.
    [[nodiscard]] kafka_errc validate_commit(const consumer_group& group, std::string_view member_id,
                                             std::int32_t member_epoch, std::int16_t api_version) const;
    /// OffsetFetch v9's member check: none without member id and with a negative epoch,
    /// else UNKNOWN_MEMBER_ID or STALE_MEMBER_EPOCH.
    [[nodiscard]] kafka_errc validate_fetch(const consumer_group& group, const std::optional<std::string>& member_id,
                                            std::int32_t member_epoch) const;
    /// The topics a member's subscription names and matches (topics that exist).
    [[nodiscard]] std::set<std::string, std::less<>> subscribed_topics(const consumer_member& member) const;

private:
    consumer_group& get_or_create(const std::string& group_id);
    consumer_heartbeat_result leave(const consumer_heartbeat_params& params);
    /// Removes a member and bumps the group epoch (Kafka's fencing of a member).
    void fence(consumer_group& group, const std::string& member_id);
    /// Recomputes the subscribed topics' metadata; true when it changed.
    bool refresh_metadata(consumer_group& group);
    /// Computes the target assignment of the group epoch with the preferred assignor.
    void update_target(consumer_group& group);
    /// Moves the member toward the target; schedules or cancels its rebalance timeout.
    void reconcile_member(consumer_group& group, consumer_member& member, const std::optional<topic_assignment>& owned);
    void schedule_session(consumer_group& group, consumer_member& member);
    void session_expired(const std::string& group_id, const std::string& member_id);
    void rebalance_expired(const std::string& group_id, const std::string& member_id, std::int32_t epoch);

    // consumer_heartbeat.cpp
    consumer_heartbeat_result join_or_heartbeat(const consumer_heartbeat_params& params);

    broker_state& state_;
    std::map<std::string, std::unique_ptr<consumer_group>, std::less<>> groups_;
};

} // namespace kafkit::broker
