// Generated codec, API keys 66 to 87: see generated_checks.hpp.
#include "generated_checks.hpp"

TEST_CASE("generated codec: API keys 66-87 round-trip, refuse truncation and unwritable fields") {
    CHECK(kafkit::protocol::testing::check_api_range<66, 87>() > 0);
}
