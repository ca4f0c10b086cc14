// release() and rewrite_producer_state(): how a producer seals a batch and stamps it with
// its producer id, epoch and sequence when it sends it.
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <doctest/doctest.h>

#include <ostream>
#include <string_view>
#include <vector>

using namespace kafkit::protocol;

namespace {

std::optional<bytes_view> text(std::string_view s) { return bytes_view::of(s); }

std::vector<std::uint8_t> sealed_batch(compression_codec codec) {
    record_batch_options options;
    options.codec = codec;
    record_batch_builder builder(options);
    builder.append(1000, text("k1"), text("v1"));
    builder.append(1001, std::nullopt, text("v2"));
    auto bytes = builder.release();
    REQUIRE(bytes);
    return std::move(*bytes);
}

} // namespace

TEST_CASE("record batch: release() gives the same bytes as finish() and empties the builder") {
    for (auto codec : {compression_codec::none, compression_codec::lz4}) {
        record_batch_options options;
        options.codec = codec;
        record_batch_builder builder(options);
        builder.append(1000, text("k1"), text("v1"));
        builder.append(1001, std::nullopt, text("v2"));
        std::vector<std::uint8_t> finished;
        REQUIRE(builder.finish(finished));
        auto released = builder.release();
        REQUIRE(released);
        CHECK(*released == finished);
        CHECK(builder.record_count() == 0);
    }
}

TEST_CASE("record batch: rewrite_producer_state stamps id, epoch and sequence with a valid CRC") {
    for (auto codec : {compression_codec::none, compression_codec::zstd}) {
        auto bytes = sealed_batch(codec);
        REQUIRE(rewrite_producer_state(bytes, 4242, 7, 100));
        auto batches = read_record_batches(bytes_view(bytes.data(), bytes.size()));
        REQUIRE(batches); // CRC verified by default
        REQUIRE(batches->size() == 1);
        const auto& header = (*batches)[0].header();
        CHECK(header.producer_id == 4242);
        CHECK(header.producer_epoch == 7);
        CHECK(header.base_sequence == 100);
        CHECK(header.codec() == codec);
        REQUIRE((*batches)[0].records().size() == 2);
        CHECK((*batches)[0].records()[1].value->as_string() == "v2");

        // Stamping again (an epoch bump) replaces the fields.
        REQUIRE(rewrite_producer_state(bytes, 4242, 8, 0));
        auto again = read_record_batches(bytes_view(bytes.data(), bytes.size()));
        REQUIRE(again);
        CHECK((*again)[0].header().producer_epoch == 8);
        CHECK((*again)[0].header().base_sequence == 0);
    }
}

TEST_CASE("record batch: rewrite_producer_state refuses a short or foreign buffer") {
    auto bytes = sealed_batch(compression_codec::none);
    std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + 30);
    CHECK(rewrite_producer_state(cut, 1, 0, 0).error() == kafkit::errc::truncated);
    auto shorter = bytes;
    shorter.pop_back();
    CHECK(rewrite_producer_state(shorter, 1, 0, 0).error() == kafkit::errc::truncated);
    bytes[16] = 1; // magic
    CHECK(rewrite_producer_state(bytes, 1, 0, 0).error() == kafkit::errc::malformed_frame);
}
