// Subscribed consumers in groups against both test clusters: members joining, leaving and
// crashing while a producer writes; every record processed, none twice when the revoke
// callback commits; cooperative-sticky members keeping what is not moved; groups shared
// with confluent-kafka-python consumers; the max.poll.interval.ms bound.

#include "consumer_group_support.hpp"

#include "kafkit/consumer.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/testcontainers/child_process.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <map>
#include <sstream>
#include <thread>

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::partition_id;
using kafkit::topic_partition;

namespace {

/// A member in a process of its own: kafkit-test-group-member (which a test may kill) or
/// the confluent-kafka-python one. Both print "ASSIGNED n" and "R partition offset" lines.
class process_member {
public:
    static process_member kafkit(const kafkit::testcontainers::cluster& cluster, const std::string& group,
                                 const std::string& topic, std::vector<std::string> settings = {}) {
        const char* bin = std::getenv("KAFKIT_GROUP_MEMBER_BIN");
        REQUIRE(bin != nullptr);
        std::vector<std::string> args{cluster.bootstrap_servers(), group, topic,
                                      "session.timeout.ms=" + session_timeout(cluster), "heartbeat.interval.ms=300"};
        args.insert(args.end(), settings.begin(), settings.end());
        return process_member(bin, args);
    }
    static process_member confluent(const kafkit::testcontainers::cluster& cluster, const std::string& group,
                                    const std::string& topic, std::vector<std::string> settings = {}) {
        std::vector<std::string> args{KAFKIT_CONFLUENT_MEMBER, cluster.bootstrap_servers(), group, topic,
                                      "session.timeout.ms=" + session_timeout(cluster), "heartbeat.interval.ms=300"};
        args.insert(args.end(), settings.begin(), settings.end());
        return process_member("/usr/bin/python3", args);
    }

