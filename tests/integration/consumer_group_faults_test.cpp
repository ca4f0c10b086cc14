// Consumer groups through faults on both test clusters: errors injected on Heartbeat,
// JoinGroup, SyncGroup, OffsetCommit and Fetch, leader moves, dropped connections, and the
// coordinator's node going down and coming back (kafkit-broker moves the coordinator away and
// back; the mock keeps it there). Each time the group recovers, every record written is
// processed, and the committed offsets, sampled throughout and as each member's commits
// report them, never go back.

#include "consumer_group_support.hpp"

#include "broker_test_client.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"
#include "kafkit/testcontainers/faults.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::kafka_errc;
using kafkit::topic_partition;
using kafkit::testcontainers::node_state;
using kafkit::testcontainers::request_error;

namespace {

constexpr std::int16_t fetch_key = 1;
constexpr std::int16_t offset_commit_key = 8;
constexpr std::int16_t join_group_key = 11;
constexpr std::int16_t heartbeat_key = 12;
constexpr std::int16_t sync_group_key = 14;
constexpr std::int32_t partitions = 6;
constexpr std::int32_t nodes = 3;

request_error answer(kafka_errc e, std::chrono::milliseconds delay = {}) {
    return {static_cast<std::int16_t>(e), delay};
}

using offsets_by_partition = std::map<std::int32_t, std::int64_t>;

std::vector<topic_partition> partitions_of(const std::string& topic) {
    std::vector<topic_partition> out;
    for (std::int32_t p = 0; p < partitions; ++p)
        out.push_back({topic, kafkit::partition_id(p)});
    return out;
}

/// The offset after each partition's last written record: where its commits must end up.
offsets_by_partition end_offsets(const std::vector<record_position>& written) {
    offsets_by_partition out;
    for (const auto& [partition, offset] : written)
        out[partition] = std::max(out[partition], offset + 1);
    return out;
}

/// Where `seen` steps back from what was seen before it, described; `last` is updated.
void note_steps_back(const offsets_by_partition& seen, offsets_by_partition& last,
                     const std::string& where, std::vector<std::string>& steps) {
    for (const auto& [partition, offset] : seen) {
        const auto it = last.find(partition);
        if (it != last.end() && offset < it->second)
            steps.push_back(where + ": partition " + std::to_string(partition) + " went from " +
                            std::to_string(it->second) + " back to " + std::to_string(offset));
        if (it == last.end() || offset > it->second) last[partition] = offset;
    }
}

/// The steps back in what a member's successful asynchronous commits stored, in the order
/// they were answered.
std::vector<std::string> steps_back_in_commits(const member& m) {
    std::vector<std::string> steps;
    offsets_by_partition last;
    for (const auto& c : m.commits())
        if (!c.error && !c.in_revoke)
            note_steps_back(c.offsets, last, m.name() + "'s commits", steps);
    return steps;
}

/// The group's committed offsets, sampled on a thread of its own by a consumer of the same
/// group.id that never joins the group; every step back is remembered.
class commit_watch {
public:
    commit_watch(const kafkit::testcontainers::cluster& cluster, const std::string& group,
                 const std::string& topic)
        : thread_([this, cfg = group_config(cluster, group, {{"client.id", "kafkit-commit-watch"}}),
                   watched = partitions_of(topic)] { run(cfg, watched); }) {}
    ~commit_watch() { stop(); }
    commit_watch(const commit_watch&) = delete;
    commit_watch& operator=(const commit_watch&) = delete;

    void stop() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }
    /// The highest committed offset seen per partition.
    [[nodiscard]] offsets_by_partition latest() const {
        std::lock_guard lock(mutex_);
        return last_;
    }
    [[nodiscard]] std::vector<std::string> steps_back() const {
        std::lock_guard lock(mutex_);
        return steps_;
    }
    [[nodiscard]] int samples() const { return samples_; }

private:
    void run(const kafkit::config& cfg, const std::vector<topic_partition>& watched) {
        kafkit::consumer observer(cfg);
        while (!stopping_) {
            try {
                record(observer.committed(watched, 2s));
            } catch (const std::exception&) {
                // The coordinator is away (a fault under test): the next sample tries again.
            }
            std::this_thread::sleep_for(10ms);
        }
        observer.close(5s);
    }
    void
    record(const std::map<topic_partition, std::optional<kafkit::offset_and_metadata>>& committed) {
        offsets_by_partition seen;
        for (const auto& [tp, o] : committed)
            if (o) seen[tp.partition.value()] = o->offset.value();
        std::lock_guard lock(mutex_);
        note_steps_back(seen, last_, "sample " + std::to_string(samples_), steps_);
        ++samples_;
    }

