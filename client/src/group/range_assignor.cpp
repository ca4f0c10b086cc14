#include "group/assignor_support.hpp"
#include "group/builtin_assignors.hpp"

#include <algorithm>
#include <numeric>
#include <set>
#include <utility>

namespace kafkit::detail {
namespace {

// One topic's ranges as they fill up: its consumers in Java's member order, how many
// partitions each may still take, and the racks of consumers and replicas. Java's
// RangeAssignor.TopicAssignmentState keeps the same quotas: per consumer `per_consumer_`, plus
// one for the first `extra_left_` consumers to reach it.
class topic_ranges {
public:
    topic_ranges(std::string topic, std::int32_t partitions,
                 std::vector<const member_subscription*> consumers, const assignor_cluster& cluster)
        : topic_(std::move(topic)), consumers_(std::move(consumers)), taken_(consumers_.size(), 0),
          unassigned_(static_cast<std::size_t>(partitions), true), unassigned_left_(partitions),
          per_consumer_(partitions / static_cast<std::int32_t>(consumers_.size())),
          extra_left_(partitions % static_cast<std::int32_t>(consumers_.size())) {
        std::set<std::string> consumer_racks;
        for (const auto* consumer : consumers_) {
            const bool has_rack = consumer->rack_id && !consumer->rack_id->empty();
            racks_.push_back(has_rack ? consumer->rack_id : std::nullopt);
            if (has_rack) consumer_racks.insert(*consumer->rack_id);
        }
        if (!consumer_racks.empty()) load_partition_racks(cluster, consumer_racks);
    }

    [[nodiscard]] const std::vector<const member_subscription*>& consumers() const noexcept {
        return consumers_;
    }
    [[nodiscard]] bool needs_rack_matching() const noexcept { return needs_rack_matching_; }
    /// Partitions whose replica racks were looked up: all of them when some consumer of the
    /// topic has a rack, else none (Java groups co-partitioned topics by this count).
    [[nodiscard]] std::size_t rack_partitions() const noexcept { return partition_racks_.size(); }

    [[nodiscard]] std::int32_t max_assignable(std::size_t consumer) const noexcept {
        return std::max(0, per_consumer_ + (extra_left_ > 0 ? 1 : 0) - taken_[consumer]);
    }

    /// A consumer without a rack matches every partition (as in Java).
    [[nodiscard]] bool racks_match(std::size_t consumer, std::int32_t partition) const {
        if (!racks_[consumer]) return true;
        const auto p = static_cast<std::size_t>(partition);
        return p < partition_racks_.size() && partition_racks_[p].contains(*racks_[consumer]);
    }

    void assign(std::size_t consumer, std::int32_t partition, group_assignment& out) {
        out[consumers_[consumer]->member_id].push_back({topic_, partition_id{partition}});
        if (++taken_[consumer] > per_consumer_) --extra_left_;
        unassigned_[static_cast<std::size_t>(partition)] = false;
        --unassigned_left_;
    }

    /// Gives each consumer in turn the lowest unassigned partitions `may_assign` allows, up to
    /// its quota.
    template <class Predicate> void assign_ranges(Predicate may_assign, group_assignment& out) {
        for (std::size_t c = 0; c < consumers_.size() && unassigned_left_ > 0; ++c) {
            std::vector<std::int32_t> chosen;
            const std::int32_t limit = max_assignable(c);
            for (std::int32_t p = 0; p < static_cast<std::int32_t>(unassigned_.size()); ++p) {
                if (static_cast<std::int32_t>(chosen.size()) >= limit) break;
                if (unassigned_[static_cast<std::size_t>(p)] && may_assign(c, p))
                    chosen.push_back(p);
            }
            for (const std::int32_t p : chosen)
                assign(c, p, out);
        }
    }

private:
    // KIP-881's test (AbstractPartitionAssignor.useRackAwareAssignment): rack matching is worth
    // it when some consumer rack holds replicas and some partition lacks a replica on some rack.
    void load_partition_racks(const assignor_cluster& cluster,
                              const std::set<std::string>& consumer_racks) {
        std::set<std::string> all_racks;
        for (std::int32_t p = 0; p < static_cast<std::int32_t>(unassigned_.size()); ++p) {
            std::set<std::string> racks;
            if (const auto it = cluster.partition_racks.find({topic_, partition_id{p}});
                it != cluster.partition_racks.end())
                racks.insert(it->second.begin(), it->second.end());
            all_racks.insert(racks.begin(), racks.end());
            partition_racks_.push_back(std::move(racks));
        }
        const bool shared =
            std::any_of(consumer_racks.begin(), consumer_racks.end(),
                        [&](const std::string& rack) { return all_racks.contains(rack); });
        needs_rack_matching_ =
            shared && std::any_of(partition_racks_.begin(), partition_racks_.end(),
                                  [&](const std::set<std::string>& r) { return r != all_racks; });
    }

