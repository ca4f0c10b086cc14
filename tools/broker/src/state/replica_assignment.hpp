#pragma once
// Replica placement changes the KRaft controller makes: checking a manual assignment,
// reassigning a partition's replicas (AlterPartitionReassignments) and electing leaders
// (ElectLeaders). Every replica shares the partition's one log, so a replica is in sync as
// soon as its node is up: a reassignment completes at once.

#include "kafkit/protocol/kafka_error.hpp"
#include "state/broker_node.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace kafkit::broker {

class broker_state;
struct topic;
struct partition;

/// Checks an explicit assignment as the KRaft controller does
/// (ReplicationControlManager.validateManualPartitionAssignment): each partition's replicas
/// non-empty, registered, distinct, and as many as the first partition's (or
/// `replication_factor` when non-zero). Returns Kafka's message, or empty.
std::string assignment_error(const std::vector<std::vector<std::int32_t>>& assignment,
                             const std::vector<broker_node>& nodes, std::size_t replication_factor);

/// Gives partition `index` of `t` the replicas `replicas` (already checked). The leader
/// stays when it is among them and up; otherwise the first of them that is up leads. The
/// leader epoch is bumped when the leader changes or replicas are removed. Persists the
/// metadata.
void reassign_replicas(broker_state& state, topic& t, std::int32_t index, const std::vector<std::int32_t>& replicas);

/// Kafka's ElectionType codes.
inline constexpr std::int8_t election_preferred = 0, election_unclean = 1;

/// Elects a leader for partition `index` of `t` as ReplicationControlManager.electLeader
/// does: ELECTION_NOT_NEEDED when the preferred replica already leads (preferred) or the
/// leader is up (unclean); else the preferred replica (preferred, or
/// PREFERRED_LEADER_NOT_AVAILABLE when it is down) or the first replica that is up
/// (unclean, or ELIGIBLE_LEADERS_NOT_AVAILABLE).
kafka_errc elect_leader(broker_state& state, topic& t, std::int32_t index, std::int8_t election_type);

} // namespace kafkit::broker