    std::atomic<bool> stopping_{false};
    std::atomic<int> samples_{0};
    mutable std::mutex mutex_;
    offsets_by_partition last_;
    std::vector<std::string> steps_;
    std::thread thread_;
};

/// The group's coordinator as FindCoordinator answers on node `ask` (-1 when it errs).
std::int32_t coordinator_of(const kafkit::testcontainers::cluster& cluster,
                            const std::string& group, std::int32_t ask) {
    std::uint16_t port = 0;
    for (const auto& n : cluster.nodes())
        if (n.id == ask) port = n.port;
    kafkit::testing::broker_test_client client(port);
    kafkit::protocol::find_coordinator_request request;
    request.key = group;
    const auto response = client.call<kafkit::protocol::find_coordinator_response>(request, 1);
    return response.error_code == 0 ? response.node_id : -1;
}

/// A node other than `node`.
std::int32_t other_than(std::int32_t node) {
    return node % nodes + 1;
}

enum class repeats { allowed, none };
enum class outcome { succeeded, failed };

/// Kafkit members of one group over six partitions while a writer produces: each commits
/// asynchronously every `commit_every` (and synchronously in its revoke callback), and the
/// group's committed offsets are watched.
class faulted_group {
public:
    faulted_group(kafkit::testcontainers::cluster& cluster, const std::string& name,
                  std::size_t members, std::chrono::milliseconds commit_every = 100ms)
        : cluster_(cluster), topic_(new_topic(cluster, "faults-" + name, partitions)),
          group_(group_name(name)), commit_every_(commit_every), watch_(cluster, group_, topic_),
          writer_(cluster, topic_) {
        for (std::size_t i = 0; i < members; ++i)
            add_member();
    }

    kafkit::testcontainers::fault_controls& faults() { return cluster_.faults(); }
    [[nodiscard]] const std::string& group() const { return group_; }
    [[nodiscard]] const std::string& topic() const { return topic_; }

    void add_member() {
        // A short rebalance timeout: the coordinator gives up within it on the member id a
        // member dropped after UNKNOWN_MEMBER_ID.
        auto cfg = group_config(cluster_, group_, {{"max.poll.interval.ms", "2500"}});
        const auto name = std::string("m").append(std::to_string(members_.size() + 1));
        members_.push_back(std::make_unique<member>(std::move(cfg), topic_, book_, name,
                                                    commit_policy{commit_every_}));
    }

    /// Stops the newest member: it commits, gives its partitions up and leaves the group.
    /// What it did stays in the final checks.
    void remove_member() {
        members_.back()->stop();
        departed_.push_back(std::move(members_.back()));
        members_.pop_back();
    }

