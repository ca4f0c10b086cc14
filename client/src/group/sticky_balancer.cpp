#include "group/sticky_balancer.hpp"

#include "group/assignor_support.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>
#include <set>
#include <string_view>

namespace kafkit::detail {
namespace {

struct member_state {
    const member_subscription* subscription = nullptr;
    const sticky_claim* claim = nullptr;
    std::vector<bool> subscribed;             // by topic index
    std::vector<std::int32_t> held_per_topic; // by topic index
    std::set<topic_partition> held;
    std::set<topic_partition> kept; // held since the start (won claims)
};

class balancer {
public:
    balancer(const assignor_cluster& cluster, const std::vector<member_subscription>& members,
             const std::vector<sticky_claim>& claims) {
        static const sticky_claim no_claim;
        std::map<std::string_view, std::size_t> first_listing;
        for (std::size_t i = 0; i < members.size(); ++i)
            first_listing.emplace(members[i].member_id, i);
        for (const auto& [id, i] : first_listing)
            members_.push_back(
                {&members[i], i < claims.size() ? &claims[i] : &no_claim, {}, {}, {}, {}});
        // Topics by index (in name order), so that the balancing loop counts without lookups.
        for (const auto& member : members_) {
            for (const auto& topic : member.subscription->topics) {
                if (partition_count(cluster, topic) > 0) topic_index_.emplace(topic, 0);
            }
        }
        for (auto& [topic, index] : topic_index_) {
            index = topics_.size();
            topics_.push_back({topic, partition_count(cluster, topic), {}});
        }
        for (std::size_t m = 0; m < members_.size(); ++m) {
            members_[m].subscribed.assign(topics_.size(), false);
            members_[m].held_per_topic.assign(topics_.size(), 0);
            for (const auto& topic : members_[m].subscription->topics) {
                const auto it = topic_index_.find(topic);
                if (it == topic_index_.end() || members_[m].subscribed[it->second]) continue;
                members_[m].subscribed[it->second] = true;
                topics_[it->second].subscribers.push_back(m);
            }
        }
    }

    sticky_outcome run() {
        sticky_outcome outcome;
        resolve_claims(outcome);
        fill();
        while (move_one()) {
        }
        for (const auto& member : members_)
            outcome.assignment[member.subscription->member_id].assign(member.held.begin(),
                                                                      member.held.end());
        return outcome;
    }

private:
    [[nodiscard]] bool exists(const topic_partition& tp) const {
        const auto it = topic_index_.find(tp.topic);
        return it != topic_index_.end() && tp.partition.value() >= 0 &&
               tp.partition.value() < topics_[it->second].partitions;
    }

    [[nodiscard]] std::size_t load(std::size_t m) const noexcept { return members_[m].held.size(); }

    // Members are in member id order, so the first of the least loaded is the lowest id.
    [[nodiscard]] std::size_t least_loaded(const std::vector<std::size_t>& candidates) const {
        return *std::min_element(
            candidates.begin(), candidates.end(),
            [this](std::size_t a, std::size_t b) { return load(a) < load(b); });
    }

    void give(std::size_t m, const topic_partition& tp) {
        members_[m].held.insert(tp);
        ++members_[m].held_per_topic[topic_index_.at(tp.topic)];
        holder_[tp] = m;
    }

    void take(std::size_t m, const topic_partition& tp) {
        members_[m].held.erase(tp);
        --members_[m].held_per_topic[topic_index_.at(tp.topic)];
        holder_.erase(tp);
    }

