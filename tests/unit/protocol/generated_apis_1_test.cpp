// Generated codec, API keys 0 to 21: see generated_checks.hpp.
#include "generated_checks.hpp"

TEST_CASE("generated codec: API keys 0-21 round-trip, refuse truncation and unwritable fields") {
    CHECK(kafkit::protocol::testing::check_api_range<0, 21>() > 0);
}
