#include "data/produce_records.hpp"

#include "data/partition_access.hpp"
#include "kafkit/protocol/crc32c.hpp"
#include "kafkit/protocol/error.hpp"
#include "state/topic.hpp"
#include "state/topic_config.hpp"

#include <algorithm>

namespace kafkit::broker {
namespace {

using protocol::bytes_view;
using protocol::record_batch_header;

constexpr std::size_t crc_offset = 17;
constexpr std::size_t attributes_offset = 21; // the CRC covers from here to the end
constexpr std::size_t max_timestamp_offset = 35;

void put_be(std::uint8_t* p, std::uint64_t v, std::size_t bytes) {
    for (std::size_t i = 0; i < bytes; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * (bytes - 1 - i)));
}
std::uint64_t get_be(const std::uint8_t* p, std::size_t bytes) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i) v = (v << 8) | p[i];
    return v;
}

partition_records failure(kafka_errc error, std::string message) {
    partition_records out;
    out.error = error;
    out.message = std::move(message);
    return out;
}

kafka_errc read_error(std::error_code ec) {
    if (ec == errc::crc_mismatch) return kafka_errc::corrupt_message;
    if (ec == errc::unsupported_compression) return kafka_errc::unsupported_compression_type;
    return kafka_errc::invalid_record;
}

/// Per-record checks of LogValidator.validateRecord: keys on compacted topics, CreateTime
/// timestamps within message.timestamp.before/after.max.ms of the broker's clock.
void check_record(const protocol::record& r, std::int32_t index, std::int64_t offset_delta, const record_rules& rules,
                  partition_records& out, bool& timestamp_error) {
    if (rules.compacted && !r.key)
        out.record_errors.emplace_back(index, "Compacted topic cannot accept message without key in topic partition " +
                                                  rules.partition_name + ".");
    if (rules.log_append_time || r.timestamp == protocol::no_timestamp) return;
    const bool too_old = rules.now_ms - r.timestamp > rules.timestamp_before_max_ms;
    const bool too_new = r.timestamp - rules.now_ms > rules.timestamp_after_max_ms;
    if (too_old || too_new) {
        timestamp_error = true;
        out.record_errors.emplace_back(index, "Timestamp " + std::to_string(r.timestamp) + " of message with offset " +
                                                  std::to_string(offset_delta) + " is out of range. The timestamp should be within [" +
                                                  std::to_string(rules.now_ms - std::min(rules.now_ms, rules.timestamp_before_max_ms)) +
                                                  ", " + std::to_string(rules.timestamp_after_max_ms == std::numeric_limits<std::int64_t>::max()
                                                                             ? rules.timestamp_after_max_ms
                                                                             : rules.now_ms + rules.timestamp_after_max_ms) +
                                                  "]");
    }
}

/// Kafka's processRecordErrors: record-level problems fail the whole batch.
bool fail_on_record_errors(partition_records& out, bool timestamp_error) {
    if (out.record_errors.empty()) return false;
    if (timestamp_error) {
        out.error = kafka_errc::invalid_timestamp;
        out.message = "One or more records have been rejected due to invalid timestamp";
        return true;
    }
    out.error = kafka_errc::invalid_record;
    out.message = "One or more records have been rejected due to " + std::to_string(out.record_errors.size()) +
                  " record errors in total, and only showing the first three errors at most: [";
    for (std::size_t i = 0; i < std::min<std::size_t>(3, out.record_errors.size()); ++i) {
        if (i > 0) out.message += ", ";
        out.message += "RecordError(batchIndex=" + std::to_string(out.record_errors[i].first) + ", message='" +
                       out.record_errors[i].second + "')";
    }
    out.message += "]";
    return true;
}

/// The records of a decoded batch: max timestamp (the first record holding it, KIP-734 as
/// of Kafka 3.8) and the per-record checks.
bool scan_records(const protocol::record_batch& decoded, const record_rules& rules, prepared_batch& batch,
                  partition_records& out, std::int32_t& index) {
    bool timestamp_error = false;
    batch.max_timestamp = protocol::no_timestamp;
    batch.max_timestamp_delta = 0;
    for (const auto& r : decoded.records()) {
        const std::int64_t delta = r.offset - decoded.header().base_offset;
        if (r.timestamp > batch.max_timestamp) {
            batch.max_timestamp = r.timestamp;
            batch.max_timestamp_delta = static_cast<std::int32_t>(delta);
        }
        check_record(r, index++, delta, rules, out, timestamp_error);
    }
    return !fail_on_record_errors(out, timestamp_error);
}

