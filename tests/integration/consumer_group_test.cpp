// Subscribed consumers in groups against both test clusters: members joining and leaving
// while a producer writes; every record processed, none twice when the revoke callback
// commits; cooperative-sticky members keeping what is not moved; leaving on close; the
// max.poll.interval.ms bound; static membership.

#include "producer_test_support.hpp"

#include "kafkit/consumer.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/testcontainers/mock_cluster.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::partition_id;
using kafkit::topic_partition;
using clock_type = std::chrono::steady_clock;

namespace {

kafkit::config group_config(const kafkit::testcontainers::cluster& cluster, const std::string& group,
                            std::initializer_list<std::pair<std::string, std::string>> extra = {}) {
    kafkit::config cfg{{"bootstrap.servers", cluster.bootstrap_servers()},
                       {"client.id", "kafkit-group-test"},
                       {"group.id", group},
                       {"auto.offset.reset", "earliest"},
                       {"enable.auto.commit", "false"},
                       {"fetch.max.wait.ms", "50"},
                       {"session.timeout.ms", "6000"},
                       {"heartbeat.interval.ms", "300"},
                       {"reconnect.backoff.ms", "10"},
                       {"retry.backoff.ms", "10"},
                       {"request.timeout.ms", "8000"}};
    for (const auto& [name, value] : extra) cfg.set(name, value);
    with_test_log(cfg);
    return cfg;
}

/// Every record the members processed, by partition and offset, with how often and when.
class ledger {
public:
    void processed(std::int32_t partition, std::int64_t offset) {
        std::lock_guard lock(mutex_);
        auto& e = entries_[{partition, offset}];
        ++e.times;
        e.last_at = clock_type::now();
    }
    [[nodiscard]] std::size_t distinct() const {
        std::lock_guard lock(mutex_);
        return entries_.size();
    }
    [[nodiscard]] std::size_t duplicates() const {
        std::lock_guard lock(mutex_);
        std::size_t n = 0;
        for (const auto& [key, e] : entries_) n += static_cast<std::size_t>(e.times - 1);
        return n;
    }
    [[nodiscard]] bool has(std::int32_t partition, std::int64_t offset) const {
        std::lock_guard lock(mutex_);
        return entries_.count({partition, offset}) != 0;
    }

private:
    struct entry {
        int times = 0;
        clock_type::time_point last_at;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::int32_t, std::int64_t>, entry> entries_;
};

/// A subscribed consumer polling on its own thread into a ledger; its revoke callback
/// commits synchronously what it processed.
class member {
public:
    member(kafkit::config cfg, std::string topic, ledger& book, std::string name)
        : name_(std::move(name)), book_(book) {
        thread_ = std::thread([this, cfg = std::move(cfg), topic = std::move(topic)] { run(cfg, topic); });
    }
    ~member() { stop(); }
    member(const member&) = delete;
    member& operator=(const member&) = delete;

    /// Closes the consumer (leaving the group) and joins the thread.
    void stop() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }

    [[nodiscard]] std::vector<topic_partition> assignment() const {
        std::lock_guard lock(mutex_);
        return assignment_;
    }
    /// Whether the member's partitions ever went to zero after it first had some.
    [[nodiscard]] bool dropped_all() const { return dropped_all_; }
    [[nodiscard]] std::vector<std::vector<topic_partition>> revocations() const {
        std::lock_guard lock(mutex_);
        return revocations_;
    }
    [[nodiscard]] int losses() const { return losses_; }
    [[nodiscard]] std::string failure() const {
        std::lock_guard lock(mutex_);
        return failure_;
    }
    /// Records processed per partition since `since`.
    [[nodiscard]] std::map<std::int32_t, int> processed_since(clock_type::time_point since) const {
        std::lock_guard lock(mutex_);
        std::map<std::int32_t, int> out;
        for (const auto& [at, partition] : times_)
            if (at >= since) ++out[partition];
        return out;
    }

private:
    void run(const kafkit::config& cfg, const std::string& topic) {
        try {
            kafkit::consumer consumer(cfg);
            kafkit::rebalance_listener listener;
            listener.on_revoked = [&](const std::vector<topic_partition>& revoked) {
                const auto ec = consumer.commit_sync(10s);
                std::lock_guard lock(mutex_);
                revocations_.push_back(revoked);
                if (ec) failure_ = name_ + ": commit in on_revoked failed: " + ec.message();
            };
            listener.on_lost = [&](const std::vector<topic_partition>&) { ++losses_; };
            consumer.subscribe({topic}, listener);
            bool had_some = false;
            while (!stopping_) {
                auto batch = consumer.poll(50ms);
                for (const auto& e : batch.events())
                    if (e.error) {
                        std::lock_guard lock(mutex_);
                        failure_ = name_ + ": poll reported " + e.error.message();
                    }
                const auto now = clock_type::now();
                for (const auto& r : batch) {
                    book_.processed(r.partition.value(), r.offset.value());
                    std::lock_guard lock(mutex_);
                    times_.emplace_back(now, r.partition.value());
                }
                auto current = consumer.assignment();
                if (had_some && current.empty()) dropped_all_ = true;
                had_some = had_some || !current.empty();
                std::lock_guard lock(mutex_);
                assignment_ = std::move(current);
            }
            consumer.close(10s);
        } catch (const std::exception& e) {
            std::lock_guard lock(mutex_);
            failure_ = name_ + ": " + e.what();
        }
    }

