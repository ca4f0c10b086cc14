// The admin client's security operations against kafkit-broker: ACLs created, listed by
// filter and deleted; SCRAM credentials set, described and removed; client quotas set,
// described by each match type and removed.

#include "admin_support.hpp"

#include <algorithm>

using namespace kafkit::integration;
using namespace kafkit::admin;
using kafkit::kafka_errc;

namespace {

acl_binding allow(std::string principal, resource_type type, std::string name, acl_operation op,
                  pattern_type pattern = pattern_type::literal) {
    return {{type, std::move(name), pattern}, {std::move(principal), "*", op, acl_permission_type::allow}};
}

std::vector<acl_binding> sorted(std::vector<acl_binding> v) {
    std::sort(v.begin(), v.end());
    return v;
}

} // namespace

TEST_CASE_FIXTURE(admin_fixture, "admin: ACLs created, described by filter, deleted by filter") {
    const auto read_orders = allow("User:alice", resource_type::topic, "orders", acl_operation::read);
    const auto write_prefixed = allow("User:bob", resource_type::topic, "ord", acl_operation::write, pattern_type::prefixed);
    const auto read_all_groups = allow("User:alice", resource_type::group, "*", acl_operation::read);
    const acl_binding invalid{{resource_type::any, "x", pattern_type::literal},
                              {"User:carol", "*", acl_operation::read, acl_permission_type::allow}};
    auto created = admin.create_acls({read_orders, write_prefixed, read_all_groups, invalid});
    CHECK_FALSE(error_of(created.value(read_orders)));
    CHECK_FALSE(error_of(created.value(write_prefixed)));
    CHECK_FALSE(error_of(created.value(read_all_groups)));
    CHECK(error_of(created.value(invalid)) == kafka_errc::invalid_request);

    CHECK(admin.describe_acls(acl_binding_filter::all()).get() == sorted({read_orders, write_prefixed, read_all_groups}));
    acl_binding_filter alice;
    alice.principal = "User:alice";
    CHECK(admin.describe_acls(alice).get() == sorted({read_orders, read_all_groups}));
    // MATCH: every binding that applies to topic "orders" (literal and prefixed alike).
    acl_binding_filter applies;
    applies.type = resource_type::topic;
    applies.name = "orders";
    applies.pattern = pattern_type::match;
    CHECK(admin.describe_acls(applies).get() == sorted({read_orders, write_prefixed}));

    acl_binding_filter bobs;
    bobs.principal = "User:bob";
    acl_binding_filter nobody;
    nobody.principal = "User:nobody";
    auto deleted = admin.delete_acls({bobs, nobody});
    CHECK(deleted.value(bobs).get() == std::vector<acl_binding>{write_prefixed});
    CHECK(deleted.value(nobody).get().empty());
    CHECK(admin.describe_acls(acl_binding_filter::all()).get() == sorted({read_orders, read_all_groups}));
}

TEST_CASE_FIXTURE(admin_fixture, "admin: SCRAM credentials set, described without secrets, removed") {
    auto set = admin.alter_user_scram_credentials(
        {{.user = "alice", .mechanism = scram_mechanism::sha_256, .iterations = 8192, .password = "secret"},
         {.user = "bob", .mechanism = scram_mechanism::sha_256, .iterations = 100, .password = "weak"}});
    CHECK_FALSE(error_of(set.value("alice")));
    CHECK(error_of(set.value("bob")) == kafka_errc::unacceptable_credential); // below 4096 iterations
    // One alteration per user and request, as Kafka's controller takes them.
    auto twice = admin.alter_user_scram_credentials(
        {{.user = "carol", .mechanism = scram_mechanism::sha_256, .password = "x"},
         {.user = "carol", .mechanism = scram_mechanism::sha_512, .password = "x"}});
    CHECK(error_of(twice.value("carol")) == kafka_errc::duplicate_resource);
    admin.alter_user_scram_credentials({{.user = "alice", .mechanism = scram_mechanism::sha_512, .password = "secret"}})
        .all()
        .get();

    auto all = admin.describe_user_scram_credentials().get();
    REQUIRE(all.count("alice") == 1);
    CHECK(all.count("bob") == 0);
    auto alice = all.at("alice").credentials;
    std::sort(alice.begin(), alice.end(), [](const auto& a, const auto& b) { return a.mechanism < b.mechanism; });
    CHECK(alice == std::vector<scram_credential_info>{{scram_mechanism::sha_256, 8192}, {scram_mechanism::sha_512, 4096}});
    CHECK(all.count("carol") == 0);
    CHECK(error_of(admin.describe_user_scram_credentials(std::vector<std::string>{"nobody"})) ==
          kafka_errc::resource_not_found);

    admin.alter_user_scram_credentials({}, {{.user = "alice", .mechanism = scram_mechanism::sha_512}}).all().get();
    CHECK(admin.describe_user_scram_credentials(std::vector<std::string>{"alice"}).get().at("alice").credentials ==
          std::vector<scram_credential_info>{{scram_mechanism::sha_256, 8192}});
}

TEST_CASE_FIXTURE(admin_fixture, "admin: client quotas set, described by exact, default and any match, removed") {
    const client_quota_entity alice{{"user", "alice"}};
    const client_quota_entity default_user{{"user", std::nullopt}};
    const client_quota_entity alice_app{{"user", "alice"}, {"client-id", "app"}};
    auto set = admin.alter_client_quotas({{alice, {{"producer_byte_rate", 1024.0}}},
                                          {default_user, {{"consumer_byte_rate", 2048.0}}},
                                          {alice_app, {{"request_percentage", 50.0}}},
                                          {{{"user", "mallory"}}, {{"no_such_quota", 1.0}}}});
    CHECK_FALSE(error_of(set.value(alice)));
    CHECK_FALSE(error_of(set.value(default_user)));
    CHECK_FALSE(error_of(set.value(alice_app)));
    CHECK(error_of(set.value({{"user", "mallory"}})) == kafka_errc::invalid_request);

    using component = client_quota_filter_component;
    const auto exact = admin.describe_client_quotas({{component::of("user", "alice")}, true}).get();
    REQUIRE(exact.size() == 1);
    CHECK(exact.at(alice).at("producer_byte_rate") == 1024.0);
    const auto loose = admin.describe_client_quotas({{component::of("user", "alice")}, false}).get();
    CHECK(loose.size() == 2); // alice, and alice with client-id app
    const auto defaults = admin.describe_client_quotas({{component::default_of("user")}, false}).get();
    REQUIRE(defaults.size() == 1);
    CHECK(defaults.at(default_user).at("consumer_byte_rate") == 2048.0);
    CHECK(admin.describe_client_quotas({{component::any_of("user")}, false}).get().size() == 3);

    admin.alter_client_quotas({{alice, {{"producer_byte_rate", std::nullopt}}}}).all().get();
    CHECK(admin.describe_client_quotas({{component::of("user", "alice")}, true}).get().empty());
}
