#pragma once
// Recovery of one segment when a file log opens: every batch is checked (header, length,
// contiguous offsets, CRC32C), the log is cut after the last good one, and the index is
// verified against the batches found and rebuilt where it is missing, short or wrong.

#include "storage/partition_log.hpp"
#include "storage/segment_file.hpp"

#include <cstdint>
#include <system_error>
#include <vector>

namespace kafkit::broker {

/// What recovery kept of a segment.
struct recovered_segment {
    std::vector<batch_summary> summaries; ///< the good batches, in order
    std::vector<std::uint32_t> positions; ///< their byte positions, parallel to summaries
    std::uint64_t valid_bytes = 0;        ///< bytes of the good batches: the .log's new size
    bool truncated = false;               ///< bytes past the good batches were cut off
    bool index_rebuilt = false;           ///< the .index did not match and was rewritten
};

/// Checks every batch of `segment` from its start, expecting the first at `expected_base`
/// and each next one right after the previous (offsets contiguous). Stops at the first batch
/// that is incomplete, malformed, out of sequence or fails its CRC32C (attributes to the
/// end, as Kafka's DefaultRecordBatch.isValid), cuts the .log there and makes the .index
/// match the batches kept. Summaries come from the headers, offset_of_max_timestamp from the
/// index when its entry agrees, else from the decoded records (summarize_batch).
/// Errors: I/O errors reading, truncating or rewriting the files.
std::error_code recover_segment(segment_file& segment, std::int64_t expected_base, recovered_segment& out);

} // namespace kafkit::broker