    /// How often each member was assigned partitions so far.
    [[nodiscard]] std::vector<int> assignments_so_far() const {
        std::vector<int> out;
        for (const auto& m : members_)
            out.push_back(m->times_assigned());
        return out;
    }
    /// A rebalance ended since `before`: some member was assigned again (a follower whose
    /// rejoin changes nothing is handed its partitions back alone), every member added since
    /// was assigned, and they split the partitions evenly.
    [[nodiscard]] bool rebalanced_since(const std::vector<int>& before) const {
        bool again = false;
        for (std::size_t i = 0; i < members_.size(); ++i) {
            const int was = i < before.size() ? before[i] : 0;
            const int now = members_[i]->times_assigned();
            if (i >= before.size() && now == 0) return false;
            again = again || now > was;
        }
        return again && settled();
    }
    [[nodiscard]] bool settled() const {
        std::vector<const member*> all;
        for (const auto& m : members_) {
            if (m->assignment().size() != partitions / members_.size()) return false;
            all.push_back(m.get());
        }
        return split_among(all, partitions);
    }
    void require_rebalanced_since(const std::vector<int>& before) {
        const bool rebalanced = eventually([&] { return rebalanced_since(before); }, 40s);
        INFO("members: " << describe());
        REQUIRE(rebalanced);
    }
    /// Each member's partition count and how often it was assigned, for failure messages.
    [[nodiscard]] std::string describe() const {
        std::string out;
        for (const auto& m : members_)
            out += m->name() + " holds " + std::to_string(m->assignment().size()) + " (assigned " +
                   std::to_string(m->times_assigned()) + " times, lost " +
                   std::to_string(m->losses()) + ") ";
        return out;
    }
    /// Every member processed records since `since`.
    [[nodiscard]] bool consuming_since(clock_type::time_point since) const {
        return std::all_of(members_.begin(), members_.end(),
                           [&](const auto& m) { return !m->processed_since(since).empty(); });
    }
    /// The fewest asynchronous commits any member had answered since `since`, successful
    /// ones or failed ones.
    [[nodiscard]] std::size_t commits_since(clock_type::time_point since, outcome wanted) const {
        auto fewest = std::numeric_limits<std::size_t>::max();
        for (const auto& m : members_) {
            const auto commits = m->commits();
            fewest = std::min<std::size_t>(
                fewest, std::count_if(commits.begin(), commits.end(), [&](const commit_outcome& c) {
                    return !c.in_revoke && c.at >= since &&
                           static_cast<bool>(c.error) == (wanted == outcome::failed);
                }));
        }
        return fewest;
    }
    /// The errors the members' asynchronous commits reported since `since`.
    [[nodiscard]] std::vector<std::error_code>
    commit_errors_since(clock_type::time_point since) const {
        std::vector<std::error_code> out;
        for (const auto& m : members_)
            for (const auto& c : m->commits())
                if (c.error && !c.in_revoke && c.at >= since) out.push_back(c.error);
        return out;
    }
    /// Partitions lost (on_lost calls), by every member so far.
    [[nodiscard]] int losses() const {
        int n = 0;
        for (const auto* list : {&members_, &departed_})
            for (const auto& m : *list)
                n += m->losses();
        return n;
    }
    /// Records processed more than once so far.
    [[nodiscard]] std::size_t duplicates() const { return book_.duplicates(); }
    /// From now on, a record written is to be processed once (repeats::none): the group may
    /// have repeated records while it formed (the mock refuses commits in a rebalance).
    void faults_begin() { once_from_ = end_offsets(writer_.written()); }
    /// Revocations (on_revoked calls), by every member so far.
    [[nodiscard]] std::size_t revocations() const {
        std::size_t n = 0;
        for (const auto* list : {&members_, &departed_})
            for (const auto& m : *list)
                n += m->revocations().size();
        return n;
    }

    /// Stops writing, then checks that every record written was processed (and, with
    /// repeats::none, only once), that the commits reached every partition's end, and that no
    /// committed offset ever went back.
    void check_every_record_processed_and_committed(repeats allowed) {
        writer_.stop();
        const auto written = writer_.written();
        REQUIRE(writer_.failed() == 0);
        REQUIRE(written.size() > 200);
        INFO("missing: " << describe_missing(book_, written));
        CHECK(eventually([&] { return missing_from(book_, written) == 0; }, 30s));
        const auto ends = end_offsets(written);
        CHECK(eventually([&] { return watch_.latest() == ends; }, 20s));
        watch_.stop();
        CHECK(watch_.latest() == ends);
        CHECK(watch_.samples() > 10);
        for (const auto& step : watch_.steps_back())
            FAIL_CHECK(step);
        for (const auto* list : {&members_, &departed_})
            for (const auto& m : *list) {
                for (const auto& step : steps_back_in_commits(*m))
                    FAIL_CHECK(step);
                CHECK(m->poll_failure() == "");
            }
        if (allowed == repeats::none) check_processed_once(written);
    }

private:
    void check_processed_once(const std::vector<record_position>& written) const {
        std::size_t repeated = 0;
        std::string first;
        for (const auto& [partition, offset] : written) {
            const auto from = once_from_.find(partition);
            if (from != once_from_.end() && offset < from->second) continue;
            if (book_.times(partition, offset) <= 1) continue;
            if (repeated++ == 0) first = std::to_string(partition) + "@" + std::to_string(offset);
        }
        INFO("first repeated: " << first);
        CHECK(repeated == 0);
    }

    kafkit::testcontainers::cluster& cluster_;
    std::string topic_;
    std::string group_;
    std::chrono::milliseconds commit_every_;
    ledger book_;
    commit_watch watch_;
    writer writer_;
    std::vector<std::unique_ptr<member>> members_;
    std::vector<std::unique_ptr<member>> departed_;
    offsets_by_partition once_from_;
};

