#pragma once
// Building batch summaries from a batch's header (the file log's recovery reads headers only
// when the index already holds the rest). summarize_batch is declared in partition_log.hpp.

#include "storage/partition_log.hpp"

#include "kafkit/protocol/record_batch.hpp"

namespace kafkit::broker {

/// The summary fields a v2 batch header holds: all but offset_of_max_timestamp (left -1),
/// which needs the records.
batch_summary summary_of_header(const protocol::record_batch_header& header) noexcept;

} // namespace kafkit::broker
