// group_coordinator: where classic groups and KIP-848 consumer groups meet. A group id
// belongs to one protocol at a time. As in Kafka's GroupMetadataManager (without its online
// upgrade and downgrade of groups in use): a ConsumerGroupHeartbeat join replaces an Empty
// classic group and is refused with GROUP_ID_NOT_FOUND while the classic group has members;
// a classic JoinGroup replaces an empty consumer group and is refused with
// INCONSISTENT_GROUP_PROTOCOL while it has members (group_join.cpp). Committed offsets belong
// to the group id and survive the change.

#include "group/group_coordinator.hpp"

namespace kafkit::broker {

bool group_coordinator::classic_group_in_use(std::string_view group_id) const {
    const classic_group* group = find_group(group_id);
    return group && (!group->is(group_state::empty) || group->pending_count() > 0);
}

consumer_heartbeat_result group_coordinator::consumer_heartbeat(const consumer_heartbeat_params& params) {
    if (classic_group_in_use(params.group_id))
        return consumer_heartbeat_result::refused(kafka_errc::group_id_not_found,
                                                  "Group " + params.group_id + " is not a consumer group.");
    auto result = consumer_.heartbeat(params);
    if (consumer_.find(params.group_id)) {
        if (auto it = groups_.find(params.group_id); it != groups_.end()) groups_.erase(it);
    }
    return result;
}

kafka_errc group_coordinator::validate_fetch(std::string_view group_id, const std::optional<std::string>& member_id,
                                             std::int32_t member_epoch) const {
    const consumer_group* group = consumer_.find(group_id);
    return group ? consumer_.validate_fetch(*group, member_id, member_epoch) : kafka_errc::none;
}

bool group_coordinator::is_subscribed_to_topic(std::string_view group_id, std::string_view topic) const {
    if (const consumer_group* group = consumer_.find(group_id)) return group->is_subscribed_to_topic(topic);
    const classic_group* group = find_group(group_id);
    return group && group->is_subscribed_to_topic(topic);
}

kafka_errc group_coordinator::delete_consumer_group(std::string_view group_id) {
    const consumer_group* group = consumer_.find(group_id);
    if (!group->empty()) return kafka_errc::non_empty_group;
    if (!offsets_.remove_group(std::string(group_id))) return kafka_errc::not_coordinator;
    consumer_.erase(group_id);
    return kafka_errc::none;
}

bool group_coordinator::consumer_offset_expired(const consumer_group& group, const topic_partition& tp,
                                                const committed_offset& value, std::int64_t now,
                                                std::int64_t retention_ms) const {
    // Kafka: offsets of topics the group subscribes to never expire; the others age from
    // their commit (ConsumerGroup's offset expiration condition).
    if (value.expire_timestamp_ms >= 0) return now >= value.expire_timestamp_ms;
    if (group.is_subscribed_to_topic(tp.topic)) return false;
    return now - value.commit_timestamp_ms >= retention_ms;
}

} // namespace kafkit::broker
