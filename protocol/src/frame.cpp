#include "kafkit/protocol/frame.hpp"

#include "kafkit/protocol/messages/api_table.hpp"
#include "kafkit/protocol/wire_reader.hpp"
#include "kafkit/protocol/wire_writer.hpp"

namespace kafkit::protocol {
namespace {

constexpr std::int16_t api_versions_key = 18;
constexpr std::int16_t controlled_shutdown_key = 7;

bool flexible(const api_info& api, std::int16_t version, bool response) {
    const std::int16_t first = response ? api.response_first_flexible_version : api.first_flexible_version;
    return first >= 0 && version >= first;
}

template <class Write>
void append(std::vector<std::uint8_t>& out, Write&& write) {
    size_counter counter;
    write(counter);
    const std::size_t start = out.size();
    out.resize(start + counter.size());
    wire_writer writer(out.data() + start, counter.size());
    write(writer);
}

} // namespace

std::int16_t request_header_version(std::int16_t api_key, std::int16_t api_version) noexcept {
    const api_info* api = find_api(api_key);
    if (api == nullptr) return -1;
    if (api_key == controlled_shutdown_key && api_version == 0) return 0;
    return flexible(*api, api_version, false) ? 2 : 1;
}

std::int16_t response_header_version(std::int16_t api_key, std::int16_t api_version) noexcept {
    const api_info* api = find_api(api_key);
    if (api == nullptr || api_key == api_versions_key) return 0;
    return flexible(*api, api_version, true) ? 1 : 0;
}

result<request_frame> read_request_frame(bytes_view frame) {
    wire_reader reader(frame);
    request_frame out;
    out.api_key = reader.read_int16();
    out.api_version = reader.read_int16();
    out.correlation_id = reader.read_int32();
    if (!reader.ok()) return unexpected(reader.error());
    out.header_version = request_header_version(out.api_key, out.api_version);
    if (out.header_version < 0) return unexpected(errc::unsupported_api);
    if (out.header_version >= 1) {
        // The client id keeps its classic int16 length even in flexible headers.
        const std::int64_t n = reader.read_length(false, false);
        if (n >= 0) out.client_id = reader.read_raw(static_cast<std::size_t>(n)).as_string();
    }
    if (out.header_version >= 2) detail::read_unknown_tags(reader, out.header_tags);
    if (!reader.ok()) return unexpected(reader.error());
    out.body = frame.subview(reader.position());
    return out;
}

result<response_frame> read_response_frame(bytes_view frame, std::int16_t api_key, std::int16_t api_version) {
    wire_reader reader(frame);
    response_frame out;
    out.correlation_id = reader.read_int32();
    if (response_header_version(api_key, api_version) >= 1) detail::read_unknown_tags(reader, out.header_tags);
    if (!reader.ok()) return unexpected(reader.error());
    out.body = frame.subview(reader.position());
    return out;
}

void write_request_header(std::vector<std::uint8_t>& out, std::int16_t api_key, std::int16_t api_version,
                          std::int32_t correlation_id, std::optional<std::string_view> client_id) {
    const std::int16_t header_version = request_header_version(api_key, api_version);
    append(out, [&](auto& sink) {
        sink.write_int16(api_key);
        sink.write_int16(api_version);
        sink.write_int32(correlation_id);
        if (header_version >= 1) {
            if (client_id) {
                sink.write_length(static_cast<std::int64_t>(client_id->size()), false, false);
                sink.write_raw(bytes_view::of(*client_id));
            } else {
                sink.write_length(-1, false, false);
            }
        }
        if (header_version >= 2) sink.write_uvarint(0);
    });
}

void write_response_header(std::vector<std::uint8_t>& out, std::int16_t api_key, std::int16_t api_version,
                           std::int32_t correlation_id) {
    const bool tagged = response_header_version(api_key, api_version) >= 1;
    append(out, [&](auto& sink) {
        sink.write_int32(correlation_id);
        if (tagged) sink.write_uvarint(0);
    });
}

namespace detail {
void patch_frame_size(std::vector<std::uint8_t>& out, std::size_t frame_start) {
    const auto size = static_cast<std::uint32_t>(out.size() - frame_start - 4);
    out[frame_start] = static_cast<std::uint8_t>(size >> 24);
    out[frame_start + 1] = static_cast<std::uint8_t>(size >> 16);
    out[frame_start + 2] = static_cast<std::uint8_t>(size >> 8);
    out[frame_start + 3] = static_cast<std::uint8_t>(size);
}
} // namespace detail

} // namespace kafkit::protocol
