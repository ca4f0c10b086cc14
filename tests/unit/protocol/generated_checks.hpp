#pragma once
// Checks shared by the generated-codec tests: each test file covers one range of API
// keys, so the heavy template instantiations spread over translation units.

#include "message_filler.hpp"

#include "kafkit/protocol/messages/visit.hpp"

#include <doctest/doctest.h>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace kafkit::protocol::testing {


struct round_trip_stats {
    int messages = 0;
    int failures = 0;
};

template <class M>
void check_round_trip(std::int16_t version, round_trip_stats& stats) {
    message_filler filler(version);
    M original;
    filler.fill(original);
    if (is_flexible<M>(version)) {
        // Tags far above any Kafka uses: unknown to the codec, so they must be kept as bytes.
        static const std::uint8_t payload[] = {0xde, 0xad, 0xbe, 0xef};
        original.unknown_tags.push_back({1000, bytes_view(payload, 2)});
        original.unknown_tags.push_back({1001, bytes_view(payload, 4)});
    }
    const std::string what = std::string(M::schema_name) + " v" + std::to_string(version);
    ++stats.messages;

    std::vector<std::uint8_t> encoded;
    auto written = encode(original, version, encoded);
    if (!written) {
        ++stats.failures;
        FAIL_CHECK(what << ": encode failed: " << written.error().message());
        return;
    }
    auto decoded = decode<M>(bytes_view(encoded.data(), encoded.size()), version);
    if (!decoded) {
        ++stats.failures;
        FAIL_CHECK(what << ": decode failed: " << decoded.error().message());
        return;
    }
    if (!(*decoded == original)) {
        ++stats.failures;
        FAIL_CHECK(what << ": decoded message differs from the original");
    }
    std::vector<std::uint8_t> again;
    CHECK_MESSAGE(encode(*decoded, version, again).has_value(), what);
    if (again != encoded) {
        ++stats.failures;
        FAIL_CHECK(what << ": re-encoding is not byte-identical");
    }
}

template <class M>
void check_all_versions(round_trip_stats& stats) {
    for (std::int16_t v = M::min_version; v <= M::max_version; ++v) check_round_trip<M>(v, stats);
}

template <class M>
void check_truncation(std::int16_t version, int& prefixes) {
    message_filler filler(version);
    M original;
    filler.fill(original);
    std::vector<std::uint8_t> encoded;
    REQUIRE(encode(original, version, encoded).has_value());
    for (std::size_t n = 0; n < encoded.size(); ++n) {
        auto decoded = decode<M>(bytes_view(encoded.data(), n), version);
        ++prefixes;
        if (decoded) FAIL_CHECK(M::schema_name << " v" << version << ": a " << n << "-byte prefix decoded");
    }
}


/// Fills M at its newest version and encodes it at each older one: where a field the
/// older version lacks (and may not drop) holds a value, the encoder must refuse.
template <class M>
int check_unwritable_fields() {
    message_filler filler(M::max_version);
    M newest;
    filler.fill(newest);
    int refusals = 0;
    for (std::int16_t v = M::min_version; v < M::max_version; ++v) {
        if (!absent_field_finder::has_unwritable_field(newest, M::max_version, v)) continue;
        std::vector<std::uint8_t> out;
        auto written = encode(newest, v, out);
        CHECK_MESSAGE(written.error() == kafkit::errc::invalid_field_value, M::schema_name << " v" << v);
        CHECK(out.empty());
        ++refusals;
    }
    return refusals;
}

/// Calls `f(type_tag<Request>{}, type_tag<Response>{})` for each API key in [First, Last].
template <std::int16_t First, std::int16_t Last, class F>
void for_each_api_in(F&& f) {
    [&]<std::int16_t... I>(std::integer_sequence<std::int16_t, I...>) {
        (f(type_tag<typename api_types<First + I>::request>{}, type_tag<typename api_types<First + I>::response>{}),
         ...);
    }(std::make_integer_sequence<std::int16_t, Last - First + 1>{});
}

/// Everything the generated codec promises, for the APIs with keys in [First, Last]:
/// round trips at every version, refusal of every truncated prefix, refusal of fields a
/// version cannot carry. Returns the number of message versions checked.
template <std::int16_t First, std::int16_t Last>
int check_api_range() {
    round_trip_stats stats;
    int prefixes = 0;
    int refusals = 0;
    for_each_api_in<First, Last>([&]<class Req, class Resp>(type_tag<Req>, type_tag<Resp>) {
        check_all_versions<Req>(stats);
        check_all_versions<Resp>(stats);
        for (std::int16_t v = Req::min_version; v <= Req::max_version; ++v) {
            check_truncation<Req>(v, prefixes);
            check_truncation<Resp>(v, prefixes);
        }
        refusals += check_unwritable_fields<Req>() + check_unwritable_fields<Resp>();
    });
    CHECK(stats.failures == 0);
    CHECK(prefixes > stats.messages * 10);
    // Every key range has APIs whose newer versions added fields: a finder that never
    // found one would make the downgrade check vacuous.
    CHECK(refusals > 0);
    MESSAGE(stats.messages << " message versions, " << prefixes << " truncated prefixes, " << refusals
                           << " refused downgrades");
    return stats.messages;
}

} // namespace kafkit::protocol::testing
