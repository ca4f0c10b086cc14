#include "kafkit/codec/json_render.hpp"

#include "decode_steps.hpp"
#include "kafkit/codec/message_walk.hpp"
#include "kafkit/protocol/messages/visit.hpp"
#include "kafkit/protocol/messages/api_table.hpp"
#include "kafkit/protocol/uuid.hpp"

#include <algorithm>
#include <type_traits>

namespace kafkit::codec {
namespace {

using protocol::bytes_view;
using json = nlohmann::ordered_json;

template <class Bytes>
bool printable(const Bytes& bytes) {
    return !bytes.empty() && std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b >= 0x20 && b < 0x7f; });
}

// Bytes as hex, plus the text beside it under `<name>_text` when every byte is printable ASCII.
void put_bytes(json& object, const std::string& name, const std::optional<std::vector<std::uint8_t>>& bytes) {
    if (!bytes) {
        object[name] = nullptr;
        return;
    }
    object[name] = to_hex(bytes_view(bytes->data(), bytes->size()));
    if (printable(*bytes)) object[name + "_text"] = std::string(bytes->begin(), bytes->end());
}

json render_record(const decoded_record& record) {
    json out = json::object();
    out["offset"] = record.offset;
    out["timestamp"] = record.timestamp;
    put_bytes(out, "key", record.key);
    put_bytes(out, "value", record.value);
    json headers = json::array();
    for (const auto& header : record.headers) {
        json h = json::object();
        h["key"] = header.key;
        put_bytes(h, "value", header.value);
        headers.push_back(std::move(h));
    }
    out["headers"] = std::move(headers);
    return out;
}

json render_batch(const decoded_batch& batch) {
    json out = json::object();
    out["magic"] = batch.magic;
    out["base_offset"] = batch.base_offset;
    out["codec"] = batch.codec;
    out["crc_ok"] = batch.crc_ok;
    if (batch.magic >= 2) {
        out["transactional"] = batch.transactional;
        out["control"] = batch.control;
        out["producer_id"] = batch.producer_id;
        out["producer_epoch"] = batch.producer_epoch;
        out["base_sequence"] = batch.base_sequence;
    }
    json records = json::array();
    for (const auto& record : batch.records) records.push_back(render_record(record));
    out["records"] = std::move(records);
    return out;
}

// Renders the fields of a generated message through its for_each_field reflection.
class field_renderer {
public:
    explicit field_renderer(std::int16_t version) : version_(version) {}

    template <class M>
    json object(const M& message) const {
        json out = json::object();
        M::for_each_field(message, version_, [&](const protocol::field_info& info, const auto& value) {
            out[info.name] = this->value(info, value);
        });
        if (!message.unknown_tags.empty()) {
            json tags = json::array();
            for (const auto& tag : message.unknown_tags) {
                tags.push_back({{"tag", tag.tag}, {"data", to_hex(tag.data)}});
            }
            out["_unknown_tagged_fields"] = std::move(tags);
        }
        return out;
    }

    template <class T>
    json value(const protocol::field_info& info, const T& v) const {
        if constexpr (std::is_same_v<T, bool>) {
            return v;
        } else if constexpr (std::is_integral_v<T>) {
            // int8 is a character type to nlohmann::json; widen every integer first.
            if constexpr (std::is_signed_v<T>) {
                return static_cast<std::int64_t>(v);
            } else {
                return static_cast<std::uint64_t>(v);
            }
        } else if constexpr (std::is_floating_point_v<T>) {
            return v;
        } else if constexpr (std::is_same_v<T, std::string>) {
            return v;
        } else if constexpr (std::is_same_v<T, bytes_view>) {
            return info.records ? render_records(v) : json(to_hex(v));
        } else if constexpr (std::is_same_v<T, protocol::uuid>) {
            return v.to_string();
        } else if constexpr (is_optional<T>::value) {
            return v ? value(info, *v) : json(nullptr);
        } else if constexpr (is_vector<T>::value) {
            json out = json::array();
            for (const auto& item : v) out.push_back(value(info, item));
            return out;
        } else {
            static_assert(generated_struct<T>, "a field type the renderer does not know");
            return object(v);
        }
    }

private:
    std::int16_t version_;
};

