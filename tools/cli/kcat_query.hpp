#pragma once
// kcat's -Q output: the offsets found for -t topic:partition:timestamp queries, as text and
// as -J JSON (kcat 1.7's partition_list_print and partition_list_print_json).

#include "kafkit/ids.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace kafkit::cli {

/// The answer for one queried partition.
struct queried_offset {
    std::string topic;
    partition_id partition{0};
    std::int64_t offset = -1;    ///< -1 when no record is at or after the timestamp
    std::int16_t error_code = 0; ///< Kafka's (or librdkafka's local) code; 0 is none
};

/// Appends kcat's -Q text to `out`: the entries sorted by topic then partition, a line
/// "<topic> [<partition>] offset <offset>" each, with ": <error>" before the newline when
/// the partition has an error.
void render_query_text(std::span<const queried_offset> offsets, std::string& out);

/// Appends kcat's -Q -J object to `out`, sorted the same way and without a newline:
/// {"<topic>":{"topic":"<topic>","<partition>":{"partition":N,"offset":N[,"error":".."]},..},..}
void render_query_json(std::span<const queried_offset> offsets, std::string& out);

} // namespace kafkit::cli
