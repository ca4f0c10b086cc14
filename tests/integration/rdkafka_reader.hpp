#pragma once
// An independent reader for the producer tests: librdkafka's consumer (not kafkit's code,
// so a codec bug shared by our client and our broker cannot pass) assigned every partition
// of the topics from the beginning, reading until each partition's high watermark.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kafkit::integration {

/// One record as librdkafka's consumer returned it.
struct read_record {
    std::int32_t partition = -1;
    std::int64_t offset = -1;
    std::optional<std::string> key;   ///< nullopt: a null key
    std::optional<std::string> value; ///< nullopt: a null value
    /// Headers in order; a nullopt value is a null header value.
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    std::int64_t timestamp_ms = -1;
    bool log_append_time = false; ///< the timestamp type is LogAppendTime, not CreateTime
};

/// Every record of one topic, by partition, each partition in offset order.
struct topic_records {
    std::int32_t partition_count = 0;
    std::map<std::int32_t, std::vector<read_record>> by_partition;

    /// How many records in all.
    [[nodiscard]] std::size_t size() const;
    /// The records of `partition` (empty when it has none).
    [[nodiscard]] const std::vector<read_record>& partition(std::int32_t p) const;
};

/// Reads every record of `topics` from `bootstrap_servers` with librdkafka's consumer:
/// the watermarks first, then each partition from its low to its high watermark. Throws
/// std::runtime_error with librdkafka's reason when the topics' metadata or watermarks
/// cannot be had, a fetch fails for good, or `timeout` passes first.
std::map<std::string, topic_records>
read_topics(const std::string& bootstrap_servers, const std::vector<std::string>& topics,
            std::chrono::milliseconds timeout = std::chrono::seconds(20));

/// Waits until `topic`'s partitions hold at least `count` records in all (their high
/// watermarks summed), for producers that get no answer (acks=0); returns that sum, which
/// is below `count` when `timeout` passed first. Throws std::runtime_error as read_topics.
std::int64_t wait_for_records(const std::string& bootstrap_servers, const std::string& topic,
                              std::int64_t count,
                              std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// read_topics for one topic.
topic_records read_topic(const std::string& bootstrap_servers, const std::string& topic,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20));

} // namespace kafkit::integration
