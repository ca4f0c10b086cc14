#pragma once
// Down-conversion for old consumers: Fetch v0-1 read magic 0 messages and Fetch v2-3
// magic 1 messages, but the log holds v2 batches (Kafka 3.x stores nothing else), so the
// batches are rewritten as legacy message sets, as Kafka's RecordsUtil.downConvert does.

#include "kafkit/protocol/bytes_view.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kafkit::broker {

/// The message format a Fetch version reads: 0 for v0-1, 1 for v2-3, 2 from v4 on.
[[nodiscard]] constexpr std::int8_t fetch_magic(std::int16_t fetch_version) noexcept {
    return fetch_version <= 1 ? 0 : fetch_version <= 3 ? 1 : 2;
}

/// Appends to `out` the records of the v2 `batches` whose offset is at least
/// `first_offset`, each as one uncompressed legacy message of `magic` (0 or 1) with its
/// absolute offset, its timestamp (magic 1; the timestamp-type bit follows the batch's),
/// key and value, and its CRC32. Headers have no place in these formats and are dropped,
/// control batches are skipped. `message_ends` receives the end position in `out` of each
/// message written, so a caller can cut the set at a message boundary. Batches that cannot
/// be decoded end the conversion (the log only holds validated batches).
void down_convert(protocol::bytes_view batches, std::int8_t magic, std::int64_t first_offset,
                  std::vector<std::uint8_t>& out, std::vector<std::size_t>& message_ends);

/// Cuts a converted message set at `limit` bytes as a fetch must: whole messages that fit;
/// if none does, the first message whole when `first_whole` (KIP-74, Fetch v3), else the
/// first `limit` bytes (Fetch v0-2: a partial message, which old clients report as a
/// message larger than their fetch size).
void cut_message_set(std::vector<std::uint8_t>& set, const std::vector<std::size_t>& message_ends, std::size_t limit,
                     bool first_whole);

} // namespace kafkit::broker
