#include "consumer_group_support.hpp"

#include "kafkit/testcontainers/mock_cluster.hpp"

#include <algorithm>
#include <set>
#include <unistd.h>

using namespace std::chrono_literals;

namespace kafkit::integration {

bool is_mock(const testcontainers::cluster& cluster) {
    return dynamic_cast<const testcontainers::mock_cluster*>(&cluster) != nullptr;
}

std::string session_timeout(const testcontainers::cluster& cluster) {
    return is_mock(cluster) ? "3000" : "6000";
}

kafkit::config group_config(const testcontainers::cluster& cluster, const std::string& group,
                            std::initializer_list<std::pair<std::string, std::string>> extra) {
    kafkit::config cfg{{"bootstrap.servers", cluster.bootstrap_servers()},
                       {"client.id", "kafkit-group-test"},
                       {"group.id", group},
                       {"auto.offset.reset", "earliest"},
                       {"enable.auto.commit", "false"},
                       {"fetch.max.wait.ms", "50"},
                       {"session.timeout.ms", session_timeout(cluster)},
                       {"heartbeat.interval.ms", "300"},
                       {"reconnect.backoff.ms", "10"},
                       {"retry.backoff.ms", "10"},
                       {"request.timeout.ms", "8000"}};
    for (const auto& [name, value] : extra)
        cfg.set(name, value);
    with_test_log(cfg);
    return cfg;
}

std::string group_name(const std::string& prefix) {
    static std::atomic<int> next{0};
    return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(next++);
}

void ledger::processed(std::int32_t partition, std::int64_t offset, const std::string& by) {
    std::lock_guard lock(mutex_);
    auto& e = entries_[{partition, offset}];
    ++e.times;
    e.by += (e.by.empty() ? "" : ",") + by;
}

std::string ledger::processed_by(std::int32_t partition, std::int64_t offset) const {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find({partition, offset});
    return it == entries_.end() ? "-" : it->second.by;
}

std::size_t ledger::distinct() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::size_t ledger::duplicates() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [key, e] : entries_)
        n += static_cast<std::size_t>(e.times - 1);
    return n;
}

bool ledger::has(std::int32_t partition, std::int64_t offset) const {
    std::lock_guard lock(mutex_);
    return entries_.count({partition, offset}) != 0;
}

int ledger::times(std::int32_t partition, std::int64_t offset) const {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find({partition, offset});
    return it == entries_.end() ? 0 : it->second.times;
}

std::size_t missing_from(const ledger& book, const std::vector<record_position>& written) {
    std::size_t missing = 0;
    for (const auto& [partition, offset] : written)
        missing += book.has(partition, offset) ? 0 : 1;
    return missing;
}

std::string describe_missing(const ledger& book, const std::vector<record_position>& written) {
    std::string out;
    int shown = 0;
    for (const auto& [partition, offset] : written) {
        if (book.has(partition, offset) || ++shown > 10) continue;
        out += " " + std::to_string(partition) + "@" + std::to_string(offset) + " (after " +
               book.processed_by(partition, offset - 1) + ", before " +
               book.processed_by(partition, offset + 1) + ")";
    }
    return out.empty() ? "none" : out;
}

namespace {

std::vector<topic_partition> without(std::vector<topic_partition> all, const std::vector<topic_partition>& gone) {
    all.erase(std::remove_if(all.begin(), all.end(),
                             [&](const auto& tp) { return std::find(gone.begin(), gone.end(), tp) != gone.end(); }),
              all.end());
    return all;
}

} // namespace

member::member(kafkit::config cfg, std::string topic, ledger& book, std::string name,
               commit_policy commits)
    : name_(std::move(name)), book_(book), policy_(commits) {
    thread_ =
        std::thread([this, cfg = std::move(cfg), topic = std::move(topic)] { run(cfg, topic); });
}

void member::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

std::vector<topic_partition> member::assignment() const {
    std::lock_guard lock(mutex_);
    return assignment_;
}

int member::times_assigned() const {
    std::lock_guard lock(mutex_);
    return times_assigned_;
}

std::vector<std::vector<topic_partition>> member::revocations() const {
    std::lock_guard lock(mutex_);
    return revocations_;
}

std::string member::failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
}

std::string member::poll_failure() const {
    std::lock_guard lock(mutex_);
    return poll_failure_;
}