    std::string topic_;
    std::vector<const member_subscription*> consumers_;
    std::vector<std::optional<std::string>> racks_;
    std::vector<std::set<std::string>> partition_racks_;
    std::vector<std::int32_t> taken_;
    std::vector<bool> unassigned_;
    std::int32_t unassigned_left_;
    std::int32_t per_consumer_;
    std::int32_t extra_left_;
    bool needs_rack_matching_ = false;
};

// Co-partitioned topics (same consumers, same partition count): partition p of every one of
// them goes to the first consumer whose rack has a replica of each and whose quota allows it,
// so consumers keep matching partitions across topics even when racks align only partly.
void assign_co_partitioned(const std::vector<topic_ranges*>& topics, std::int32_t partitions,
                           group_assignment& out) {
    std::vector<std::size_t> remaining(topics.front()->consumers().size());
    std::iota(remaining.begin(), remaining.end(), std::size_t{0});
    for (std::int32_t p = 0; p < partitions && !remaining.empty(); ++p) {
        const auto it = std::find_if(remaining.begin(), remaining.end(), [&](std::size_t c) {
            return std::all_of(topics.begin(), topics.end(), [&](const topic_ranges* t) {
                return t->racks_match(c, p) && t->max_assignable(c) > 0;
            });
        });
        if (it == remaining.end()) continue;
        const std::size_t consumer = *it;
        for (auto* topic : topics)
            topic->assign(consumer, p, out);
        if (std::none_of(topics.begin(), topics.end(),
                         [&](const topic_ranges* t) { return t->max_assignable(consumer) > 0; }))
            remaining.erase(it);
    }
}

// The rack-matching pass before plain ranges (RangeAssignor.assignWithRackMatching).
void match_racks(std::vector<topic_ranges>& topics, group_assignment& out) {
    std::map<std::pair<std::vector<std::string>, std::size_t>, std::vector<topic_ranges*>> groups;
    for (auto& topic : topics) {
        std::vector<std::string> ids;
        for (const auto* consumer : topic.consumers())
            ids.push_back(consumer->member_id);
        groups[{std::move(ids), topic.rack_partitions()}].push_back(&topic);
    }
    for (auto& [key, group] : groups) {
        if (group.size() > 1) {
            assign_co_partitioned(group, static_cast<std::int32_t>(key.second), out);
        } else if (group.front()->needs_rack_matching()) {
            topic_ranges& topic = *group.front();
            topic.assign_ranges(
                [&topic](std::size_t c, std::int32_t p) { return topic.racks_match(c, p); }, out);
        }
    }
}

} // namespace

group_assignment assign_range(const assignor_cluster& cluster,
                              const std::vector<member_subscription>& members) {
    const auto ordered = members_in_java_order(members);
    group_assignment out = empty_assignment(ordered);

    std::map<std::string, std::vector<const member_subscription*>> consumers_by_topic;
    for (const auto* member : ordered) {
        for (const auto& topic : member->topics) {
            auto& consumers = consumers_by_topic[topic];
            if (consumers.empty() || consumers.back() != member) consumers.push_back(member);
        }
    }
    std::vector<topic_ranges> topics;
    for (auto& [topic, consumers] : consumers_by_topic) {
        if (const std::int32_t n = partition_count(cluster, topic); n > 0)
            topics.emplace_back(topic, n, std::move(consumers), cluster);
    }

    if (std::any_of(topics.begin(), topics.end(),
                    [](const topic_ranges& t) { return t.needs_rack_matching(); }))
        match_racks(topics, out);
    for (auto& topic : topics)
        topic.assign_ranges([](std::size_t, std::int32_t) { return true; }, out);
    sort_partitions(out);
    return out;
}

} // namespace kafkit::detail
