// rdkafka_err2str against librdkafka 2.0.2's rd_kafka_err2str(), which the table was
// captured from.

#include "c_number.hpp"
#include "rdkafka_errors.hpp"

#include <doctest/doctest.h>

#include <limits>

namespace kafkit::cli {

TEST_CASE("rdkafka_errors: broker codes in librdkafka's words") {
    CHECK(rdkafka_err2str(-1) == "Unknown broker error");
    CHECK(rdkafka_err2str(0) == "Success");
    CHECK(rdkafka_err2str(3) == "Broker: Unknown topic or partition");
    CHECK(rdkafka_err2str(5) == "Broker: Leader not available");
    CHECK(rdkafka_err2str(6) == "Broker: Not leader for partition");
    CHECK(rdkafka_err2str(17) == "Broker: Invalid topic");
    CHECK(rdkafka_err2str(29) == "Broker: Topic authorization failed");
    CHECK(rdkafka_err2str(97) == "Broker: Request principal deserialization failed during forwarding");
}

TEST_CASE("rdkafka_errors: local codes, and codes librdkafka 2.0.2 does not know") {
    CHECK(rdkafka_err2str(-199) == "Local: Bad message format");
    CHECK(rdkafka_err2str(-191) == "Broker: No more messages");
    CHECK(rdkafka_err2str(-190) == "Local: Unknown partition");
    CHECK(rdkafka_err2str(-185) == "Local: Timed out");
    CHECK(rdkafka_err2str(-140) == "Local: No offset to automatically reset to");
    CHECK(rdkafka_err2str(98) == "Err-98?");
    CHECK(rdkafka_err2str(-139) == "Err--139?");
    CHECK(rdkafka_err2str(-200) == "Err--200?");
}

TEST_CASE("c_number: strtoul and strtoll as glibc reads them") {
    CHECK(c_strtoul("0x1f", 0).value == 31);
    CHECK(c_strtoul("017", 0).value == 15);
    CHECK(c_strtoul("17", 0).value == 17);
    CHECK(c_strtoul("0xg", 16).consumed == 1); // the "0" alone
    CHECK(c_strtoul("0xg", 16).value == 0);
    CHECK(c_strtoul("  -1", 10).value == std::numeric_limits<std::uint64_t>::max());
    CHECK(c_strtoul("  -1", 10).consumed == 4);
    CHECK(c_strtoul("- 1", 10).consumed == 0);
    CHECK(c_strtoul("99999999999999999999999", 10).value == std::numeric_limits<std::uint64_t>::max());
    CHECK(c_strtoll("-9223372036854775809", 10).value == std::numeric_limits<std::int64_t>::min());
    CHECK(c_strtoll("9223372036854775808", 10).value == std::numeric_limits<std::int64_t>::max());
    CHECK(c_strtoll("-9223372036854775808", 10).value == std::numeric_limits<std::int64_t>::min());
    CHECK(c_strtoll("+12ab", 10).value == 12);
    CHECK(c_strtoll("+12ab", 10).consumed == 3);
}

} // namespace kafkit::cli
