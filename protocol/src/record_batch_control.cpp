// Control records: the records of a control batch (attributes bit 5). Their key is
// int16 version, int16 type; for transaction markers (abort, commit) the value is
// int16 version, int32 coordinator epoch (Java's EndTransactionMarker).

#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/record_batch.hpp"
#include "kafkit/protocol/wire_reader.hpp"

namespace kafkit::protocol {
namespace {

constexpr std::size_t control_key_size = 4;
constexpr std::size_t end_txn_marker_value_size = 6;

} // namespace

result<control_record> read_control_record(const record& r) {
    if (!r.key || r.key->size() < control_key_size) return unexpected(errc::malformed_frame);
    wire_reader key(*r.key);
    control_record c;
    c.key_version = key.read_int16();
    c.type = static_cast<control_record_type>(key.read_int16());
    if (c.type != control_record_type::abort && c.type != control_record_type::commit) return c;
    if (!r.value || r.value->size() < end_txn_marker_value_size) return unexpected(errc::malformed_frame);
    wire_reader value(*r.value);
    c.value_version = value.read_int16();
    c.coordinator_epoch = value.read_int32();
    return c;
}

end_txn_marker_bytes encode_end_txn_marker(control_record_type type, std::int32_t coordinator_epoch) noexcept {
    end_txn_marker_bytes m;
    const auto t = static_cast<std::uint16_t>(type);
    m.key = {0, 0, static_cast<std::uint8_t>(t >> 8), static_cast<std::uint8_t>(t)};
    const auto e = static_cast<std::uint32_t>(coordinator_epoch);
    m.value = {0, 0, static_cast<std::uint8_t>(e >> 24), static_cast<std::uint8_t>(e >> 16),
               static_cast<std::uint8_t>(e >> 8), static_cast<std::uint8_t>(e)};
    return m;
}

} // namespace kafkit::protocol