bool contains(const std::vector<std::error_code>& errors, kafka_errc e) {
    return std::find(errors.begin(), errors.end(), make_error_code(e)) != errors.end();
}

} // namespace

TEST_CASE("group faults: errors on SyncGroup, JoinGroup and Heartbeat: the group forms again each "
          "time, and "
          "only the members told UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION lose partitions") {
    auto cluster = each_backend();
    faulted_group g(*cluster, "membership", 2);
    g.require_rebalanced_since({});

    // SyncGroup errors meet the rebalance a third member starts. The mock's SyncGroup error
    // answers carry a null assignment, which cannot be read: any one makes the member join
    // again there, so one is enough.
    auto before = g.assignments_so_far();
    const std::vector<request_error> sync_errors{answer(kafka_errc::rebalance_in_progress),
                                                 answer(kafka_errc::not_coordinator),
                                                 answer(kafka_errc::unknown_member_id)};
    g.faults().push_request_errors(
        sync_group_key,
        is_mock(*cluster) ? std::vector<request_error>{sync_errors.front()} : sync_errors, -1);
    g.add_member();
    g.require_rebalanced_since(before);
    CHECK(g.losses() == 0); // eager members gave their partitions up before joining

    // JoinGroup errors meet the rejoins when the third member leaves. The mock's answers carry
    // null member ids, which cannot be read either: the members join again all the same.
    before = g.assignments_so_far();
    g.faults().push_request_errors(
        join_group_key,
        {answer(kafka_errc::coordinator_load_in_progress), answer(kafka_errc::not_coordinator),
         answer(kafka_errc::coordinator_not_available), answer(kafka_errc::rebalance_in_progress),
         answer(kafka_errc::unknown_member_id)},
        -1);
    g.remove_member();
    g.require_rebalanced_since(before);
    CHECK(g.losses() == 0);
    if (!is_mock(*cluster)) CHECK(g.duplicates() == 0); // what moved was committed before it moved

    // Heartbeat errors. Coordinator errors make the members look it up again, keeping their
    // partitions; the REBALANCE_IN_PROGRESS behind them shows when all were answered.
    before = g.assignments_so_far();
    g.faults().push_request_errors(
        heartbeat_key,
        {answer(kafka_errc::not_coordinator), answer(kafka_errc::coordinator_not_available),
         answer(kafka_errc::not_coordinator), answer(kafka_errc::coordinator_not_available),
         answer(kafka_errc::rebalance_in_progress)},
        -1);
    g.require_rebalanced_since(before);
    CHECK(g.losses() == 0);
    // A member that lost its membership sends no heartbeat: each error reaches another one.
    before = g.assignments_so_far();
    g.faults().push_request_errors(
        heartbeat_key,
        {answer(kafka_errc::unknown_member_id), answer(kafka_errc::illegal_generation)}, -1);
    g.require_rebalanced_since(before);
    INFO("members: " << g.describe());
    CHECK(g.losses() == 2);

    g.check_every_record_processed_and_committed(repeats::allowed); // lost partitions repeat
}

