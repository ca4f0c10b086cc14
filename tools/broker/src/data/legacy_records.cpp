#include "data/legacy_records.hpp"

#include "kafkit/protocol/crc32c.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <optional>

namespace kafkit::broker {
namespace {

void put_be(std::vector<std::uint8_t>& out, std::uint64_t v, std::size_t bytes) {
    for (std::size_t i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * (bytes - 1 - i))));
}

void patch_be(std::uint8_t* p, std::uint64_t v, std::size_t bytes) {
    for (std::size_t i = 0; i < bytes; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * (bytes - 1 - i)));
}

void put_bytes(std::vector<std::uint8_t>& out, const std::optional<protocol::bytes_view>& b) {
    if (!b) {
        put_be(out, static_cast<std::uint32_t>(-1), 4);
        return;
    }
    put_be(out, static_cast<std::uint32_t>(b->size()), 4);
    out.insert(out.end(), b->begin(), b->end());
}

/// Legacy message attributes bit 3: the timestamp is the log append time (magic 1).
constexpr std::uint8_t legacy_log_append_time = 0x08;

/// One message: offset, size, then crc over magic..value.
void write_message(std::vector<std::uint8_t>& out, std::int8_t magic, bool log_append_time, const protocol::record& r) {
    put_be(out, static_cast<std::uint64_t>(r.offset), 8);
    const std::size_t size_at = out.size();
    put_be(out, 0, 4); // size, patched below
    const std::size_t crc_at = out.size();
    put_be(out, 0, 4); // crc, patched below
    out.push_back(static_cast<std::uint8_t>(magic));
    out.push_back(magic == 1 && log_append_time ? legacy_log_append_time : 0);
    if (magic == 1) put_be(out, static_cast<std::uint64_t>(r.timestamp), 8);
    put_bytes(out, r.key);
    put_bytes(out, r.value);
    patch_be(out.data() + size_at, out.size() - size_at - 4, 4);
    const auto crc = protocol::crc32(protocol::bytes_view(out.data() + crc_at + 4, out.size() - crc_at - 4));
    patch_be(out.data() + crc_at, crc, 4);
}

} // namespace

void down_convert(protocol::bytes_view batches, std::int8_t magic, std::int64_t first_offset,
                  std::vector<std::uint8_t>& out, std::vector<std::size_t>& message_ends) {
    protocol::record_batch_reader reader(batches, {protocol::crc_check::skip, protocol::default_max_decompressed_size});
    protocol::record_batch batch;
    for (;;) {
        auto more = reader.next(batch);
        if (!more || !*more) return;
        if (batch.header().is_control()) continue; // transaction markers mean nothing to old clients
        const bool log_append_time = batch.header().timestamp_kind() == protocol::timestamp_type::log_append_time;
        for (const auto& r : batch.records()) {
            if (r.offset < first_offset) continue;
            write_message(out, magic, log_append_time, r);
            message_ends.push_back(out.size());
        }
    }
}

void cut_message_set(std::vector<std::uint8_t>& set, const std::vector<std::size_t>& message_ends, std::size_t limit,
                     bool first_whole) {
    if (set.size() <= limit) return;
    std::size_t keep = 0;
    for (auto end : message_ends) {
        if (end > limit) break;
        keep = end;
    }
    if (keep == 0) keep = first_whole && !message_ends.empty() ? message_ends.front() : limit;
    set.resize(keep);
}

} // namespace kafkit::broker
