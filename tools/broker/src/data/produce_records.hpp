#pragma once
// Validation of one partition's records in a Produce request, and the assignment of
// offsets, as Kafka's ProduceRequest.validateRecords, UnifiedLog.analyzeAndValidateRecords
// and LogValidator do it. Everything is stored as v2 batches (Kafka 3.x): legacy message
// sets (magic 0/1, Produce v0-2) are converted into one v2 batch.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "storage/partition_log.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kafkit::broker {

struct topic;
struct effective_topic_config;

/// The topic rules a produce is checked against.
struct record_rules {
    std::int16_t produce_version = 11;
    std::int32_t max_message_bytes = 1048588;  ///< max.message.bytes
    std::int64_t segment_bytes = 1073741824;   ///< segment.bytes: a batch must fit a segment
    bool log_append_time = false;              ///< message.timestamp.type=LogAppendTime
    bool compacted = false;                    ///< cleanup.policy has compact: keys required
    /// message.timestamp.before.max.ms / after.max.ms (KIP-937): how far a CreateTime
    /// timestamp may lie behind or ahead of the broker's clock.
    std::int64_t timestamp_before_max_ms = std::numeric_limits<std::int64_t>::max();
    std::int64_t timestamp_after_max_ms = std::numeric_limits<std::int64_t>::max();
    std::string partition_name; ///< "topic-N", for messages
    std::int64_t now_ms = 0;    ///< the append time
};

/// The rules of topic `t` for a Produce of `produce_version`, at `now_ms`.
[[nodiscard]] record_rules rules_for(const topic& t, const effective_topic_config& config, std::int16_t produce_version,
                                     std::int32_t partition, std::int64_t now_ms);

/// A v2 batch that passed validation: a private copy of its bytes, patched when appended.
struct prepared_batch {
    std::vector<std::uint8_t> bytes;
    protocol::record_batch_header header;  ///< as received (producer fields, counts)
    std::int64_t max_timestamp = -1;       ///< largest record timestamp (CreateTime)
    std::int32_t max_timestamp_delta = 0;  ///< offset delta of the first record holding it
};

/// The outcome for one partition: an error (with Kafka's message and, for record-level
/// problems, the records at fault: Produce v8+ RecordErrors), or the batches to append.
struct partition_records {
    kafka_errc error = kafka_errc::none;
    std::string message;
    std::vector<std::pair<std::int32_t, std::string>> record_errors; ///< batch index, message
    std::vector<prepared_batch> batches;
};

/// Validates `records`. Errors: INVALID_RECORD (shape: Produce v3+ needs exactly one v2
/// batch; base offset not 0; offsets and count inconsistent; control batches; producer id
/// without a sequence; unreadable records; keys missing on a compacted topic),
/// CORRUPT_MESSAGE (CRC), MESSAGE_TOO_LARGE (a batch over max.message.bytes),
/// RECORD_LIST_TOO_LARGE (over segment.bytes), INVALID_TIMESTAMP,
/// UNSUPPORTED_COMPRESSION_TYPE (zstd before Produce v7).
[[nodiscard]] partition_records validate_records(std::optional<protocol::bytes_view> records, const record_rules& rules);

/// Makes `batch` the log's next batch: writes its base offset and partition leader epoch
/// (both outside the CRC), sets the timestamp type the topic asks for and the batch's max
/// timestamp (the append time under LogAppendTime), recomputing the CRC when either
/// changed. Returns the summary the log stores.
batch_summary stamp_batch(prepared_batch& batch, std::int64_t base_offset, std::int32_t leader_epoch,
                          const record_rules& rules);

} // namespace kafkit::broker
