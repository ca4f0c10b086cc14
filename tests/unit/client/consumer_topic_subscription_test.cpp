// topic_subscription: names and librdkafka-style patterns ('^'-prefixed, whole-name
// ECMAScript matches), with internal topics left to names when they are excluded.

#include "consumer/topic_subscription.hpp"

#include <doctest/doctest.h>

#include <regex>

using kafkit::detail::topic_subscription;

TEST_CASE("topic_subscription: names match exactly, patterns match whole names") {
    const topic_subscription s({"orders", "^audit-[0-9]+", "orders"});
    CHECK(s.names() == std::vector<std::string>{"orders"});
    CHECK(s.has_patterns());
    CHECK(s.matches("orders", false, true));
    CHECK_FALSE(s.matches("orders-eu", false, true));
    CHECK(s.matches("audit-7", false, true));
    CHECK_FALSE(s.matches("audit-7x", false, true)); // the whole name, not a prefix
    CHECK_FALSE(s.matches("xaudit-7", false, true));
}

TEST_CASE("topic_subscription: internal topics match a pattern only when not excluded, a name always") {
    const topic_subscription s({"^.*", "__named"});
    CHECK_FALSE(s.matches("__consumer_offsets", false, true)); // "__" counts as internal
    CHECK_FALSE(s.matches("flagged", true, true));
    CHECK(s.matches("__consumer_offsets", false, false));
    CHECK(s.matches("__named", true, true));
}

TEST_CASE("topic_subscription: a pattern that does not compile throws") {
    CHECK_THROWS_AS(topic_subscription({"^(unclosed"}), std::regex_error);
    CHECK_FALSE(topic_subscription({"^x"}).matches("y", false, true));
}
