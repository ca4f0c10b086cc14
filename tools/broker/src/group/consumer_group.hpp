#pragma once
// A KIP-848 consumer group's state (Kafka's ConsumerGroup): the group epoch (bumped when
// membership, subscriptions or the subscribed topics' metadata change), the target
// assignment and its epoch, the members, static members by instance id, and which member
// epoch owns each partition (so a partition is given to a member only once its previous
// owner released it). consumer_group_coordinator drives it; it sends nothing itself.

#include "group/consumer_member.hpp"
#include "group/server_assignor.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace kafkit::broker {

/// The states Kafka reports for a consumer group (ListGroups, ConsumerGroupDescribe).
enum class consumer_group_state { empty, assigning, reconciling, stable };

/// Kafka's name of a state: "Empty", "Assigning", "Reconciling", "Stable".
[[nodiscard]] std::string_view consumer_group_state_name(consumer_group_state state) noexcept;

/// What the group knows of a topic its members subscribe to.
struct subscribed_topic {
    protocol::uuid id;
    std::int32_t partitions = 0;
    friend bool operator==(const subscribed_topic&, const subscribed_topic&) = default;
};

/// The subscribed topics that exist, by name.
using subscription_metadata = std::map<std::string, subscribed_topic, std::less<>>;

/// One consumer group. Members are kept by member id.
class consumer_group {
public:
    /// A new group: epoch 0, no members.
    explicit consumer_group(std::string id) : id_(std::move(id)) {}

    /// The group id.
    [[nodiscard]] const std::string& id() const noexcept { return id_; }
    /// The group epoch.
    [[nodiscard]] std::int32_t group_epoch() const noexcept { return group_epoch_; }
    /// Bumps the group epoch: a new target assignment is due.
    void bump_group_epoch() noexcept { ++group_epoch_; }
    /// The epoch of the current target assignment.
    [[nodiscard]] std::int32_t assignment_epoch() const noexcept { return assignment_epoch_; }
    /// Empty without members, Assigning while the target lags the group epoch, Reconciling
    /// while a member is not at the target, else Stable.
    [[nodiscard]] consumer_group_state state() const noexcept;
    /// True without members.
    [[nodiscard]] bool empty() const noexcept { return members_.empty(); }

    /// The members by id.
    [[nodiscard]] const std::map<std::string, std::unique_ptr<consumer_member>, std::less<>>& members() const noexcept {
        return members_;
    }
    /// The member with this id; nullptr when there is none.
    [[nodiscard]] consumer_member* find(std::string_view member_id) const noexcept;
    /// The static member with this instance id; nullptr when there is none.
    [[nodiscard]] consumer_member* static_member(std::string_view instance_id) const noexcept;
    /// Adds a member; its partitions become owned at its epoch.
    consumer_member& add(std::unique_ptr<consumer_member> member);
    /// Records the member's instance id (a member that named one only after joining).
    void register_static_member(const consumer_member& member);
    /// Removes a member with its target assignment; its partitions become free.
    std::unique_ptr<consumer_member> remove(std::string_view member_id);
    /// Replaces a member's epochs and partitions, keeping partition ownership in step.
    void update_assignment(consumer_member& member, member_assignment_state next);

    /// The member's target assignment (empty when it has none).
    [[nodiscard]] const topic_assignment& target(std::string_view member_id) const;
    /// Installs a new target assignment for `epoch`.
    void set_target(std::int32_t epoch, group_assignment target);
    /// Sets one member's target (a static member taking over its predecessor's).
    void set_member_target(const std::string& member_id, topic_assignment target);
    /// The epoch of the member owning a partition, -1 when it is free.
    [[nodiscard]] std::int32_t owner_epoch(const protocol::uuid& topic, std::int32_t partition) const;

    /// The subscribed topics as last computed.
    [[nodiscard]] const subscription_metadata& metadata() const noexcept { return metadata_; }
    /// Replaces the subscribed topics' metadata.
    void set_metadata(subscription_metadata metadata) { metadata_ = std::move(metadata); }
    /// True when a member subscribes to `topic` (by name, or by a regex that matched it).
    [[nodiscard]] bool is_subscribed_to_topic(std::string_view topic) const;

    /// The assignor most members ask for (ties to the lower name); the default without any.
    [[nodiscard]] const server_assignor& preferred_assignor() const;

private:
    void own(const member_assignment_state& a);
    void release(const member_assignment_state& a);

    std::string id_;
    std::int32_t group_epoch_ = 0;
    std::int32_t assignment_epoch_ = 0;
    std::map<std::string, std::unique_ptr<consumer_member>, std::less<>> members_;
    std::map<std::string, std::string, std::less<>> static_members_; ///< instance id -> member id
    group_assignment target_;
    std::map<protocol::uuid, std::map<std::int32_t, std::int32_t>, uuid_less> partition_epochs_;
    subscription_metadata metadata_;
};

} // namespace kafkit::broker
