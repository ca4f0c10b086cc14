// Generated codec, API keys 44 to 65: see generated_checks.hpp.
#include "generated_checks.hpp"

TEST_CASE("generated codec: API keys 44-65 round-trip, refuse truncation and unwritable fields") {
    CHECK(kafkit::protocol::testing::check_api_range<44, 65>() > 0);
}