TEST_CASE("group faults: OffsetCommit and Fetch errors, leader moves and dropped connections cost "
          "no membership, "
          "repeat no record, and no committed offset goes back") {
    auto cluster = each_backend();
    faulted_group g(*cluster, "commit-fetch", 2,
                    20ms); // commits close together: retries overlap them
    g.require_rebalanced_since({});
    const auto before = g.assignments_so_far();
    const auto revoked_before = g.revocations();
    g.faults_begin();
    const auto coordinator = coordinator_of(*cluster, g.group(), 1);
    REQUIRE(coordinator > 0);

    // On the coordinator's node (the mock takes a node's errors before the cluster's, and a
    // node's list, once there, even empty): some answers held back while newer commits go
    // out. Four coordinator errors at most, fewer than a commit's attempts.
    const auto injected_at = clock_type::now();
    const std::vector<request_error> commit_errors{
        answer(kafka_errc::not_coordinator, 60ms), answer(kafka_errc::coordinator_load_in_progress),
        answer(kafka_errc::not_coordinator, 60ms), answer(kafka_errc::coordinator_not_available),
        answer(kafka_errc::request_timed_out),     answer(kafka_errc::not_coordinator, 30ms),
        answer(kafka_errc::rebalance_in_progress)};
    g.faults().push_request_errors(offset_commit_key, commit_errors, coordinator);
    // Each request takes one error until none is left.
    REQUIRE(eventually(
        [&] { return g.commits_since(injected_at, outcome::succeeded) >= commit_errors.size(); },
        20s));
    const auto reported = g.commit_errors_since(injected_at);
    INFO("errors reported: " << reported.size());
    // A moved coordinator is looked up and the commit sent again; the others are the caller's.
    CHECK_FALSE(contains(reported, kafka_errc::not_coordinator));
    CHECK_FALSE(contains(reported, kafka_errc::coordinator_not_available));
    CHECK(contains(reported, kafka_errc::rebalance_in_progress));
    for (const auto& e : reported) {
        INFO("reported: " << e.message());
        CHECK((e == kafka_errc::coordinator_load_in_progress ||
               e == kafka_errc::request_timed_out || e == kafka_errc::rebalance_in_progress));
    }

    auto since = clock_type::now();
    g.faults().push_request_errors(
        fetch_key,
        {answer(kafka_errc::not_leader_or_follower), answer(kafka_errc::unknown_topic_or_partition),
         answer(kafka_errc::not_leader_or_follower), answer(kafka_errc::unknown_topic_or_partition),
         answer(kafka_errc::not_leader_or_follower),
         answer(kafka_errc::unknown_topic_or_partition)},
        -1);
    g.faults().push_request_errors(fetch_key, {answer(kafka_errc::not_leader_or_follower, 100ms)},
                                   other_than(coordinator));
    REQUIRE(eventually([&] { return g.consuming_since(since + 300ms); }, 20s));
    since = clock_type::now();
    for (std::int32_t p = 0; p < partitions; ++p)
        g.faults().set_partition_leader(g.topic(), p, p % nodes + 1);
    REQUIRE(eventually([&] { return g.consuming_since(since + 300ms); }, 20s));
    since = clock_type::now();
    for (std::int32_t p = 0; p < partitions; ++p)
        g.faults().set_partition_leader(g.topic(), p, other_than(p % nodes + 1));
    (void)g.faults().drop_connections(-1, "");
    REQUIRE(eventually([&] { return g.consuming_since(since + 300ms); }, 20s));

    CHECK(g.assignments_so_far() == before);
    CHECK(g.revocations() == revoked_before);
    CHECK(g.losses() == 0);
    g.check_every_record_processed_and_committed(repeats::none);
}

TEST_CASE("group faults: the coordinator's node goes down and comes back: the members follow it, "
          "keep their "
          "partitions and commit again") {
    auto cluster = each_backend();
    faulted_group g(*cluster, "coordinator", 2);
    g.require_rebalanced_since({});
    const auto before = g.assignments_so_far();
    const auto revoked_before = g.revocations();
    g.faults_begin();
    const auto coordinator = coordinator_of(*cluster, g.group(), 1);
    REQUIRE(coordinator > 0);

    const auto down_at = clock_type::now();
    g.faults().set_node_state(coordinator, node_state::down);
    if (is_mock(*cluster)) {
        // The mock keeps the coordinator on the node that is down. It stays down for a second:
        // heartbeats and commits fail meanwhile, and the sessions (3 s) outlast it.
        CHECK(coordinator_of(*cluster, g.group(), other_than(coordinator)) == coordinator);
        std::this_thread::sleep_for(1s);
    } else {
        // kafkit-broker moves it to a node that is up; the members commit there.
        CHECK(coordinator_of(*cluster, g.group(), other_than(coordinator)) != coordinator);
        REQUIRE(eventually([&] { return g.commits_since(down_at + 100ms, outcome::succeeded) > 0; }, 20s));
    }
    const auto up_at = clock_type::now();
    g.faults().set_node_state(coordinator, node_state::up);
    CHECK(coordinator_of(*cluster, g.group(), coordinator) == coordinator);
    REQUIRE(eventually(
        [&] {
            return g.commits_since(up_at + 100ms, outcome::succeeded) > 0 &&
                   g.consuming_since(up_at + 100ms);
        },
        20s));

    CHECK(g.assignments_so_far() == before);
    CHECK(g.revocations() == revoked_before);
    CHECK(g.losses() == 0);
    g.check_every_record_processed_and_committed(repeats::none);
}
