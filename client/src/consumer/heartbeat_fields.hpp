#pragma once
// The ConsumerGroupHeartbeat requests of a KIP-848 member: every field on a full request
// (joining, or after any failed heartbeat), and later only the fields that changed since the
// previous request, as the protocol asks (null means "unchanged"; the coordinator reconciles
// on what it hears). Group id, member id, epoch and instance id go every time, as the Java
// client sends them.

#include "kafkit/protocol/messages/consumer_group_heartbeat.hpp"
#include "kafkit/protocol/uuid.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kafkit::detail {

/// Orders topic ids (byte order) for maps keyed by them.
struct uuid_order {
    bool operator()(const protocol::uuid& a, const protocol::uuid& b) const noexcept { return a.bytes < b.bytes; }
};

/// Partitions by topic id, as ConsumerGroupHeartbeat names them.
using topic_id_partitions = std::map<protocol::uuid, std::set<std::int32_t>, uuid_order>;

/// What a member says about itself in a heartbeat.
struct member_description {
    std::string group_id;
    std::string member_id;
    std::int32_t member_epoch = 0;
    std::optional<std::string> instance_id;
    std::optional<std::string> rack_id;
    std::int32_t rebalance_timeout_ms = -1;
    std::optional<std::vector<std::string>> topic_names; ///< sorted; nullopt when topic_regex is used
    std::optional<std::string> topic_regex;              ///< a pattern the coordinator resolves (v1+)
    std::optional<std::string> server_assignor;
    topic_id_partitions owned; ///< what the member holds (acknowledged to the application)

    friend bool operator==(const member_description&, const member_description&) = default;
};

class heartbeat_fields {
public:
    /// The request describing `now`: a full one when `full` or after reset(), else one with
    /// only what changed since the previous request this built.
    [[nodiscard]] protocol::consumer_group_heartbeat_request next(const member_description& now, bool full);
    /// The previous request may not have arrived: the next one is full.
    void reset() noexcept { sent_.reset(); }

private:
    std::optional<member_description> sent_; ///< what the coordinator heard, if it did
};

} // namespace kafkit::detail