/// UnifiedLog.analyzeAndValidateRecords and LogValidator.validateBatch for one v2 batch.
bool validate_v2(bytes_view bytes, const record_rules& rules, partition_records& out) {
    auto header = protocol::read_record_batch_header(bytes);
    if (!header) {
        out = failure(kafka_errc::invalid_record, "Record batch in " + rules.partition_name + " is malformed");
        return false;
    }
    const record_batch_header& h = *header;
    const std::string& tp = rules.partition_name;
    if (h.base_offset != 0) {
        out = failure(kafka_errc::invalid_record, "The baseOffset of the record batch in the append to " + tp +
                                                      " should be 0, but it is " + std::to_string(h.base_offset));
        return false;
    }
    if (h.size_in_bytes() > static_cast<std::size_t>(std::max(rules.max_message_bytes, 0))) {
        out = failure(kafka_errc::message_too_large,
                      "The record batch size in the append to " + tp + " is " + std::to_string(h.size_in_bytes()) +
                          " bytes which exceeds the maximum configured value of " +
                          std::to_string(rules.max_message_bytes) + ".");
        return false;
    }
    if (protocol::crc32c(bytes.subview(attributes_offset)) != h.crc) {
        out = failure(kafka_errc::corrupt_message,
                      "Record is corrupt (stored crc = " + std::to_string(h.crc) + ") in topic partition " + tp + ".");
        return false;
    }
    const std::int64_t count_from_offsets = static_cast<std::int64_t>(h.last_offset_delta) + 1;
    std::string shape;
    if (count_from_offsets <= 0)
        shape = "Batch has an invalid offset range: [0, " + std::to_string(h.last_offset_delta) + "] in topic partition " + tp + ".";
    else if (h.record_count <= 0)
        shape = "Invalid reported count for record batch: " + std::to_string(h.record_count) + " in topic partition " + tp + ".";
    else if (count_from_offsets != h.record_count)
        shape = "Inconsistent batch offset range [0, " + std::to_string(h.last_offset_delta) + "] and count of records " +
                std::to_string(h.record_count) + " in topic partition " + tp + ".";
    else if (h.is_control())
        shape = "Clients are not allowed to write control records in topic partition " + tp + ".";
    else if (h.producer_id >= 0 && h.base_sequence < 0)
        shape = "Invalid sequence number " + std::to_string(h.base_sequence) + " in record batch with producerId " +
                std::to_string(h.producer_id) + " in topic partition " + tp + ".";
    if (!shape.empty()) {
        out = failure(kafka_errc::invalid_record, shape);
        return false;
    }
    protocol::record_batch_reader reader(bytes, {protocol::crc_check::skip, protocol::default_max_decompressed_size});
    protocol::record_batch decoded;
    auto read = reader.next(decoded);
    if (!read || !*read) {
        const auto ec = read ? make_error_code(errc::truncated) : read.error();
        out = failure(read_error(ec), "Record batch in topic partition " + tp + " cannot be read: " + ec.message());
        return false;
    }
    prepared_batch batch;
    std::int32_t index = 0;
    if (!scan_records(decoded, rules, batch, out, index)) return false;
    batch.bytes.assign(bytes.begin(), bytes.end());
    batch.header = h;
    out.batches.push_back(std::move(batch));
    return true;
}

