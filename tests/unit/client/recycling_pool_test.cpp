// recycling_pool: objects come back when their last holder lets go, from any thread, and
// the pool keeps no more than its bound.

#include "util/recycling_pool.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <thread>
#include <vector>

using kafkit::detail::recycling_pool;

namespace {

using byte_pool = recycling_pool<std::vector<int>>;

std::size_t weight(const std::vector<int>& v) noexcept { return v.capacity(); }

std::shared_ptr<std::vector<int>> take(byte_pool& pool, int* made = nullptr) {
    return pool.take([made] {
        if (made) ++*made;
        return std::make_unique<std::vector<int>>();
    });
}

} // namespace

TEST_CASE("recycling_pool: an object let go comes back with its storage, also from another thread") {
    auto pool = std::make_shared<byte_pool>(1000, &weight);
    int made = 0;
    auto first = take(*pool, &made);
    first->reserve(100);
    const int* storage = first->data();
    std::thread([held = std::move(first)]() mutable { held.reset(); }).join();
    auto again = take(*pool, &made);
    CHECK(made == 1);
    CHECK(again->data() == storage);
    CHECK(again->capacity() >= 100);
}

TEST_CASE("recycling_pool: what passes the bound is freed, and objects outlive a destroyed pool") {
    auto pool = std::make_shared<byte_pool>(150, &weight);
    int made = 0;
    auto a = take(*pool, &made);
    auto b = take(*pool, &made);
    a->reserve(100);
    b->reserve(100);
    a.reset(); // kept: 100 of 150
    b.reset(); // freed: 200 would pass the bound
    auto c = take(*pool, &made);
    auto d = take(*pool, &made);
    CHECK(made == 3); // c reused a; d is new
    CHECK((c->capacity() >= 100) != (d->capacity() >= 100));
    pool.reset();
    c->push_back(1); // still usable; freed when let go
    c.reset();
    d.reset();
}
