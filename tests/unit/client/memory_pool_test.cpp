// memory_pool: buffer.memory and queue.buffering.max.messages as backpressure. The waits are
// bounded by the max_block given to reserve(); nothing here asserts on how long they took.
//
// A test thread cannot see that another one is already blocked in reserve(), so the threaded
// cases are written to pass whichever runs first: the release or close() usually comes while
// the other thread waits (its start-up is slower than the first check), and when it comes
// before, reserve() must give the same answer anyway.

#include "producer/memory_pool.hpp"

#include "kafkit/protocol/error.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <system_error>
#include <thread>

using kafkit::errc;
using kafkit::detail::memory_pool;
using namespace std::chrono_literals;

namespace {

/// reserve(`bytes`) with a 10 s max.block.ms while another thread runs `other`. Bounded: a
/// lost wake-up shows as queue_full at the deadline, not as a hang.
template <class F> std::error_code reserve_while(memory_pool& pool, std::int64_t bytes, F other) {
    std::thread helper(other);
    const auto outcome = pool.reserve(bytes, 10s);
    helper.join();
    return outcome;
}

} // namespace

TEST_CASE("memory_pool: reservations count bytes and records and release gives them back") {
    memory_pool pool(1000, 10);
    CHECK_FALSE(pool.reserve(100, 0ms));
    CHECK_FALSE(pool.reserve(250, 0ms));
    CHECK(pool.bytes_used() == 350);
    CHECK(pool.records_used() == 2);
    pool.release(100, 1);
    CHECK(pool.bytes_used() == 250);
    CHECK(pool.records_used() == 1);
    pool.release(250, 1);
    CHECK(pool.bytes_used() == 0);
    CHECK(pool.records_used() == 0);
}

TEST_CASE(
    "memory_pool: the byte limit refuses a record that does not fit, with max.block.ms 0 at once") {
    memory_pool pool(100, 10);
    REQUIRE_FALSE(pool.reserve(60, 0ms));
    CHECK(pool.reserve(41, 0ms) == errc::queue_full);
    // The failed attempt left nothing behind: neither bytes nor its record slot.
    CHECK(pool.bytes_used() == 60);
    CHECK(pool.records_used() == 1);
    CHECK_FALSE(pool.reserve(40, 0ms)); // exactly full is allowed
    CHECK(pool.bytes_used() == 100);
    CHECK(pool.reserve(1, 0ms) == errc::queue_full);
}

TEST_CASE("memory_pool: the record limit refuses one record more however small") {
    memory_pool pool(1'000'000, 2);
    REQUIRE_FALSE(pool.reserve(1, 0ms));
    REQUIRE_FALSE(pool.reserve(1, 0ms));
    CHECK(pool.reserve(1, 0ms) == errc::queue_full);
    CHECK(pool.records_used() == 2);
    CHECK(pool.bytes_used() == 2);
    pool.release(1, 1);
    CHECK_FALSE(pool.reserve(1, 0ms));
    CHECK(pool.records_used() == 2);
}

TEST_CASE("memory_pool: a record larger than the whole pool is admitted when the pool is empty") {
    memory_pool pool(100, 10);
    CHECK_FALSE(pool.reserve(500, 0ms));
    CHECK(pool.bytes_used() == 500);
    // While it is held nothing else fits, not even one byte.
    CHECK(pool.reserve(1, 0ms) == errc::queue_full);
    pool.release(500, 1);
    // Not when something else is held: then it waits for the pool to empty.
    REQUIRE_FALSE(pool.reserve(1, 0ms));
    CHECK(pool.reserve(500, 0ms) == errc::queue_full);
    CHECK(pool.bytes_used() == 1);
}

TEST_CASE("memory_pool: a reservation waits up to max.block.ms then fails with queue_full") {
    memory_pool pool(100, 10);
    REQUIRE_FALSE(pool.reserve(100, 0ms));
    CHECK(pool.reserve(10, 30ms) == errc::queue_full);
    CHECK(pool.bytes_used() == 100);
    CHECK(pool.records_used() == 1);
}

TEST_CASE("memory_pool: a waiting reservation succeeds when another thread releases") {
    memory_pool pool(100, 10);
    REQUIRE_FALSE(pool.reserve(100, 0ms));
    CHECK_FALSE(reserve_while(pool, 30, [&pool] { pool.release(100, 1); }));
    CHECK(pool.bytes_used() == 30);
    CHECK(pool.records_used() == 1);
}

TEST_CASE("memory_pool: a record slot given back wakes a reservation waiting on the record limit") {
    memory_pool pool(1000, 1);
    REQUIRE_FALSE(pool.reserve(10, 0ms));
    CHECK_FALSE(reserve_while(pool, 20, [&pool] { pool.release(10, 1); }));
    CHECK(pool.bytes_used() == 20);
    CHECK(pool.records_used() == 1);
}

TEST_CASE("memory_pool: close() wakes a waiting reservation with errc::closed") {
    memory_pool pool(100, 10);
    REQUIRE_FALSE(pool.reserve(100, 0ms));
    // Had close() not woken it, the wait would end at its deadline with queue_full.
    CHECK(reserve_while(pool, 10, [&pool] { pool.close(); }) == errc::closed);
    CHECK(pool.bytes_used() == 100);
    CHECK(pool.records_used() == 1);
}

TEST_CASE("memory_pool: after close() every reservation fails with errc::closed, room or not") {
    memory_pool pool(100, 10);
    pool.close();
    CHECK(pool.reserve(1, 0ms) == errc::closed);
    CHECK(pool.reserve(1, 10s) == errc::closed);
    CHECK(pool.bytes_used() == 0);
    CHECK(pool.records_used() == 0);
}
