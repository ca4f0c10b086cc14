// docs/api-usage.json says which versions the reference broker serves (docs/protocol.md is
// generated from it): it must match what the broker advertises in ApiVersions.

#include "kafkit/protocol/messages/api_table.hpp"
#include "server/api_registry.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

TEST_CASE("api docs: docs/api-usage.json lists exactly the APIs and versions the broker serves") {
    std::ifstream in(std::string(KAFKIT_SOURCE_DIR) + "/docs/api-usage.json");
    REQUIRE(in);
    const auto documented = nlohmann::json::parse(in).at("broker");
    std::size_t served = 0;
    for (const auto& api : kafkit::broker::served_apis()) {
        const auto* info = kafkit::protocol::find_api(api.key);
        REQUIRE(info != nullptr);
        const std::string name(info->name);
        const std::string versions = api.min_version == api.max_version
                                         ? std::to_string(api.min_version)
                                         : std::to_string(api.min_version) + "-" + std::to_string(api.max_version);
        INFO("API " << name);
        REQUIRE(documented.contains(name));
        CHECK(documented.at(name).get<std::string>() == versions);
        ++served;
    }
    CHECK(documented.size() == served);
}
