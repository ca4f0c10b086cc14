#include "kafkit/codec/roundtrip.hpp"

#include "decode_steps.hpp"
#include "kafkit/codec/message_walk.hpp"
#include "kafkit/protocol/messages/visit.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace kafkit::codec {
namespace {

using detail::problem;
using protocol::bytes_view;

roundtrip_outcome fail(frame_status status, problem p) {
    roundtrip_outcome out;
    out.status = status;
    out.error = p.error;
    out.offset = p.offset;
    out.reason = std::move(p.text);
    return out;
}

// Re-encodes header and body and compares with the frame.
template <class Header, class Body>
std::optional<problem> compare_reencoded(bytes_view frame, const Header& header, std::int16_t header_version,
                                         const Body& body, std::int16_t body_version) {
    std::vector<std::uint8_t> out;
    out.reserve(frame.size());
    if (auto r = protocol::encode(header, header_version, out); !r) {
        return problem{r.error(), 0, "re-encoding the header failed: " + r.error().message()};
    }
    if (auto r = protocol::encode(body, body_version, out); !r) {
        return problem{r.error(), out.size(), "re-encoding the body failed: " + r.error().message()};
    }
    const auto [mine, theirs] = std::mismatch(out.begin(), out.end(), frame.begin(), frame.end());
    if (mine == out.end() && theirs == frame.end()) return std::nullopt;
    const auto offset = static_cast<std::size_t>(mine - out.begin());
    return problem{{}, offset,
                   "re-encoded bytes differ at offset " + std::to_string(offset) + " (" +
                       std::to_string(out.size()) + " bytes re-encoded, frame has " +
                       std::to_string(frame.size()) + ")"};
}

// Decodes every records field of a decoded body into outcome.records.
template <class Body>
void scan_records(bytes_view frame, const Body& body, std::int16_t version, roundtrip_outcome& outcome) {
    for_each_records_field(body, version, [&](const protocol::field_info& info, bytes_view data) {
        if (!outcome.passed()) return;
        ++outcome.records.fields;
        auto decoded = decode_record_data(data);
        if (!decoded) {
            const auto offset = static_cast<std::size_t>(data.data() - frame.data());
            outcome = fail(frame_status::records_failed,
                           {decoded.error(), offset,
                            std::string("records field ") + info.name + " at offset " + std::to_string(offset) +
                                ": " + decoded.error().message()});
            return;
        }
        add_to_summary(outcome.records, *decoded);
    });
}

template <class Body>
roundtrip_outcome check_request(bytes_view frame, std::int16_t api_key, std::int16_t api_version) {
    const std::int16_t header_version = protocol::request_header_version(api_key, api_version);
    protocol::request_header header;
    std::size_t body_start = 0;
    if (auto p = detail::decode_header(frame, header_version, header, body_start)) {
        return fail(frame_status::decode_failed, std::move(*p));
    }
    if (auto p = detail::check_request_header(header, api_key, api_version)) {
        return fail(frame_status::decode_failed, std::move(*p));
    }
    Body body;
    if (auto p = detail::decode_exact(frame.subview(body_start), body_start, api_version, "body", body)) {
        return fail(frame_status::decode_failed, std::move(*p));
    }
    if (auto p = compare_reencoded(frame, header, header_version, body, api_version)) {
        return fail(frame_status::bytes_differ, std::move(*p));
    }
    roundtrip_outcome outcome;
    scan_records(frame, body, api_version, outcome);
    return outcome;
}

template <class Body>
roundtrip_outcome check_response(bytes_view frame, std::int16_t api_key, std::int16_t api_version) {
    const std::int16_t header_version = protocol::response_header_version(api_key, api_version);
    protocol::response_header header;
    std::size_t body_start = 0;
    if (auto p = detail::decode_header(frame, header_version, header, body_start)) {
        return fail(frame_status::decode_failed, std::move(*p));
    }
    Body body;
    std::int16_t body_version = api_version;
    if (auto p = detail::decode_response_body(frame.subview(body_start), body_start, api_version, body, body_version)) {
        return fail(frame_status::decode_failed, std::move(*p));
    }
    if (auto p = compare_reencoded(frame, header, header_version, body, body_version)) {
        return fail(frame_status::bytes_differ, std::move(*p));
    }
    roundtrip_outcome outcome;
    outcome.v0_fallback = body_version != api_version;
    scan_records(frame, body, body_version, outcome);
    return outcome;
}

// The items of a list, comma-separated in brackets, for mismatch messages.
template <class T>
std::string list_text(const std::vector<T>& items) {
    std::string out = "[";
    for (const auto& item : items) {
        if (out.size() > 1) out += ",";
        if constexpr (std::is_same_v<T, std::string>) {
            out += item;
        } else {
            out += std::to_string(item);
        }
    }
    return out + "]";
}

std::optional<std::string> compare_records(const expected_records& expected, const records_summary& found) {
    if (static_cast<std::int64_t>(found.records) != expected.records) {
        return "records: decoded " + std::to_string(found.records) + ", corpus expects " +
               std::to_string(expected.records);
    }
    if (!expected.magic.empty() && expected.magic != found.magic) {
        return "record magic: decoded " + list_text(found.magic) + ", corpus expects " + list_text(expected.magic);
    }
    if (!expected.codecs.empty() && expected.codecs != found.codecs) {
        return "record codecs: decoded " + list_text(found.codecs) + ", corpus expects " +
               list_text(expected.codecs);
    }
    if (static_cast<std::int64_t>(found.crc_bad) != expected.crc_bad) {
        return "bad CRCs: found " + std::to_string(found.crc_bad) + ", corpus expects " +
               std::to_string(expected.crc_bad);
    }
    return std::nullopt;
}

} // namespace

roundtrip_outcome roundtrip_frame(direction dir, std::int16_t api_key, std::int16_t api_version, bytes_view frame) {
    roundtrip_outcome outcome;
    // Both types come from one visit so each check is instantiated only for its own side.
    const bool known = protocol::visit_api(api_key, [&](auto request_tag, auto response_tag) {
        using request_type = typename decltype(request_tag)::type;
        using response_type = typename decltype(response_tag)::type;
        outcome = dir == direction::request ? check_request<request_type>(frame, api_key, api_version)
                                            : check_response<response_type>(frame, api_key, api_version);
    });
    if (!known) {
        return fail(frame_status::decode_failed,
                    {make_error_code(errc::unsupported_api), 0, "unknown api key " + std::to_string(api_key)});
    }
    return outcome;
}

roundtrip_outcome check_corpus_frame(const corpus_frame& frame) {
    auto outcome = roundtrip_frame(frame.dir, frame.api_key, frame.api_version,
                                   bytes_view(frame.bytes.data(), frame.bytes.size()));
    if (outcome.passed() && frame.records) {
        if (auto mismatch = compare_records(*frame.records, outcome.records)) {
            outcome.status = frame_status::records_mismatch;
            outcome.reason = std::move(*mismatch);
        }
    }
    return outcome;
}

} // namespace kafkit::codec