    /// Partitions held as last printed; 0 before the first assignment.
    [[nodiscard]] std::size_t held() const {
        std::size_t n = 0;
        for (const auto& line : process_->stdout_lines())
            if (line.rfind("ASSIGNED ", 0) == 0) n = std::stoul(line.substr(9));
        return n;
    }
    /// Every record it printed.
    [[nodiscard]] std::vector<record_position> records() const {
        std::vector<record_position> out;
        for (const auto& line : process_->stdout_lines()) {
            if (line.rfind("R ", 0) != 0) continue;
            std::istringstream in(line.substr(2));
            std::int32_t partition = -1;
            std::int64_t offset = -1;
            in >> partition >> offset;
            out.emplace_back(partition, offset);
        }
        return out;
    }
    void crash() {
        process_->signal(SIGKILL);
        REQUIRE(process_->wait_exit(10s).has_value());
    }
    /// confluent-kafka-python only: a clean close on SIGTERM.
    void close() {
        process_->signal(SIGTERM);
        CHECK_NOTHROW(process_->wait_for_line("CLOSED", 20s));
    }
    [[nodiscard]] std::string stderr_text() const { return process_->stderr_text(); }

private:
    process_member(const std::string& program, const std::vector<std::string>& args)
        : process_(std::make_unique<kafkit::testcontainers::child_process>(program, args)) {}
    std::unique_ptr<kafkit::testcontainers::child_process> process_;
};

void enter(ledger& book, const std::vector<record_position>& records, const std::string& by) {
    for (const auto& [partition, offset] : records) book.processed(partition, offset, by);
}

/// Polls `consumer` until it holds `partitions` partitions, or `timeout` passes.
bool poll_until_holding(kafkit::consumer& consumer, std::size_t partitions, std::chrono::milliseconds timeout) {
    return eventually(
        [&] {
            (void)consumer.poll(50ms);
            return consumer.assignment().size() == partitions;
        },
        timeout);
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
    const bool commits_in_rebalance = !is_mock(*cluster);
    if (commits_in_rebalance) CHECK(second->failure() == "");

    w.stop();
    const auto written = w.written();
    REQUIRE(w.failed() == 0);
    REQUIRE(written.size() > 100);
    CHECK(eventually([&] { return book.distinct() >= written.size(); }, 30s));
    CHECK(missing_from(book, written) == 0);
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

TEST_CASE("group: with enable.auto.commit, what a member processed is committed before its partitions move") {
    auto cluster = start_cluster(backend::kafkit_broker); // the mock refuses commits in rebalances
    const auto topic = new_topic(*cluster, "group-auto", 8);
    const auto group = group_name("auto");
    ledger book;
    writer w(*cluster, topic);
    // No commit in the listener: the auto-commit (before revocation, on the interval, and
    // in close) is all there is.
    const auto cfg = [&] {
        auto c = group_config(*cluster, group, {{"enable.auto.commit", "true"}, {"auto.commit.interval.ms", "200"}});
        return c;
    };
    class quiet_member {
    public:
        quiet_member(kafkit::config cfg, const std::string& topic, ledger& book, std::string name)
            : consumer_(cfg), book_(book), name_(std::move(name)) {
            consumer_.subscribe({topic});
            thread_ = std::thread([this] {
                while (!stopping_) {
                    auto batch = consumer_.poll(50ms);
                    for (const auto& r : batch) book_.processed(r.partition.value(), r.offset.value(), name_);
                    held_ = consumer_.assignment().size();
                }
                consumer_.close(10s);
            });
        }
        ~quiet_member() { stop(); }
        quiet_member(const quiet_member&) = delete;
        quiet_member& operator=(const quiet_member&) = delete;
        void stop() {
            stopping_ = true;
            if (thread_.joinable()) thread_.join();
        }
        [[nodiscard]] std::size_t held() const { return held_; }

    private:
        kafkit::consumer consumer_;
        ledger& book_;
        std::string name_;
        std::atomic<bool> stopping_{false};
        std::atomic<std::size_t> held_{0};
        std::thread thread_;
    };
    quiet_member first(cfg(), topic, book, "first");
    REQUIRE(eventually([&] { return first.held() == 8; }, 30s));
    auto second = std::make_unique<quiet_member>(cfg(), topic, book, "second");
    REQUIRE(eventually([&] { return first.held() == 4 && second->held() == 4; }, 30s));
    second->stop(); // close: auto-commit, then LeaveGroup
    REQUIRE(eventually([&] { return first.held() == 8; }, 30s));
    w.stop();
    const auto written = w.written();
    CHECK(eventually([&] { return missing_from(book, written) == 0; }, 30s));
    CHECK(book.duplicates() == 0);
}

TEST_CASE("group: a member that crashes (no LeaveGroup) loses nothing: the others redo only what it left uncommitted") {
    auto cluster = each_backend();
    const auto topic = new_topic(*cluster, "group-crash", 12);
    const auto group = group_name("crash");
    ledger book;
    writer w(*cluster, topic);

    member first(group_config(*cluster, group), topic, book, "first");
    REQUIRE(eventually([&] { return first.assignment().size() == 12; }, 30s));
    auto doomed = process_member::kafkit(*cluster, group, topic);
    REQUIRE(eventually([&] { return first.assignment().size() == 6 && doomed.held() == 6; }, 30s));
    member third(group_config(*cluster, group), topic, book, "third");
    REQUIRE(eventually([&] { return first.assignment().size() == 4 && third.assignment().size() == 4 && doomed.held() == 4; },
                       30s));
    std::this_thread::sleep_for(500ms); // let it process some records it will not commit
    doomed.crash();
    // Its partitions move once the coordinator gives up on its session.
    REQUIRE(eventually([&] { return split_among({&first, &third}, 12); }, 30s));

    w.stop();
    const auto written = w.written();
    REQUIRE(w.failed() == 0);
    ledger crashed;
    enter(crashed, doomed.records(), "crashed");
    CHECK(crashed.distinct() > 0);
    // With what the crashed member processed, nothing is missing; the survivors repeated
    // nothing among themselves (what they redid is what it processed without committing).
    const auto missing = [&] {
        std::size_t n = 0;
        for (const auto& [partition, offset] : written) n += book.has(partition, offset) || crashed.has(partition, offset) ? 0 : 1;
        return n;
    };
    CHECK(eventually([&] { return missing() == 0; }, 30s));
    if (is_mock(*cluster)) return; // the mock refuses commits during rebalances: at least once only
    CHECK(book.duplicates() == 0);
    CHECK(first.failure() == "");
    CHECK(third.failure() == "");
}

TEST_CASE("group: kafkit and confluent-kafka-python consumers share a group and hand over cleanly") {
    auto cluster = each_backend();
    const auto exact = !is_mock(*cluster); // the mock refuses commits during a rebalance
    // Both assignors against Kafka's semantics; the mock, slow to rebalance, with one.
    const std::vector<std::string> strategies =
        exact ? std::vector<std::string>{"range", "cooperative-sticky"} : std::vector<std::string>{"range"};
    for (const auto& strategy : strategies) {
        CAPTURE(strategy);
        const auto topic = new_topic(*cluster, "group-mixed", 12);
        const auto group = group_name("mixed");
        ledger book;
        writer w(*cluster, topic);
        auto ours = std::make_unique<member>(
            group_config(*cluster, group, {{"partition.assignment.strategy", strategy}}), topic, book, "kafkit");
        REQUIRE(eventually([&] { return ours->assignment().size() == 12; }, 30s));
        auto theirs = process_member::confluent(*cluster, group, topic, {"partition.assignment.strategy=" + strategy});
        REQUIRE(eventually([&] { return ours->assignment().size() == 6 && theirs.held() == 6; }, 40s));
        // kafkit leaves: the Python member takes over from the offsets kafkit committed.
        ours->stop();
        if (exact) CHECK(ours->failure() == "");
        REQUIRE(eventually([&] { return theirs.held() == 12; }, 30s));
        // And back: a kafkit member joins, the Python member leaves.
        auto again = std::make_unique<member>(
            group_config(*cluster, group, {{"partition.assignment.strategy", strategy}}), topic, book, "kafkit-2");
        REQUIRE(eventually([&] { return again->assignment().size() == 6 && theirs.held() == 6; }, 40s));
        theirs.close();
        REQUIRE(eventually([&] { return again->assignment().size() == 12; }, 30s));

        w.stop();
        const auto written = w.written();
        REQUIRE(w.failed() == 0);
        enter(book, theirs.records(), "confluent");
        CHECK(eventually([&] { return missing_from(book, written) == 0; }, 30s));
        INFO("missing: " << describe_missing(book, written));
        CHECK(missing_from(book, written) == 0);
        if (exact) CHECK(book.duplicates() == 0);
        if (exact) CHECK(again->failure() == "");
        INFO("confluent member's stderr: " << theirs.stderr_text());
        CHECK_FALSE(theirs.records().empty());
    }
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
    REQUIRE(poll_until_holding(slow, 4, 30s));
    std::this_thread::sleep_for(3s); // "processing" for longer than max.poll.interval.ms
    auto batch = slow.poll(100ms);
    bool told = false;
    for (const auto& e : batch.events()) {
        MESSAGE("event: " << e.error.message());
        told = told || e.error == kafkit::errc::max_poll_exceeded;
    }
    CHECK(told);
    CHECK(lost.size() == 4);
    CHECK(poll_until_holding(slow, 4, 30s));
}

TEST_CASE("group: a static member back within session.timeout.ms gets its partitions without a rebalance") {
    // kafkit-broker only: librdkafka 2.0's mock has no static membership (KIP-345); it
    // rebalances when a static member goes and when it comes back.
    auto cluster = start_cluster(backend::kafkit_broker);
    const auto topic = new_topic(*cluster, "group-static", 4);
    const auto group = group_name("static");
    ledger book;
    const auto cfg = [&](const char* instance) {
        return group_config(*cluster, group, {{"group.instance.id", instance}, {"session.timeout.ms", "20000"}});
    };
    member a(cfg("a"), topic, book, "a");
    REQUIRE(eventually([&] { return a.assignment().size() == 4; }, 30s));
    auto b = std::make_unique<member>(cfg("b"), topic, book, "b");
    REQUIRE(eventually([&] { return split_among({&a, b.get()}, 4) && b->assignment().size() == 2; }, 30s));
    const auto held_by_b = b->assignment();
    const auto revocations_of_a = a.revocations().size();
    b->stop(); // closes without LeaveGroup: a static member's partitions wait for it
    b.reset();
    std::this_thread::sleep_for(1s);
    CHECK(a.assignment().size() == 2);
    member back(cfg("b"), topic, book, "b again");
    REQUIRE(eventually([&] { return back.assignment() == held_by_b; }, 30s));
    CHECK(a.assignment().size() == 2);
    CHECK(a.revocations().size() == revocations_of_a); // the group did not rebalance
    CHECK(a.failure() == "");
    CHECK(back.failure() == "");
}

TEST_CASE("group: a pattern subscription takes the matching topics, and new ones as they are created") {
    auto cluster = each_backend();
    const auto prefix = group_name("rx");
    new_topic(*cluster, prefix, 2);
    new_topic(*cluster, prefix, 3);
    new_topic(*cluster, group_name("other"), 4);
    kafkit::consumer consumer(group_config(*cluster, group_name("pattern"), {{"metadata.max.age.ms", "300"}}));
    consumer.subscribe({"^" + prefix + "-[0-9]+"});
    REQUIRE(poll_until_holding(consumer, 5, 30s));
    for (const auto& tp : consumer.assignment()) CHECK(tp.topic.rfind(prefix, 0) == 0);
    new_topic(*cluster, prefix, 1); // found by the next metadata refresh: the group rebalances
    CHECK(poll_until_holding(consumer, 6, 30s));
    CHECK_THROWS_AS(consumer.subscribe({"^(unclosed"}), kafkit::exception);
}

TEST_CASE("group: destroying a subscribed consumer leaves the group, its listener still able to use it") {
    auto cluster = start_cluster(backend::kafkit_broker, 1);
    const auto topic = new_topic(*cluster, "group-dtor", 2);
    const auto group = group_name("dtor");
    std::error_code commit_in_revoke = make_error_code(kafkit::errc::invalid_state);
    std::vector<topic_partition> revoked;
    {
        // A session of 30 s: a member that did not leave would hold its partitions that long.
        kafkit::consumer consumer(group_config(*cluster, group, {{"session.timeout.ms", "30000"}}));
        kafkit::rebalance_listener listener;
        listener.on_revoked = [&](const std::vector<topic_partition>& p) {
            revoked = p;
            commit_in_revoke = consumer.commit_sync(5s);
        };
        consumer.subscribe({topic}, listener);
        REQUIRE(poll_until_holding(consumer, 2, 30s));
    } // no close(): the destructor revokes and leaves
    CHECK(revoked.size() == 2);
    CHECK_FALSE(commit_in_revoke);
    // Left, not expired: a new member gets both partitions well before that session's end.
    kafkit::consumer next(group_config(*cluster, group));
    next.subscribe({topic});
    CHECK(poll_until_holding(next, 2, 15s));
}

TEST_CASE("group: what a rebalance listener throws comes out of poll() after the rebalance") {
    auto cluster = start_cluster(backend::kafkit_broker, 1);
    const auto topic = new_topic(*cluster, "group-throw", 2);
    kafkit::consumer consumer(group_config(*cluster, group_name("throw")));
    int calls = 0;
    kafkit::rebalance_listener listener;
    listener.on_assigned = [&](const std::vector<topic_partition>&) {
        if (++calls == 1) throw std::runtime_error("listener failed");
    };
    consumer.subscribe({topic}, listener);
    bool thrown = false;
    REQUIRE(eventually(
        [&] {
            try {
                (void)consumer.poll(50ms);
            } catch (const std::runtime_error& e) {
                thrown = std::string(e.what()) == "listener failed";
            }
            return thrown;
        },
        30s));
    // The assignment went through all the same, and polling goes on.
    CHECK(consumer.assignment().size() == 2);
    CHECK_NOTHROW((void)consumer.poll(50ms));
    CHECK(calls == 1);
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
