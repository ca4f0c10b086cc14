// client_versions (what the client speaks per API) and broker_api_versions::pick (the
// highest version both sides know).

#include "net/api_versions.hpp"

#include "kafkit/protocol/messages/api_versions.hpp"
#include "kafkit/protocol/messages/fetch.hpp"
#include "kafkit/protocol/messages/metadata.hpp"
#include "kafkit/protocol/messages/produce.hpp"

#include <doctest/doctest.h>

#include <optional>

using kafkit::detail::broker_api_versions;
using kafkit::detail::client_versions;
using kafkit::detail::version_range;

TEST_CASE(
    "api_versions: Produce from v3, Fetch from v4, Metadata from v1, up to what the codec knows") {
    const auto produce = client_versions(0);
    CHECK(produce.min == 3);
    CHECK(produce.max == kafkit::protocol::produce_request::max_version);
    const auto fetch = client_versions(1);
    CHECK(fetch.min == 4);
    CHECK(fetch.max == kafkit::protocol::fetch_request::max_version);
    const auto metadata = client_versions(3);
    CHECK(metadata.min == 1);
    CHECK(metadata.max == kafkit::protocol::metadata_request::max_version);
}

TEST_CASE("api_versions: other known APIs get the codec's whole range") {
    const auto api_versions = client_versions(18);
    CHECK(api_versions.min == kafkit::protocol::api_versions_request::min_version);
    CHECK(api_versions.max == kafkit::protocol::api_versions_request::max_version);
    CHECK_FALSE(api_versions.empty());
}

TEST_CASE("api_versions: unknown API keys have an empty range") {
    for (const std::int16_t key : {-1, 9999, 127, 32767}) {
        CAPTURE(key);
        CHECK(client_versions(key).empty());
    }
}

TEST_CASE("api_versions: pick chooses the highest version both sides know") {
    broker_api_versions broker;
    broker.set(3, {0, 7});
    broker.set(0, {3, 12});
    broker.set(1, {0, 20});
    CHECK(broker.pick(3, client_versions(3)) == std::optional<std::int16_t>(7)); // ours go higher
    CHECK(broker.pick(0, {3, 9}) == std::optional<std::int16_t>(9));             // theirs go higher
    CHECK(broker.pick(1, {4, 4}) == std::optional<std::int16_t>(4));             // one version
    CHECK(broker.pick(3, {7, 10}) == std::optional<std::int16_t>(7));            // touching ends
}

TEST_CASE("api_versions: pick gives nullopt without a common version") {
    broker_api_versions broker;
    broker.set(0, {0, 2});
    broker.set(3, {5, 12});
    CHECK_FALSE(broker.pick(0, client_versions(0)).has_value()); // broker too old for v3+
    CHECK_FALSE(broker.pick(3, {1, 4}).has_value());             // broker too new
    CHECK_FALSE(broker.pick(3, version_range{}).has_value());    // we do not speak it
    CHECK_FALSE(broker.pick(22, {0, 5}).has_value());            // broker does not list it
}

TEST_CASE("api_versions: keys outside the table are ignored and read as empty") {
    broker_api_versions broker;
    broker.set(-1, {0, 5});
    broker.set(static_cast<std::int16_t>(broker_api_versions::max_keys), {0, 5});
    CHECK(broker.broker(-1).empty());
    CHECK(broker.broker(static_cast<std::int16_t>(broker_api_versions::max_keys)).empty());
    CHECK_FALSE(broker.pick(-1, {0, 5}).has_value());
    broker.set(60, {1, 2});
    CHECK(broker.broker(60).min == 1);
    CHECK(broker.broker(60).max == 2);
}
