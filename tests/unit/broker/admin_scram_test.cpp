// AlterUserScramCredentials and DescribeUserScramCredentials against the embedded broker:
// upsertions and deletions per user and mechanism, Kafka's validation (iterations bounds,
// mechanisms, one alteration per user), describe of all or named users, persistence.

#include "admin_support.hpp"
#include "kafkit/protocol/messages/alter_user_scram_credentials.hpp"
#include "kafkit/protocol/messages/describe_user_scram_credentials.hpp"

#include <tuple>

using namespace kafkit;
using namespace kafkit::protocol;
using namespace kafkit::testing::admin;

namespace {

constexpr std::int8_t sha256 = 1, sha512 = 2;
const std::vector<std::uint8_t> salt = {1, 2, 3, 4};
const std::vector<std::uint8_t> password = {9, 8, 7};

alter_user_scram_credentials_request::scram_credential_upsertion upsert(std::string user, std::int8_t mechanism,
                                                                        std::int32_t iterations = 8192) {
    return {std::move(user), mechanism, iterations, bytes_view(salt.data(), salt.size()),
            bytes_view(password.data(), password.size()), {}};
}

alter_user_scram_credentials_request::scram_credential_deletion deletion(std::string user, std::int8_t mechanism) {
    return {std::move(user), mechanism, {}};
}

using result_list = std::vector<std::tuple<std::string, std::int16_t, opt>>;

result_list alter(broker_test_client& client, std::vector<alter_user_scram_credentials_request::scram_credential_upsertion> upsertions,
                  std::vector<alter_user_scram_credentials_request::scram_credential_deletion> deletions = {}) {
    alter_user_scram_credentials_request request;
    request.upsertions = std::move(upsertions);
    request.deletions = std::move(deletions);
    result_list out;
    for (const auto& r : client.call<alter_user_scram_credentials_response>(request, 0).results)
        out.emplace_back(r.user, r.error_code, r.error_message);
    return out;
}

describe_user_scram_credentials_response describe(broker_test_client& client, std::optional<std::vector<std::string>> users) {
    describe_user_scram_credentials_request request;
    if (users) {
        request.users.emplace();
        for (auto& u : *users) request.users->push_back({u, {}});
    } else {
        request.users = std::nullopt;
    }
    return client.call<describe_user_scram_credentials_response>(request, 0);
}

/// (mechanism, iterations) of one described user.
std::vector<std::pair<std::int8_t, std::int32_t>> infos(const describe_user_scram_credentials_response::describe_user_scram_credentials_result& r) {
    std::vector<std::pair<std::int8_t, std::int32_t>> out;
    for (const auto& c : r.credential_infos) out.emplace_back(c.mechanism, c.iterations);
    return out;
}

} // namespace

TEST_CASE("scram: upserted credentials are described per mechanism; deletion removes one") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    CHECK(alter(client, {upsert("alice", sha256, 4096), upsert("bob", sha512, 16384)}) ==
          result_list{{"alice", 0, std::nullopt}, {"bob", 0, std::nullopt}});
    CHECK(alter(client, {upsert("alice", sha512, 10000)}) == result_list{{"alice", 0, std::nullopt}});

    auto all = describe(client, std::nullopt);
    CHECK(all.error_code == 0);
    REQUIRE(all.results.size() == 2);
    CHECK(all.results[0].user == "alice");
    CHECK(all.results[0].error_code == 0);
    CHECK(infos(all.results[0]) == std::vector<std::pair<std::int8_t, std::int32_t>>{{sha256, 4096}, {sha512, 10000}});
    CHECK(all.results[1].user == "bob");
    CHECK(infos(all.results[1]) == std::vector<std::pair<std::int8_t, std::int32_t>>{{sha512, 16384}});
    CHECK(describe(client, std::vector<std::string>{}).results.size() == 2);

    CHECK(alter(client, {}, {deletion("alice", sha256)}) == result_list{{"alice", 0, std::nullopt}});
    auto alice = describe(client, std::vector<std::string>{"alice"});
    REQUIRE(alice.results.size() == 1);
    CHECK(infos(alice.results[0]) == std::vector<std::pair<std::int8_t, std::int32_t>>{{sha512, 10000}});
    CHECK(alter(client, {}, {deletion("bob", sha512)}) == result_list{{"bob", 0, std::nullopt}});
    auto remaining = describe(client, std::nullopt);
    REQUIRE(remaining.results.size() == 1);
    CHECK(remaining.results[0].user == "alice");
}