std::vector<commit_outcome> member::commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
}

std::map<std::int32_t, int> member::processed_since(clock_type::time_point since) const {
    std::lock_guard lock(mutex_);
    std::map<std::int32_t, int> out;
    for (const auto& [at, partition] : times_)
        if (at >= since) ++out[partition];
    return out;
}

void member::run(const kafkit::config& cfg, const std::string& topic) {
    try {
        kafkit::consumer consumer(cfg);
        kafkit::rebalance_listener listener;
        // The assignment seen from other threads changes in the callbacks, so that a member
        // gone into a rebalance never shows the partitions it gave up.
        listener.on_revoked = [&](const std::vector<topic_partition>& revoked) {
            const auto ec = consumer.commit_sync(10s);
            note_commit({clock_type::now(), ec, true, {}});
            std::lock_guard lock(mutex_);
            revocations_.push_back(revoked);
            assignment_ = without(consumer.assignment(), revoked);
            if (ec) failure_ = name_ + ": commit in on_revoked failed: " + ec.message();
        };
        listener.on_assigned = [&](const std::vector<topic_partition>&) {
            std::lock_guard lock(mutex_);
            assignment_ = consumer.assignment();
            ++times_assigned_;
        };
        listener.on_lost = [&](const std::vector<topic_partition>& lost) {
            std::lock_guard lock(mutex_);
            ++losses_;
            assignment_ = without(consumer.assignment(), lost);
        };
        consumer.subscribe({topic}, listener);
        bool had_some = false;
        while (!stopping_)
            poll_once(consumer, had_some);
        consumer.close(10s);
    } catch (const std::exception& e) {
        note_problem(name_ + ": " + e.what());
    }
}

void member::poll_once(kafkit::consumer& consumer, bool& had_some) {
    auto batch = consumer.poll(50ms);
    for (const auto& e : batch.events())
        if (e.error) note_problem(name_ + ": poll reported " + e.error.message());
    const auto now = clock_type::now();
    for (const auto& r : batch) {
        book_.processed(r.partition.value(), r.offset.value(), name_);
        std::lock_guard lock(mutex_);
        times_.emplace_back(now, r.partition.value());
    }
    auto current = consumer.assignment();
    if (had_some && current.empty()) dropped_all_ = true;
    had_some = had_some || !current.empty();
    {
        std::lock_guard lock(mutex_);
        assignment_ = std::move(current);
    }
    maybe_commit(consumer);
}

void member::maybe_commit(kafkit::consumer& consumer) {
    if (policy_.async_interval.count() <= 0 || consumer.assignment().empty()) return;
    const auto now = clock_type::now();
    if (now < next_commit_) return;
    next_commit_ = now + policy_.async_interval;
    // The callback runs inside a later poll() on this thread.
    consumer.commit_async(
        [this](std::error_code ec, const std::map<topic_partition, offset_and_metadata>& offsets) {
            commit_outcome outcome{clock_type::now(), ec, false, {}};
            for (const auto& [tp, o] : offsets)
                outcome.offsets[tp.partition.value()] = o.offset.value();
            note_commit(std::move(outcome));
        });
}

void member::note_commit(commit_outcome outcome) {
    std::lock_guard lock(mutex_);
    commits_.push_back(std::move(outcome));
}

void member::note_problem(const std::string& what) {
    std::lock_guard lock(mutex_);
    failure_ = what;
    poll_failure_ = what;
}

bool split_among(const std::vector<const member*>& members, std::size_t partitions) {
    std::set<topic_partition> seen;
    for (const auto* m : members) {
        for (const auto& tp : m->assignment())
            if (!seen.insert(tp).second) return false;
    }
    return seen.size() == partitions;
}

writer::writer(testcontainers::cluster& cluster, std::string topic)
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
                if (ec)
                    ++failed_;
                else
                    written_.emplace_back(m.partition.value(), m.offset.value());
            });
            std::this_thread::sleep_for(1ms);
        }
    });
}

void writer::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    (void)producer_.flush(20s);
}

std::vector<record_position> writer::written() const {
    std::lock_guard lock(mutex_);
    return written_;
}

int writer::failed() const {
    std::lock_guard lock(mutex_);
    return failed_;
}

} // namespace kafkit::integration
