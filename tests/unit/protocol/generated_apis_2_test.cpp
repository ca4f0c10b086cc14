// Generated codec, API keys 22 to 43: see generated_checks.hpp.
#include "generated_checks.hpp"

TEST_CASE("generated codec: API keys 22-43 round-trip, refuse truncation and unwritable fields") {
    CHECK(kafkit::protocol::testing::check_api_range<22, 43>() > 0);
}