render_outcome failed(detail::problem p) {
    render_outcome out;
    out.error = p.error;
    out.reason = std::move(p.text);
    return out;
}

template <class Header>
std::optional<detail::problem> render_header(bytes_view input, frame_part part, std::int16_t header_version,
                                             json& out, std::size_t& body_start, Header& header) {
    body_start = 0;
    if (part == frame_part::body_only) return std::nullopt;
    if (auto p = detail::decode_header(input, header_version, header, body_start)) return p;
    out["header"] = field_renderer(header_version).object(header);
    return std::nullopt;
}

template <class Body>
render_outcome render_request(bytes_view input, std::int16_t api_key, std::int16_t api_version, frame_part part,
                              json out) {
    protocol::request_header header;
    std::size_t body_start = 0;
    const std::int16_t header_version = protocol::request_header_version(api_key, api_version);
    if (auto p = render_header(input, part, header_version, out, body_start, header)) return failed(std::move(*p));
    if (part == frame_part::whole_frame) {
        if (auto p = detail::check_request_header(header, api_key, api_version)) return failed(std::move(*p));
    }
    Body body;
    if (auto p = detail::decode_exact(input.subview(body_start), body_start, api_version, "body", body)) {
        return failed(std::move(*p));
    }
    out["body"] = field_renderer(api_version).object(body);
    return {std::move(out), {}, {}};
}

template <class Body>
render_outcome render_response(bytes_view input, std::int16_t api_key, std::int16_t api_version, frame_part part,
                               json out) {
    protocol::response_header header;
    std::size_t body_start = 0;
    const std::int16_t header_version = protocol::response_header_version(api_key, api_version);
    if (auto p = render_header(input, part, header_version, out, body_start, header)) return failed(std::move(*p));
    Body body;
    std::int16_t body_version = api_version;
    if (auto p = detail::decode_response_body(input.subview(body_start), body_start, api_version, body, body_version)) {
        return failed(std::move(*p));
    }
    if (body_version != api_version) out["body_version"] = body_version;
    out["body"] = field_renderer(body_version).object(body);
    return {std::move(out), {}, {}};
}

} // namespace

json render_batches(const decoded_record_data& data) {
    json out = json::array();
    for (const auto& batch : data.batches) out.push_back(render_batch(batch));
    return out;
}

json render_records(bytes_view data) {
    json out = json::object();
    out["size"] = data.size();
    auto decoded = decode_record_data(data);
    if (!decoded) {
        out["error"] = decoded.error().message();
        out["hex"] = to_hex(data);
        return out;
    }
    out["batches"] = render_batches(*decoded);
    if (decoded->partial_tail_bytes > 0) out["partial_tail_bytes"] = decoded->partial_tail_bytes;
    return out;
}

render_outcome render_frame(direction dir, std::int16_t api_key, std::int16_t api_version, bytes_view input,
                            frame_part part) {
    json head = json::object();
    const protocol::api_info* api = protocol::find_api(api_key);
    head["api"] = api != nullptr ? std::string(api->name) : std::string("unknown");
    head["api_key"] = api_key;
    head["api_version"] = api_version;
    head["direction"] = std::string(to_string(dir));

    render_outcome outcome;
    const bool known = protocol::visit_api(api_key, [&](auto request_tag, auto response_tag) {
        using request_type = typename decltype(request_tag)::type;
        using response_type = typename decltype(response_tag)::type;
        outcome = dir == direction::request
                      ? render_request<request_type>(input, api_key, api_version, part, std::move(head))
                      : render_response<response_type>(input, api_key, api_version, part, std::move(head));
    });
    if (!known) {
        return failed({make_error_code(errc::unsupported_api), 0, "unknown api key " + std::to_string(api_key)});
    }
    return outcome;
}

} // namespace kafkit::codec
