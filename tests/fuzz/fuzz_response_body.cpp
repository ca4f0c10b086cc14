// libFuzzer target: any message body of any API. The first three bytes choose the API key,
// the version and the direction (bit 0 of the third: 0 request, 1 response); the rest is
// the body. What decodes must re-encode consistently.

#include "fuzz_support.hpp"
#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/messages/visit.hpp"

#include <cstddef>
#include <cstdint>

namespace {

template <class M>
void decode_body(kafkit::protocol::bytes_view body, std::int16_t version) {
    auto message = kafkit::protocol::decode<M>(body, version);
    if (message) kafkit::fuzz::check_reencode(*message, version);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kafkit::protocol;
    if (size < 3) return 0;
    const std::int16_t api_key = data[0];
    const std::int16_t version = data[1];
    const bool response = (data[2] & 1) != 0;
    const bytes_view body(data + 3, size - 3);
    visit_api(api_key, [&](auto request_tag, auto response_tag) {
        if (response) {
            using message = typename decltype(response_tag)::type;
            decode_body<message>(body, version);
            // The frame-level reader too, with its ApiVersions v0 fallback: a frame is the
            // body behind a correlation id (and an empty tag section when flexible).
            if (api_key == 18) (void)decode_response_frame<message>(bytes_view(data + 3, size - 3), version);
        } else {
            using message = typename decltype(request_tag)::type;
            decode_body<message>(body, version);
        }
    });
    return 0;
}
