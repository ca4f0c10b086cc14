// encode_gathered: a message encoded with its large byte runs left out and noted is, once
// the runs are put back at their positions, the same bytes as encode() writes.

#include "kafkit/protocol/message.hpp"
#include "kafkit/protocol/messages/produce.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <ostream>
#include <vector>

using namespace kafkit::protocol;

namespace {

/// `bytes` with every gathered run inserted where it belongs.
std::vector<std::uint8_t> reassemble(const std::vector<std::uint8_t>& bytes, const std::vector<gathered_bytes>& runs) {
    std::vector<std::uint8_t> out;
    std::size_t at = 0;
    for (const auto& run : runs) {
        REQUIRE(run.position >= at);
        REQUIRE(run.position <= bytes.size());
        out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at),
                   bytes.begin() + static_cast<std::ptrdiff_t>(run.position));
        out.insert(out.end(), run.bytes.begin(), run.bytes.end());
        at = run.position;
    }
    out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at), bytes.end());
    return out;
}

/// A Produce request over two topics with records of the given sizes (contents arbitrary:
/// the codec treats them as bytes).
produce_request request_with(const std::vector<std::vector<std::uint8_t>>& records) {
    produce_request request;
    request.acks = -1;
    request.timeout_ms = 30000;
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto& topic = request.topic_data.emplace_back();
        topic.name = "topic-" + std::to_string(i % 2);
        auto& partition = topic.partition_data.emplace_back();
        partition.index = static_cast<std::int32_t>(i);
        partition.records = bytes_view(records[i].data(), records[i].size());
    }
    return request;
}

} // namespace

TEST_CASE("encode_gathered: runs at or above the threshold are left out, the rest copied; put back they "
          "give encode()'s bytes, for classic and flexible versions") {
    const std::vector<std::vector<std::uint8_t>> records = {
        std::vector<std::uint8_t>(5000, 0x11), std::vector<std::uint8_t>(100, 0x22),
        std::vector<std::uint8_t>(4096, 0x33), std::vector<std::uint8_t>(4095, 0x44)};
    const auto request = request_with(records);
    for (const std::int16_t version : {std::int16_t{3}, std::int16_t{8}, std::int16_t{9}, produce_request::max_version}) {
        INFO("Produce v" << version);
        std::vector<std::uint8_t> whole = {0xee}; // both append to what is there
        REQUIRE(encode(request, version, whole).has_value());

        std::vector<std::uint8_t> bytes = {0xee};
        std::vector<gathered_bytes> runs;
        REQUIRE(encode_gathered(request, version, bytes, runs, 4096).has_value());
        REQUIRE(runs.size() == 2); // the 5000- and 4096-byte batches
        CHECK(runs[0].bytes.data() == records[0].data()); // views, not copies
        CHECK(runs[1].bytes.data() == records[2].data());
        CHECK(bytes.size() == whole.size() - 5000 - 4096);
        CHECK(reassemble(bytes, runs) == whole);
    }
}

TEST_CASE("encode_gathered: an encoding error leaves the buffer and the runs as they were") {
    const std::vector<std::vector<std::uint8_t>> records = {std::vector<std::uint8_t>(8000, 0x55)};
    const auto request = request_with(records);
    std::vector<std::uint8_t> bytes = {1, 2, 3};
    std::vector<gathered_bytes> runs = {{1, bytes_view(records[0].data(), 10)}};
    const auto r = encode_gathered(request, produce_request::max_version + 1, bytes, runs, 4096);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == kafkit::errc::unsupported_version);
    CHECK(bytes == std::vector<std::uint8_t>{1, 2, 3});
    CHECK(runs.size() == 1);
}
