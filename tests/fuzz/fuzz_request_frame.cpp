// libFuzzer target: a request frame (without its size prefix) as a server reads it. Splits
// header and body, decodes the body for the API and version the header names, and checks
// that what decodes re-encodes consistently.

#include "fuzz_support.hpp"
#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/messages/visit.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kafkit::protocol;
    auto frame = read_request_frame(bytes_view(data, size));
    if (!frame) return 0;
    visit_api(frame->api_key, [&](auto request_tag, auto) {
        using request = typename decltype(request_tag)::type;
        auto body = decode<request>(frame->body, frame->api_version);
        if (body) kafkit::fuzz::check_reencode(*body, frame->api_version);
    });

    // The generated RequestHeader must read what read_request_frame read.
    const std::int16_t header_version = request_header_version(frame->api_key, frame->api_version);
    wire_reader reader(bytes_view(data, size));
    const auto header = decode_from<request_header>(reader, header_version);
    if (!reader.ok() || reader.position() != size - frame->body.size() || header.correlation_id != frame->correlation_id) {
        kafkit::fuzz::fail("RequestHeader and read_request_frame disagree", "RequestHeader", header_version);
    }
    return 0;
}