    // The highest generation wins a partition; a tie at the highest leaves it unowned.
    void resolve_claims(sticky_outcome& outcome) {
        std::map<topic_partition, std::vector<std::size_t>> by_partition;
        for (std::size_t m = 0; m < members_.size(); ++m) {
            const std::set<topic_partition> claimed(members_[m].claim->partitions.begin(),
                                                    members_[m].claim->partitions.end());
            for (const auto& tp : claimed) {
                if (exists(tp)) by_partition[tp].push_back(m);
            }
        }
        for (const auto& [tp, claimants] : by_partition) {
            auto& ids = outcome.claimants[tp];
            std::size_t winner = claimants.front();
            bool tied = false;
            for (const std::size_t m : claimants) {
                ids.push_back(members_[m].subscription->member_id);
                const std::int32_t generation = members_[m].claim->generation;
                const std::int32_t highest = members_[winner].claim->generation;
                if (generation > highest) {
                    winner = m;
                    tied = false;
                } else if (m != winner && generation == highest) {
                    tied = true;
                }
            }
            if (tied) continue;
            outcome.owners[tp] = members_[winner].subscription->member_id;
            if (members_[winner].subscribed[topic_index_.at(tp.topic)]) {
                give(winner, tp);
                members_[winner].kept.insert(tp);
            }
        }
    }

    // Unheld partitions, topics with the fewest subscribers first, to the least loaded.
    void fill() {
        std::vector<std::size_t> order(topics_.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
            return topics_[a].subscribers.size() < topics_[b].subscribers.size();
        });
        for (const std::size_t t : order) {
            for (std::int32_t p = 0; p < topics_[t].partitions; ++p) {
                const topic_partition tp{topics_[t].name, partition_id{p}};
                if (!holder_.contains(tp)) give(least_loaded(topics_[t].subscribers), tp);
            }
        }
    }

    // One partition from the most loaded holder of a topic to its least loaded subscriber,
    // for the topic where that gap is widest (at least two); false when none is.
    bool move_one() {
        std::size_t widest = 1;
        std::optional<std::size_t> topic_to_move;
        std::size_t from = 0;
        std::size_t to = 0;
        for (std::size_t t = 0; t < topics_.size(); ++t) {
            const auto& subscribers = topics_[t].subscribers;
            std::optional<std::size_t> donor;
            for (const std::size_t m : subscribers) {
                if (members_[m].held_per_topic[t] > 0 && (!donor || load(m) > load(*donor)))
                    donor = m;
            }
            if (!donor) continue;
            const std::size_t receiver = least_loaded(subscribers);
            if (load(*donor) > load(receiver) + widest) {
                widest = load(*donor) - load(receiver);
                topic_to_move = t;
                from = *donor;
                to = receiver;
            }
        }
        if (!topic_to_move) return false;
        const topic_partition tp = partition_to_move(from, topics_[*topic_to_move].name);
        take(from, tp);
        give(to, tp);
        return true;
    }

    // The donor's highest partition of `topic` that it did not keep from before, or else its
    // highest one: new partitions move before old ones, and low partitions stay put.
    [[nodiscard]] topic_partition partition_to_move(std::size_t m, const std::string& topic) const {
        const auto& held = members_[m].held;
        std::optional<topic_partition> newest;
        std::optional<topic_partition> any;
        for (auto it =
                 held.lower_bound({topic, partition_id{std::numeric_limits<std::int32_t>::min()}});
             it != held.end() && it->topic == topic; ++it) {
            any = *it;
            if (!members_[m].kept.contains(*it)) newest = *it;
        }
        return newest ? *newest : *any;
    }

    struct topic_state {
        std::string name;
        std::int32_t partitions = 0;
        std::vector<std::size_t> subscribers; // member indexes, ascending
    };

    std::vector<member_state> members_; // in member id order
    std::vector<topic_state> topics_;   // subscribed topics with partitions, in name order
    std::map<std::string, std::size_t> topic_index_;
    std::map<topic_partition, std::size_t> holder_;
};

} // namespace

sticky_outcome sticky_assign(const assignor_cluster& cluster,
                             const std::vector<member_subscription>& members,
                             const std::vector<sticky_claim>& claims) {
    return balancer(cluster, members, claims).run();
}

} // namespace kafkit::detail