/// Produce v0-2 with legacy message sets: every message (or compressed wrapper) checked
/// as Kafka checks it, then all their records written as one v2 batch, compressed with
/// the producer's codec, as Kafka 3.x converts them on append.
bool convert_legacy(bytes_view records, const record_rules& rules, partition_records& out) {
    protocol::record_batch_reader reader(records);
    protocol::record_batch_options options;
    protocol::record_batch_builder builder;
    bool codec_chosen = false;
    bool timestamp_error = false;
    std::int32_t index = 0;
    prepared_batch batch;
    batch.max_timestamp = protocol::no_timestamp;
    std::vector<protocol::record_batch> batches;
    for (;;) {
        protocol::record_batch next;
        auto read = reader.next(next);
        if (!read) {
            out = failure(read_error(read.error()), "Record is corrupt in topic partition " + rules.partition_name +
                                                        ": " + read.error().message());
            return false;
        }
        if (!*read) break;
        const auto& h = next.header();
        if (h.magic > 1) {
            out = failure(kafka_errc::invalid_record, "Produce requests may not mix message formats in topic partition " +
                                                          rules.partition_name + ".");
            return false;
        }
        if (h.size_in_bytes() > static_cast<std::size_t>(std::max(rules.max_message_bytes, 0))) {
            out = failure(kafka_errc::message_too_large,
                          "The record batch size in the append to " + rules.partition_name + " is " +
                              std::to_string(h.size_in_bytes()) + " bytes which exceeds the maximum configured value of " +
                              std::to_string(rules.max_message_bytes) + ".");
            return false;
        }
        if (!codec_chosen && h.codec() != protocol::compression_codec::none) {
            options.codec = h.codec();
            codec_chosen = true;
        }
        batches.push_back(std::move(next));
    }
    if (batches.empty()) return true; // nothing whole to append: Kafka answers without error
    builder.reset(options);
    for (const auto& b : batches) {
        for (const auto& r : b.records()) {
            const std::int64_t delta = builder.record_count();
            if (r.timestamp > batch.max_timestamp) {
                batch.max_timestamp = r.timestamp;
                batch.max_timestamp_delta = static_cast<std::int32_t>(delta);
            }
            check_record(r, index++, delta, rules, out, timestamp_error);
            builder.append(r.magic == 0 ? protocol::no_timestamp : r.timestamp, r.key, r.value);
        }
    }
    if (fail_on_record_errors(out, timestamp_error)) return false;
    if (auto done = builder.finish(batch.bytes); !done) {
        out = failure(kafka_errc::invalid_record, "Cannot convert the messages of " + rules.partition_name + ": " +
                                                      done.error().message());
        return false;
    }
    auto h = protocol::read_record_batch_header(bytes_view(batch.bytes.data(), batch.bytes.size()));
    if (!h) {
        out = failure(kafka_errc::invalid_record, "Cannot convert the messages of " + rules.partition_name);
        return false;
    }
    batch.header = *h;
    out.batches.push_back(std::move(batch));
    return true;
}

/// Smallest size field a batch or legacy message may have (LegacyRecord.RECORD_OVERHEAD_V0).
constexpr std::int32_t min_batch_length = 14;

/// Splits `records` into whole batches (v2 or legacy messages); a partial one at the end is
/// ignored, as Kafka's batch iterator ignores it. False when a size field is below the
/// minimum (Kafka's CorruptRecordException).
bool whole_batches(bytes_view records, std::vector<bytes_view>& out) {
    std::size_t pos = 0;
    while (records.size() - pos >= 12) {
        const auto length = static_cast<std::int32_t>(get_be(records.data() + pos + 8, 4));
        if (length < min_batch_length) return false;
        if (static_cast<std::size_t>(length) > records.size() - pos - 12) break;
        out.push_back(records.subview(pos, 12 + static_cast<std::size_t>(length)));
        pos += 12 + static_cast<std::size_t>(length);
    }
    return true;
}

} // namespace

record_rules rules_for(const topic& t, const effective_topic_config& config, std::int16_t produce_version,
                       std::int32_t partition, std::int64_t now_ms) {
    record_rules rules;
    rules.produce_version = produce_version;
    rules.max_message_bytes = config.max_message_bytes;
    rules.segment_bytes = config.segment_bytes;
    rules.log_append_time = config.log_append_time;
    rules.partition_name = partition_name(t.name, partition);
    rules.now_ms = now_ms;
    auto setting = [&t](const char* name) -> std::optional<std::int64_t> {
        auto it = t.configs.find(name);
        if (it == t.configs.end()) return std::nullopt;
        try {
            return std::stoll(it->second);
        } catch (const std::exception&) {
            return std::nullopt;
        }
    };
    if (auto policy = t.configs.find("cleanup.policy"); policy != t.configs.end())
        rules.compacted = policy->second.find("compact") != std::string::npos;
    // message.timestamp.difference.max.ms (deprecated by KIP-937) bounds both directions.
    const auto difference = setting("message.timestamp.difference.max.ms");
    if (auto before = setting("message.timestamp.before.max.ms").value_or(difference.value_or(-1)); before >= 0)
        rules.timestamp_before_max_ms = before;
    if (auto after = setting("message.timestamp.after.max.ms").value_or(difference.value_or(-1)); after >= 0)
        rules.timestamp_after_max_ms = after;
    return rules;
}

