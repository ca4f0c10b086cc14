#pragma once
// What the producer integration tests share: a cluster of each backend, producer configs
// tuned for loopback, a log of delivery outcomes to wait on, and the check that a stream of
// numbered records arrived exactly once and in order per partition.

#include "kafkit/config.hpp"
#include "kafkit/producer.hpp"
#include "kafkit/testcontainers/cluster.hpp"
#include "rdkafka_reader.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace kafkit::integration {

/// The two test clusters, both as `cluster&`.
enum class backend { kafkit_broker, librdkafka_mock };

/// A cluster of `brokers` nodes of that backend (the reference broker as a child process,
/// librdkafka's mock in this process).
std::unique_ptr<testcontainers::cluster> start_cluster(backend kind, int brokers = 3);

/// Runs the calling test case once per backend, one doctest SUBCASE each, and returns
/// that run's cluster (3 brokers).
std::unique_ptr<testcontainers::cluster> each_backend();

/// A producer config for `cluster` with short backoffs for loopback, plus `extra`
/// (which wins). With KAFKIT_TEST_LOG set, log lines of warning and above go to stderr;
/// with KAFKIT_TEST_LOG=debug, every line.
kafkit::config
producer_config(const testcontainers::cluster& cluster,
                std::initializer_list<std::pair<std::string, std::string>> extra = {});

/// With KAFKIT_TEST_LOG set, sends `cfg`'s log lines of warning and above to stderr; with
/// KAFKIT_TEST_LOG=debug, every line.
void with_test_log(kafkit::config& cfg);
/// Creates a topic of `partitions` partitions on `cluster`, named `prefix` and a number no
/// other test of this run uses; returns its name.
std::string new_topic(testcontainers::cluster& cluster, const std::string& prefix,
                      std::int32_t partitions);

/// One record's delivery outcome as its callback saw it.
struct delivery_outcome {
    std::error_code error;
    std::int32_t partition = -1;
    std::int64_t offset = -1;
    std::int64_t timestamp_ms = -1;
    std::int32_t key_size = -1;
    std::int32_t value_size = -1;
    int calls = 0; ///< how many times the callback ran (exactly once is the contract)
};

/// Collects the outcomes of records 0..n-1, each through its own callback. Must outlive
/// the producer whose callbacks it hands out (declare it first). Thread-safe.
class delivery_log {
public:
    explicit delivery_log(std::size_t records) : outcomes_(records) {}

    /// The callback for record `index`.
    kafkit::delivery_callback callback(std::size_t index);
    /// Waits until `count` callbacks ran (counting repeats), or `timeout` passes.
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout);
    /// Waits until every record's callback ran at least once.
    bool wait_all(std::chrono::milliseconds timeout) { return wait_for(outcomes_.size(), timeout); }
    /// Callbacks run so far.
    [[nodiscard]] std::size_t completed() const;
    /// A copy of every outcome.
    [[nodiscard]] std::vector<delivery_outcome> outcomes() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<delivery_outcome> outcomes_;
    std::size_t completed_ = 0;
};

/// A record to send that owns its bytes, with every kind of content the producer must carry.
struct sample_record {
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    std::optional<std::int64_t> timestamp_ms; ///< nullopt: the producer stamps the send time
};

/// `count` samples cycling through null, empty and text keys and values, large compressible
/// values, no headers, repeated header keys, null and empty header values, more headers
/// than fit inline, explicit timestamps and send-time ones. With `binary`, also keys and
/// values with NUL and high bytes (not for readers that print JSON).
std::vector<sample_record> sample_records(std::size_t count, bool binary);

/// A producer_record viewing `sample`; `headers` holds the header views and must live
/// until send() returns.
kafkit::producer_record view_of(std::string_view topic, const sample_record& sample,
                                std::vector<kafkit::header>& headers);

/// Empty when `read` carries exactly `sent`'s key, value, headers and timestamp (a
/// send-time timestamp must lie in [sent_from_ms, sent_to_ms]); else what differs.
std::string difference(const sample_record& sent, const read_record& read,
                       std::int64_t sent_from_ms, std::int64_t sent_to_ms);

/// Now, in milliseconds since the epoch.
std::int64_t wall_clock_ms();

/// The value of numbered record `n` ("seq=<n>;" and `padding` bytes of filler).
std::string numbered_value(std::size_t n, std::size_t padding = 0);
/// The number in a numbered_value, or nullopt when it is not one.
std::optional<std::size_t> number_of(const std::optional<std::string>& value);

/// What reading back a stream of numbered records found.
struct stream_report {
    std::size_t read = 0;                ///< records read
    std::size_t lost = 0;                ///< expected numbers never read
    std::size_t duplicated = 0;          ///< extra copies of numbers read more than once
    std::vector<std::size_t> duplicates; ///< the numbers of those copies
    std::size_t unexpected = 0;   ///< numbers that should not be there (failed, or not numbered)
    std::size_t out_of_order = 0; ///< places where a partition's first copies do not increase
    std::size_t misplaced = 0;    ///< successes not at the partition and offset their callback said
    std::string first_problem;    ///< the first problem found, for the failure message
};

/// Checks the stream: every record whose outcome is success read exactly once, at the
/// partition and offset its callback reported (offset -1 is not checked), numbers rising
/// within each partition, and no record whose callback reported an error. Extra copies
/// are counted as duplicates and left out of the order check.
stream_report check_stream(const topic_records& read,
                           const std::vector<delivery_outcome>& outcomes);

/// This process's resident set size in KiB (VmRSS of /proc/self/status).
std::int64_t resident_kib();

} // namespace kafkit::integration