TEST_CASE("scram: invalid alterations get Kafka's codes and messages and change nothing") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    const auto unacceptable = code(kafka_errc::unacceptable_credential);
    CHECK(alter(client, {upsert("few", sha256, 4095), upsert("many", sha512, 16385), upsert("", sha256), upsert("mech", 3),
                         upsert("twice", sha256), upsert("twice", sha512)},
                {deletion("nobody", sha256), deletion("mixed", sha256)}) ==
          result_list{{"nobody", code(kafka_errc::resource_not_found), opt("Attempt to delete a user credential that does not exist")},
                      {"mixed", code(kafka_errc::resource_not_found), opt("Attempt to delete a user credential that does not exist")},
                      {"few", unacceptable, opt("Too few iterations")},
                      {"many", unacceptable, opt("Too many iterations")},
                      {"", unacceptable, opt("Username must not be empty")},
                      {"mech", code(kafka_errc::unsupported_sasl_mechanism), opt("Unknown SCRAM mechanism")},
                      {"twice", code(kafka_errc::duplicate_resource), opt("A user credential cannot be altered twice in the same request")}});
    CHECK(describe(client, std::nullopt).results.empty());
    // A deletion and an upsertion of the same user are two alterations too.
    CHECK(alter(client, {upsert("carol", sha256)}) == result_list{{"carol", 0, std::nullopt}});
    CHECK(alter(client, {upsert("carol", sha512)}, {deletion("carol", sha256)}) ==
          result_list{{"carol", code(kafka_errc::duplicate_resource), opt("A user credential cannot be altered twice in the same request")}});
    CHECK(infos(describe(client, std::vector<std::string>{"carol"}).results.at(0)).size() == 1);
}

TEST_CASE("scram: describe of named users: unknown is RESOURCE_NOT_FOUND, a name twice DUPLICATE_RESOURCE") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    REQUIRE(alter(client, {upsert("alice", sha256)}).size() == 1);
    auto response = describe(client, std::vector<std::string>{"ghost", "alice", "alice"});
    CHECK(response.error_code == 0);
    REQUIRE(response.results.size() == 2);
    CHECK(response.results[0].user == "ghost");
    CHECK(response.results[0].error_code == code(kafka_errc::resource_not_found));
    CHECK(response.results[0].error_message == opt("attemptToDescribeUserThatDoesNotExist: ghost"));
    CHECK(response.results[1].user == "alice");
    CHECK(response.results[1].error_code == code(kafka_errc::duplicate_resource));
    CHECK(response.results[1].error_message ==
          opt("Cannot describe SCRAM credentials for the same user twice in a single request: alice"));
    CHECK(response.results[1].credential_infos.empty());
}

TEST_CASE("scram: credentials survive a restart on the same data dir") {
    across_restart(
        [](broker_test_client& client) {
            REQUIRE(alter(client, {upsert("alice", sha512, 5000)}) == result_list{{"alice", 0, std::nullopt}});
        },
        [](broker_test_client& client) {
            auto all = describe(client, std::nullopt);
            REQUIRE(all.results.size() == 1);
            CHECK(infos(all.results[0]) == std::vector<std::pair<std::int8_t, std::int32_t>>{{sha512, 5000}});
            // The stored salt came back too: deleting the credential finds it.
            CHECK(alter(client, {}, {deletion("alice", sha512)}) == result_list{{"alice", 0, std::nullopt}});
        });
}

TEST_CASE("scram: an injected error answers every user and stores nothing") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    const auto denied = code(kafka_errc::cluster_authorization_failed);
    broker.get().faults().push_request_errors(-1, 51, {broker::injected_error{denied}});
    CHECK(alter(client, {upsert("alice", sha256)}) == result_list{{"alice", denied, std::nullopt}});
    broker.get().faults().push_request_errors(-1, 50, {broker::injected_error{denied}});
    CHECK(describe(client, std::nullopt).error_code == denied);
    CHECK(describe(client, std::nullopt).results.empty());
}
