// The promises behind the admin client's keyed results: one future per entity, all() once
// the last entity completes, with every value or the first failure in key order; values
// handed out as copies; on_all for operations built on others.

#include "admin/keyed_promises.hpp"

#include "kafkit/exception.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using kafkit::detail::keyed_promises;
using kafkit::kafka_errc;

namespace {

template <class Future>
std::error_code error_of(const Future& f) {
    try {
        f.get();
        return {};
    } catch (const kafkit::exception& e) {
        return e.code();
    }
}

} // namespace

TEST_CASE("keyed_promises: all() waits for the last entity and gives every value, keyed") {
    keyed_promises<std::string, int> p({"b", "a", "b"}); // a key named twice is one entity
    auto r = p.result();
    CHECK(r.values().size() == 2);
    p.succeed("b", 2);
    CHECK(r.value("b").ready());
    CHECK_FALSE(r.all().ready());
    CHECK(p.pending() == std::vector<std::string>{"a"});
    p.succeed("a", 1);
    CHECK(r.all().get() == std::map<std::string, int>{{"a", 1}, {"b", 2}});
    p.succeed("a", 7); // completed entities stay as they were
    CHECK(r.value("a").get() == 1);
    CHECK_THROWS_AS((void)r.value("c"), std::out_of_range);
}

TEST_CASE("keyed_promises: one entity's error fails it alone; all() carries the first failure by key") {
    keyed_promises<std::string, void> p({"x", "y", "z"});
    auto r = p.result();
    p.fail("z", make_error_code(kafka_errc::invalid_config), "topic z");
    p.succeed("x");
    p.fail("y", make_error_code(kafka_errc::topic_already_exists), "topic y");
    CHECK_FALSE(error_of(r.value("x")));
    CHECK(error_of(r.value("y")) == kafka_errc::topic_already_exists);
    CHECK(error_of(r.value("z")) == kafka_errc::invalid_config);
    CHECK(error_of(r.all()) == kafka_errc::topic_already_exists);
    try {
        r.value("z").get();
    } catch (const kafkit::exception& e) {
        CHECK(std::string(e.what()).find("topic z") == 0);
    }
}

TEST_CASE("keyed_promises: no entities complete at once; on_all runs after the last, or at once when done") {
    keyed_promises<int, int> none({});
    CHECK(none.result().all().get().empty());
    int ran = 0;
    none.on_all([&] { ++ran; });
    CHECK(ran == 1);

    keyed_promises<int, int> two({1, 2});
    auto r = two.result();
    std::error_code second;
    two.on_all([&] {
        ran += r.value(1).get();
        second = error_of(r.value(2)); // every future is ready when on_all runs
    });
    two.succeed(1, 10);
    CHECK(ran == 1);
    two.fail_pending(make_error_code(kafka_errc::request_timed_out), [](int k) { return "entity " + std::to_string(k); });
    CHECK(ran == 11);
    CHECK(second == kafka_errc::request_timed_out);
}
