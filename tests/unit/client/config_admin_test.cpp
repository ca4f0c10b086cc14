// The admin client's own property: default.api.timeout.ms read, checked and named in
// errors; other clients' properties validated and ignored.

#include "config/admin_settings.hpp"

#include "kafkit/exception.hpp"
#include "kafkit/protocol/error.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("admin settings: default.api.timeout.ms is read and checked, naming the property") {
    using kafkit::detail::parse_admin_settings;
    CHECK(parse_admin_settings({{"bootstrap.servers", "127.0.0.1:9092"}}).default_api_timeout == std::chrono::seconds(60));
    CHECK(parse_admin_settings({{"bootstrap.servers", "127.0.0.1:9092"}, {"default.api.timeout.ms", "1500"}})
              .default_api_timeout == std::chrono::milliseconds(1500));
    try {
        (void)parse_admin_settings({{"bootstrap.servers", "127.0.0.1:9092"}, {"default.api.timeout.ms", "-5"}});
        FAIL("a negative timeout was accepted");
    } catch (const kafkit::exception& e) {
        CHECK(e.code() == kafkit::errc::invalid_config);
        CHECK(std::string(e.what()).find("default.api.timeout.ms") != std::string::npos);
    }
    // A producer's property is validated, then ignored by an admin client (as librdkafka does).
    CHECK_NOTHROW((void)parse_admin_settings({{"bootstrap.servers", "127.0.0.1:9092"}, {"linger.ms", "5"}}));
    CHECK_THROWS_AS((void)parse_admin_settings({{"bootstrap.servers", "127.0.0.1:9092"}, {"linger.ms", "x"}}), kafkit::exception);
}
