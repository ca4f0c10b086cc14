#pragma once
// A partition as Metadata and DescribeTopicPartitions describe it (the same field names):
// leader (none while its node is down: LEADER_NOT_AVAILABLE), epoch, replicas, the replicas
// whose node is up as the ISR, the others offline.

#include "kafkit/protocol/kafka_error.hpp"
#include "state/broker_state.hpp"
#include "state/partition.hpp"

namespace kafkit::broker {

template <class Out>
Out describe_partition(broker_state& state, const partition& p) {
    Out out;
    out.partition_index = p.index;
    out.leader_epoch = p.leader_epoch;
    out.replica_nodes = p.replicas;
    for (auto r : p.replicas) {
        const broker_node* n = state.find_node(r);
        if (n && n->up) out.isr_nodes.push_back(r);
        else out.offline_replicas.push_back(r);
    }
    const broker_node* leader = state.find_node(p.leader);
    if (leader && leader->up) {
        out.leader_id = p.leader;
    } else {
        out.leader_id = -1;
        out.error_code = static_cast<std::int16_t>(kafka_errc::leader_not_available);
    }
    return out;
}

} // namespace kafkit::broker
