#pragma once
// What the consumer group integration tests share: member configs for each backend, a
// ledger of processed records, members polling on threads of their own, a writer producing
// while they do, and waiting for a condition with a deadline.

#include "producer_test_support.hpp"

#include "kafkit/consumer.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace kafkit::integration {

using clock_type = std::chrono::steady_clock;
/// A record by partition and offset.
using record_position = std::pair<std::int32_t, std::int64_t>;

/// True for librdkafka's mock cluster.
bool is_mock(const testcontainers::cluster& cluster);

/// The session timeout of the tests' members: the mock waits for a joining group up to one
/// second less than it, so it is short there; Kafka's brokers refuse less than 6 s.
std::string session_timeout(const testcontainers::cluster& cluster);

/// A member's config for `group` on `cluster`: manual commits, short waits and backoffs,
/// plus `extra` (which wins).
kafkit::config group_config(const testcontainers::cluster& cluster, const std::string& group,
                            std::initializer_list<std::pair<std::string, std::string>> extra = {});

/// A group name no other test of this process uses.
std::string group_name(const std::string& prefix);

/// Every record the members processed, by partition and offset, with how often and by whom.
/// Thread-safe.
class ledger {
public:
    void processed(std::int32_t partition, std::int64_t offset, const std::string& by);
    /// Who processed `partition` at `offset` ("-" for nobody), for failure messages.
    [[nodiscard]] std::string processed_by(std::int32_t partition, std::int64_t offset) const;
    [[nodiscard]] std::size_t distinct() const;
    /// Extra copies: processings beyond the first of each record.
    [[nodiscard]] std::size_t duplicates() const;
    [[nodiscard]] bool has(std::int32_t partition, std::int64_t offset) const;
    /// How often the record was processed.
    [[nodiscard]] int times(std::int32_t partition, std::int64_t offset) const;

private:
    struct entry {
        int times = 0;
        std::string by;
    };
    mutable std::mutex mutex_;
    std::map<record_position, entry> entries_;
};

/// How many of `written` the ledger does not have.
std::size_t missing_from(const ledger& book, const std::vector<record_position>& written);
/// The first few records written but not processed, for a failure's message.
std::string describe_missing(const ledger& book, const std::vector<record_position>& written);

/// One commit a member made and how it ended.
struct commit_outcome {
    clock_type::time_point at;
    std::error_code error;
    bool in_revoke = false;                       ///< the synchronous one of the revoke callback
    std::map<std::int32_t, std::int64_t> offsets; ///< by partition; empty for the revoke callback's
};

/// How a member commits besides the synchronous commit of its revoke callback.
struct commit_policy {
    /// commit_async() of every position this often while it holds partitions (0: never).
    std::chrono::milliseconds async_interval{0};
};

/// A subscribed consumer polling on its own thread into a ledger; its revoke callback
/// commits synchronously what it processed.
class member {
public:
    member(kafkit::config cfg, std::string topic, ledger& book, std::string name,
           commit_policy commits = {});
    ~member() { stop(); }
    member(const member&) = delete;
    member& operator=(const member&) = delete;

    /// Closes the consumer (leaving the group) and joins the thread.
    void stop();

    [[nodiscard]] const std::string& name() const { return name_; }

    [[nodiscard]] std::vector<topic_partition> assignment() const;
    /// How many rebalances gave it an assignment (on_assigned calls); changes together with
    /// assignment().
    [[nodiscard]] int times_assigned() const;
    /// Whether the member's partitions ever went to zero after it first had some.
    [[nodiscard]] bool dropped_all() const { return dropped_all_; }
    [[nodiscard]] std::vector<std::vector<topic_partition>> revocations() const;
    [[nodiscard]] int losses() const { return losses_; }
    /// The last problem: an exception, an error event from poll(), or a failed commit in
    /// the revoke callback; empty when none.
    [[nodiscard]] std::string failure() const;
    /// The last exception or poll() error event only; empty when none.
    [[nodiscard]] std::string poll_failure() const;
    /// Every commit it made, in the order they ended.
    [[nodiscard]] std::vector<commit_outcome> commits() const;
    /// Records processed per partition since `since`.
    [[nodiscard]] std::map<std::int32_t, int> processed_since(clock_type::time_point since) const;

private:
    void run(const kafkit::config& cfg, const std::string& topic);
    void poll_once(kafkit::consumer& consumer, bool& had_some);
    void maybe_commit(kafkit::consumer& consumer);
    void note_commit(commit_outcome outcome);
    void note_problem(const std::string& what);

    std::string name_;
    ledger& book_;
    commit_policy policy_;
    clock_type::time_point next_commit_;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> dropped_all_{false};
    std::atomic<int> losses_{0};
    mutable std::mutex mutex_;
    std::vector<topic_partition> assignment_;
    int times_assigned_ = 0;
    std::vector<std::vector<topic_partition>> revocations_;
    std::vector<std::pair<clock_type::time_point, std::int32_t>> times_;
    std::vector<commit_outcome> commits_;
    std::string failure_;
    std::string poll_failure_;
    std::thread thread_;
};

/// True when the members' assignments are disjoint and cover `partitions` partitions.
bool split_among(const std::vector<const member*>& members, std::size_t partitions);

/// Writes records to `topic` on its own thread until stopped, remembering each one's
/// partition and offset.
class writer {
public:
    writer(testcontainers::cluster& cluster, std::string topic);
    ~writer() { stop(); }
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    /// Stops writing and waits for the records sent to be delivered.
    void stop();
    [[nodiscard]] std::vector<record_position> written() const;
    [[nodiscard]] int failed() const;

private:
    kafkit::producer producer_;
    std::string topic_;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::vector<record_position> written_;
    int failed_ = 0;
    std::thread thread_;
};

/// Waits until `done` holds or `timeout` passes; returns its last value.
template <class Done> bool eventually(Done done, std::chrono::milliseconds timeout) {
    const auto deadline = clock_type::now() + timeout;
    while (clock_type::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

} // namespace kafkit::integration