    std::string name_;
    ledger& book_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> dropped_all_{false};
    std::atomic<int> losses_{0};
    mutable std::mutex mutex_;
    std::vector<topic_partition> assignment_;
    std::vector<std::vector<topic_partition>> revocations_;
    std::vector<std::pair<clock_type::time_point, std::int32_t>> times_;
    std::string failure_;
    std::thread thread_;
};

/// Writes records to `topic` on its own thread until stopped, remembering each one's
/// partition and offset.
class writer {
public:
    writer(kafkit::testcontainers::cluster& cluster, std::string topic)
        : producer_(producer_config(cluster, {{"linger.ms", "2"}})), topic_(std::move(topic)) {
        thread_ = std::thread([this] {
            for (int i = 0; !stopping_; ++i) {
                const auto key = std::to_string(i);
                kafkit::producer_record r;
                r.topic = topic_;
                r.key = key;
                r.value = key;
                (void)producer_.send(r, [this](std::error_code ec, const kafkit::record_metadata& m) {
                    std::lock_guard lock(mutex_);
                    if (ec) ++failed_;
                    else written_.emplace_back(m.partition.value(), m.offset.value());
                });
                std::this_thread::sleep_for(1ms);
            }
        });
    }
    ~writer() { stop(); }
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    void stop() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
        (void)producer_.flush(20s);
    }
    [[nodiscard]] std::vector<std::pair<std::int32_t, std::int64_t>> written() const {
        std::lock_guard lock(mutex_);
        return written_;
    }
    [[nodiscard]] int failed() const {
        std::lock_guard lock(mutex_);
        return failed_;
    }

private:
    kafkit::producer producer_;
    std::string topic_;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::vector<std::pair<std::int32_t, std::int64_t>> written_;
    int failed_ = 0;
    std::thread thread_;
};

/// Waits until `done` holds or `timeout` passes.
template <class Done> bool eventually(Done done, std::chrono::milliseconds timeout) {
    const auto deadline = clock_type::now() + timeout;
    while (clock_type::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return done();
}

std::size_t total(const std::vector<const member*>& members) {
    std::size_t n = 0;
    for (const auto* m : members) n += m->assignment().size();
    return n;
}

/// True when the members' assignments are disjoint and cover `partitions` partitions.
bool split_among(const std::vector<const member*>& members, std::size_t partitions) {
    std::set<topic_partition> seen;
    for (const auto* m : members) {
        for (const auto& tp : m->assignment())
            if (!seen.insert(tp).second) return false;
    }
    return seen.size() == partitions;
}

std::string group_name(const std::string& prefix) {
    static std::atomic<int> next{0};
    return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(next++);
}

} // namespace

TEST_CASE("group: members joining and leaving while a producer writes process every record once") {
    auto cluster = each_backend();
    const auto topic = new_topic(*cluster, "group-churn", 12);
    const auto group = group_name("churn");
    ledger book;
    writer w(*cluster, topic);

    member first(group_config(*cluster, group), topic, book, "first");
    REQUIRE(eventually([&] { return first.assignment().size() == 12; }, 30s));
    auto second = std::make_unique<member>(group_config(*cluster, group), topic, book, "second");
    REQUIRE(eventually([&] { return split_among({&first, second.get()}, 12) && second->assignment().size() == 6; }, 30s));
    member third(group_config(*cluster, group), topic, book, "third");
    REQUIRE(eventually([&] { return split_among({&first, second.get(), &third}, 12) && third.assignment().size() == 4; },
                       30s));
    second->stop(); // leaves: the others take its partitions without waiting for its session
    REQUIRE(eventually([&] { return split_among({&first, &third}, 12); }, 30s));
    // librdkafka's mock refuses every OffsetCommit from the moment a rebalance begins
    // (REBALANCE_IN_PROGRESS), where Kafka takes commits of the current generation until
    // the new one is formed; an eager member's revocation commit cannot succeed there.
    const bool commits_in_rebalance = dynamic_cast<kafkit::testcontainers::mock_cluster*>(cluster.get()) == nullptr;
    if (commits_in_rebalance) CHECK(second->failure() == "");

    w.stop();
    const auto written = w.written();
    REQUIRE(w.failed() == 0);
    REQUIRE(written.size() > 100);
    CHECK(eventually([&] { return book.distinct() >= written.size(); }, 30s));
    std::size_t missing = 0;
    for (const auto& [partition, offset] : written) missing += book.has(partition, offset) ? 0 : 1;
    CHECK(missing == 0);
    CHECK(first.losses() == 0);
    if (!commits_in_rebalance) return; // the mock: at least once, not exactly once
    CHECK(book.duplicates() == 0);     // revocations committed what was processed
    CHECK(first.failure() == "");
    CHECK(third.failure() == "");
}

