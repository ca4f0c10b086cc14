#include "kafkit/codec/record_data.hpp"

#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <algorithm>

namespace kafkit::codec {
namespace {

using protocol::bytes_view;

std::optional<std::vector<std::uint8_t>> copy(const std::optional<bytes_view>& bytes) {
    if (!bytes) return std::nullopt;
    return std::vector<std::uint8_t>(bytes->begin(), bytes->end());
}

decoded_record convert(const protocol::record& r) {
    decoded_record out;
    out.offset = r.offset;
    out.timestamp = r.timestamp;
    out.key = copy(r.key);
    out.value = copy(r.value);
    for (const auto& header : r.headers) out.headers.push_back({std::string(header.key), copy(header.value)});
    return out;
}

// Whether the checksums of a batch (for a legacy wrapper, its inner messages' too) hold:
// the batch was read without checking them so that a bad one is counted, not fatal.
bool crc_matches(const protocol::record_batch& batch) {
    auto verified = protocol::read_record_batches(batch.raw(), {protocol::crc_check::verify});
    return verified || verified.error() != errc::crc_mismatch;
}

decoded_batch convert(const protocol::record_batch& batch) {
    const auto& h = batch.header();
    decoded_batch out;
    out.magic = h.magic;
    out.base_offset = h.base_offset;
    out.codec = std::string(protocol::to_string(h.codec()));
    out.crc_ok = crc_matches(batch);
    out.transactional = h.is_transactional();
    out.control = h.is_control();
    out.producer_id = h.producer_id;
    out.producer_epoch = h.producer_epoch;
    out.base_sequence = h.base_sequence;
    // A compressed legacy message wraps uncompressed messages (the reader refuses nesting).
    if (h.magic < 2 && h.codec() != protocol::compression_codec::none && !batch.records().empty()) {
        out.inner_codecs.emplace_back(protocol::to_string(protocol::compression_codec::none));
    }
    out.records.reserve(batch.records().size());
    for (const auto& r : batch.records()) out.records.push_back(convert(r));
    return out;
}

template <class T>
void insert_sorted_unique(std::vector<T>& items, const T& item) {
    auto it = std::lower_bound(items.begin(), items.end(), item);
    if (it == items.end() || *it != item) items.insert(it, item);
}

} // namespace

protocol::result<decoded_record_data> decode_record_data(bytes_view data) {
    decoded_record_data out;
    protocol::record_batch_reader reader(data, {protocol::crc_check::skip});
    protocol::record_batch batch;
    for (;;) {
        auto more = reader.next(batch);
        if (!more) return protocol::unexpected(more.error());
        if (!*more) break;
        out.batches.push_back(convert(batch));
    }
    if (reader.incomplete()) out.partial_tail_bytes = reader.remaining().size();
    return out;
}

void add_to_summary(records_summary& summary, const decoded_record_data& data) {
    for (const auto& batch : data.batches) {
        ++summary.batches;
        summary.records += batch.records.size();
        if (!batch.crc_ok) ++summary.crc_bad;
        insert_sorted_unique(summary.magic, static_cast<int>(batch.magic));
        insert_sorted_unique(summary.codecs, batch.codec);
        for (const auto& codec : batch.inner_codecs) insert_sorted_unique(summary.codecs, codec);
    }
}

} // namespace kafkit::codec