partition_records validate_records(std::optional<bytes_view> records, const record_rules& rules) {
    partition_records out;
    const auto v = std::to_string(rules.produce_version);
    std::vector<bytes_view> batches;
    if (records && !whole_batches(*records, batches))
        return failure(kafka_errc::corrupt_message, "Record size is less than the minimum record overhead (" +
                                                        std::to_string(min_batch_length) + ") in topic partition " +
                                                        rules.partition_name + ".");
    if (rules.produce_version >= 3) {
        // ProduceRequest.validateRecords.
        if (batches.empty())
            return failure(kafka_errc::invalid_record,
                           "Produce requests with version " + v + " must have at least one record batch per partition");
        if (batches.front()[16] != 2)
            return failure(kafka_errc::invalid_record, "Produce requests with version " + v +
                                                           " are only allowed to contain record batches with magic version 2");
        const auto codec = static_cast<protocol::compression_codec>(batches.front()[22] & protocol::batch_attr_codec_mask);
        if (rules.produce_version < 7 && codec == protocol::compression_codec::zstd)
            return failure(kafka_errc::unsupported_compression_type,
                           "Produce requests with version " + v + " are not allowed to use ZStandard compression");
        if (batches.size() > 1)
            return failure(kafka_errc::invalid_record, "Produce requests with version " + v +
                                                           " are only allowed to contain exactly one record batch per partition");
    }
    if (batches.empty()) return out;
    const bool legacy = std::any_of(batches.begin(), batches.end(), [](bytes_view b) { return b[16] < 2; });
    if (legacy) {
        if (!convert_legacy(*records, rules, out)) return out;
    } else {
        for (const auto& b : batches)
            if (!validate_v2(b, rules, out)) return out;
    }
    for (const auto& b : out.batches) {
        if (static_cast<std::int64_t>(b.bytes.size()) > rules.segment_bytes)
            return failure(kafka_errc::record_list_too_large,
                           "Message batch size is " + std::to_string(b.bytes.size()) + " bytes in append to partition " +
                               rules.partition_name + " which exceeds the maximum configured segment size of " +
                               std::to_string(rules.segment_bytes) + ".");
    }
    return out;
}

batch_summary stamp_batch(prepared_batch& batch, std::int64_t base_offset, std::int32_t leader_epoch,
                          const record_rules& rules) {
    std::uint8_t* p = batch.bytes.data();
    put_be(p, static_cast<std::uint64_t>(base_offset), 8);
    put_be(p + 12, static_cast<std::uint32_t>(leader_epoch), 4);
    const auto attributes = static_cast<std::uint16_t>(get_be(p + attributes_offset, 2));
    auto wanted = static_cast<std::uint16_t>(attributes & ~static_cast<std::uint16_t>(protocol::batch_attr_log_append_time));
    if (rules.log_append_time) wanted = static_cast<std::uint16_t>(wanted | protocol::batch_attr_log_append_time);
    const std::int64_t max_timestamp = rules.log_append_time ? rules.now_ms : batch.max_timestamp;
    const auto stored_max = static_cast<std::int64_t>(get_be(p + max_timestamp_offset, 8));
    if (wanted != attributes || stored_max != max_timestamp) {
        // LogValidator sets the max timestamp it computed (and the append time under
        // LogAppendTime) in place; both are inside the CRC.
        put_be(p + attributes_offset, wanted, 2);
        put_be(p + max_timestamp_offset, static_cast<std::uint64_t>(max_timestamp), 8);
        const auto crc = protocol::crc32c(bytes_view(p + attributes_offset, batch.bytes.size() - attributes_offset));
        put_be(p + crc_offset, crc, 4);
    }
    const auto& h = batch.header;
    batch_summary s;
    s.base_offset = base_offset;
    s.last_offset = base_offset + h.last_offset_delta;
    s.max_timestamp = max_timestamp;
    s.offset_of_max_timestamp = rules.log_append_time ? base_offset : base_offset + batch.max_timestamp_delta;
    s.leader_epoch = leader_epoch;
    s.producer_id = h.producer_id;
    s.producer_epoch = h.producer_epoch;
    s.base_sequence = h.base_sequence;
    s.record_count = h.record_count;
    s.transactional = h.is_transactional();
    s.control = false;
    return s;
}

} // namespace kafkit::broker
