#include "consumer/heartbeat_fields.hpp"

namespace kafkit::detail {
namespace {

std::vector<protocol::consumer_group_heartbeat_request::topic_partitions_struct>
to_wire(const topic_id_partitions& partitions) {
    std::vector<protocol::consumer_group_heartbeat_request::topic_partitions_struct> out;
    for (const auto& [id, indexes] : partitions) {
        auto& t = out.emplace_back();
        t.topic_id = id;
        t.partitions.assign(indexes.begin(), indexes.end());
    }
    return out;
}

} // namespace

protocol::consumer_group_heartbeat_request heartbeat_fields::next(const member_description& now, bool full) {
    protocol::consumer_group_heartbeat_request r;
    r.group_id = now.group_id;
    r.member_id = now.member_id;
    r.member_epoch = now.member_epoch;
    r.instance_id = now.instance_id;
    if (full || !sent_) {
        r.rack_id = now.rack_id;
        r.rebalance_timeout_ms = now.rebalance_timeout_ms;
        r.subscribed_topic_names = now.topic_names;
        r.subscribed_topic_regex = now.topic_regex;
        r.server_assignor = now.server_assignor;
        r.topic_partitions = to_wire(now.owned); // an empty list when joining, as required
    } else {
        const auto& before = *sent_;
        if (now.rack_id != before.rack_id) r.rack_id = now.rack_id;
        if (now.rebalance_timeout_ms != before.rebalance_timeout_ms) r.rebalance_timeout_ms = now.rebalance_timeout_ms;
        // Null means unchanged, so a subscription that moved between names and a regex
        // clears the other with an empty value.
        if (now.topic_names != before.topic_names)
            r.subscribed_topic_names = now.topic_names.value_or(std::vector<std::string>{});
        if (now.topic_regex != before.topic_regex) r.subscribed_topic_regex = now.topic_regex.value_or(std::string{});
        if (now.server_assignor != before.server_assignor) r.server_assignor = now.server_assignor;
        if (now.owned != before.owned) r.topic_partitions = to_wire(now.owned);
    }
    sent_ = now;
    return r;
}

} // namespace kafkit::detail
