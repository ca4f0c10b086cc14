// Generated codec: the request and response headers and the non-API data schemas.
#include "generated_checks.hpp"

using namespace kafkit::protocol;
using namespace kafkit::protocol::testing;

TEST_CASE("generated codec: headers and data schemas round-trip at every version") {
    round_trip_stats stats;
    int prefixes = 0;
    visit_other_schemas([&]<class M>(type_tag<M>) {
        check_all_versions<M>(stats);
        for (std::int16_t v = M::min_version; v <= M::max_version; ++v) check_truncation<M>(v, prefixes);
    });
    CHECK(stats.messages >= 10);
    CHECK(stats.failures == 0);
}

TEST_CASE("generated codec: the API table lists all 88 keys of the schemas, in order") {
    REQUIRE(api_table().size() == 88);
    for (std::size_t i = 0; i < api_table().size(); ++i) CHECK(api_table()[i].key == static_cast<std::int16_t>(i));
    CHECK(find_api(0)->name == "Produce");
    CHECK(find_api(18)->name == "ApiVersions");
    CHECK(find_api(88) == nullptr);
    CHECK(find_api(-1) == nullptr);
}

TEST_CASE("generated codec: versions outside the schema are refused") {
    std::vector<std::uint8_t> out;
    CHECK(encode(produce_request{}, 12, out).error() == kafkit::errc::unsupported_version);
    CHECK(encode(produce_request{}, -1, out).error() == kafkit::errc::unsupported_version);
    const std::uint8_t bytes[] = {0, 0};
    CHECK(decode<metadata_request>(bytes_view(bytes, 2), 99).error() == kafkit::errc::unsupported_version);
}