TEST_CASE("group: cooperative-sticky members keep consuming what a rebalance does not move") {
    auto cluster = each_backend();
    const auto topic = new_topic(*cluster, "group-coop", 12);
    const auto group = group_name("coop");
    ledger book;
    writer w(*cluster, topic);
    const auto cfg = [&] { return group_config(*cluster, group, {{"partition.assignment.strategy", "cooperative-sticky"}}); };

    member first(cfg(), topic, book, "first");
    REQUIRE(eventually([&] { return first.assignment().size() == 12; }, 30s));
    const auto joined_at = clock_type::now();
    member second(cfg(), topic, book, "second");
    REQUIRE(eventually([&] { return split_among({&first, &second}, 12) && second.assignment().size() == 6; }, 30s));
    const auto settled_at = clock_type::now();

    // The first member gave up exactly the six that moved, once, and never all of them.
    const auto revocations = first.revocations();
    REQUIRE(revocations.size() == 1);
    CHECK(revocations.front().size() == 6);
    CHECK_FALSE(first.dropped_all());
    // And it went on consuming the six it kept while the second one was joining.
    const auto kept = first.assignment();
    std::map<std::int32_t, int> during;
    for (const auto& [partition, n] : first.processed_since(joined_at)) during[partition] = n;
    int kept_consumed = 0;
    for (const auto& tp : kept) kept_consumed += during.count(tp.partition.value()) != 0 ? 1 : 0;
    CHECK(kept_consumed > 0);
    (void)settled_at;

    w.stop();
    const auto written = w.written();
    CHECK(eventually([&] { return book.distinct() >= written.size(); }, 30s));
    CHECK(book.duplicates() == 0);
    CHECK(first.failure() == "");
    CHECK(second.failure() == "");
}

TEST_CASE("group: a member that does not poll within max.poll.interval.ms leaves, is told, and rejoins") {
    auto cluster = each_backend();
    const auto topic = new_topic(*cluster, "group-slow", 4);
    const auto group = group_name("slow");
    kafkit::consumer slow(group_config(*cluster, group, {{"max.poll.interval.ms", "1500"}}));
    std::vector<topic_partition> lost;
    kafkit::rebalance_listener listener;
    listener.on_lost = [&](const std::vector<topic_partition>& p) { lost = p; };
    slow.subscribe({topic}, listener);
    REQUIRE(eventually(
        [&] {
            (void)slow.poll(50ms);
            return slow.assignment().size() == 4;
        },
        30s));
    std::this_thread::sleep_for(3s); // "processing" for longer than max.poll.interval.ms
    auto batch = slow.poll(100ms);
    bool told = false;
    for (const auto& e : batch.events()) told = told || e.error == kafkit::errc::max_poll_exceeded;
    CHECK(told);
    CHECK(lost.size() == 4);
    CHECK(eventually(
        [&] {
            (void)slow.poll(50ms);
            return slow.assignment().size() == 4;
        },
        30s));
}

TEST_CASE("group: subscribe needs a group.id and excludes manual assignment") {
    auto cluster = start_cluster(backend::kafkit_broker, 1);
    const auto topic = new_topic(*cluster, "group-misuse", 1);
    kafkit::config no_group{{"bootstrap.servers", cluster->bootstrap_servers()}, {"enable.auto.commit", "false"}};
    kafkit::consumer loner(no_group);
    try {
        loner.subscribe({topic});
        FAIL("subscribe without group.id");
    } catch (const kafkit::exception& e) {
        CHECK(e.code() == kafkit::kafka_errc::invalid_group_id);
    }
    kafkit::consumer grouped(group_config(*cluster, group_name("misuse")));
    grouped.subscribe({topic});
    CHECK(grouped.subscription() == std::vector<std::string>{topic});
    CHECK_THROWS_AS(grouped.assign({{topic, partition_id(0)}}), kafkit::exception);
    grouped.unsubscribe();
    CHECK(grouped.subscription().empty());
    grouped.assign({{topic, partition_id(0)}});
    CHECK_THROWS_AS(grouped.subscribe({topic}), kafkit::exception);
}
