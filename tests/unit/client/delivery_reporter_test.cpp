// delivery_reporter: every record's one outcome, as a callback (on the completing thread, or
// queued for poll() with callback.dispatch=poll) or a future; memory back to the pool;
// outstanding counts for flush().

#include "producer/delivery_reporter.hpp"

#include "config_test_support.hpp"
#include "kafkit/exception.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "producer/memory_pool.hpp"
#include "producer/producer_batch.hpp"
#include "producer/record_accumulator.hpp"
#include "util/logger.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using kafkit::record_metadata;
using kafkit::detail::callback_dispatch;
using kafkit::detail::delivery_reporter;
using kafkit::detail::delivery_target;
using kafkit::detail::memory_pool;
using kafkit::detail::producer_batch;
using kafkit::detail::topic_state;
using namespace std::chrono_literals;

namespace {

/// One callback's call, copied out of the metadata.
struct outcome {
    std::string tag;
    std::error_code error;
    std::string topic;
    std::int32_t partition = -1;
    std::int64_t offset = -2;
    std::int64_t timestamp = -2;
    std::int32_t key_size = -2;
    std::int32_t value_size = -2;
    std::thread::id thread;
};

/// A reporter over a pool, and a batch of `orders` partition 2 whose records reserved
/// `record_bytes` each (as send() would have done).
struct reporter_fixture {
    explicit reporter_fixture(callback_dispatch dispatch)
        : reporter(dispatch, pool, kafkit::detail::logger(logs.sink(), kafkit::log_level::debug)) {}

    /// A callback target that records its call under `tag`.
    delivery_target callback(std::string tag) {
        return kafkit::delivery_callback([this, tag](std::error_code ec, const record_metadata& m) {
            outcomes.push_back({tag, ec, std::string(m.topic), m.partition.value(),
                                m.offset.value(), m.timestamp_ms, m.serialized_key_size,
                                m.serialized_value_size, std::this_thread::get_id()});
        });
    }

    /// Adds a record to `batch` as the accumulator does: memory reserved, accepted.
    void add(producer_batch& batch, delivery_target target, std::int64_t timestamp,
             std::int32_t key_size = 3, std::int32_t value_size = 5) {
        REQUIRE_FALSE(pool.reserve(record_bytes, 0ms));
        reporter.accepted();
        batch.entries.push_back({std::move(target), timestamp, key_size, value_size});
        batch.reserved_bytes += record_bytes;
    }

    std::unique_ptr<producer_batch> batch() {
        return std::make_unique<producer_batch>(topic, 2, kafkit::protocol::record_batch_options{});
    }

    static constexpr std::int64_t record_bytes = 40;
    topic_state topic{"orders"};
    memory_pool pool{1'000'000, 1000};
    kafkit::testing::log_capture logs;
    std::vector<outcome> outcomes;
    delivery_reporter reporter;
};

std::vector<std::string> tags(const std::vector<outcome>& outcomes) {
    std::vector<std::string> out;
    for (const auto& o : outcomes)
        out.push_back(o.tag);
    return out;
}

} // namespace

TEST_CASE(
    "delivery_reporter: io_thread dispatch runs the callbacks in complete(), in record order") {
    reporter_fixture f(callback_dispatch::io_thread);
    auto batch = f.batch();
    f.add(*batch, f.callback("a"), 1000, 1, 10);
    f.add(*batch, f.callback("b"), 1001, -1, 11);
    f.add(*batch, f.callback("c"), 1002, 3, -1);
    CHECK(f.reporter.outstanding() == 3);
    CHECK(f.pool.bytes_used() == 3 * reporter_fixture::record_bytes);

    f.reporter.complete(*batch, {}, 500, -1);
    REQUIRE(f.outcomes.size() == 3);
    CHECK(tags(f.outcomes) == std::vector<std::string>{"a", "b", "c"});
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& o = f.outcomes[i];
        CHECK_FALSE(o.error);
        CHECK(o.topic == "orders");
        CHECK(o.partition == 2);
        CHECK(o.offset == 500 + static_cast<std::int64_t>(i));
        CHECK(o.timestamp == 1000 + static_cast<std::int64_t>(i)); // CreateTime: the record's own
        CHECK(o.thread == std::this_thread::get_id());
    }
    CHECK(f.outcomes[0].key_size == 1);
    CHECK(f.outcomes[1].key_size == -1);
    CHECK(f.outcomes[2].value_size == -1);
    CHECK(f.outcomes[0].value_size == 10);
    CHECK(f.reporter.delivered() == 3);
    CHECK(f.reporter.failed() == 0);
    CHECK(f.reporter.outstanding() == 0);
    // The batch's memory is back in the pool, and the batch holds nothing more.
    CHECK(f.pool.bytes_used() == 0);
    CHECK(f.pool.records_used() == 0);
    CHECK(batch->reserved_bytes == 0);
    CHECK(batch->entries.empty());
}

TEST_CASE("delivery_reporter: LogAppendTime replaces the records' timestamps, offset -1 stays -1") {
    reporter_fixture f(callback_dispatch::io_thread);
    auto batch = f.batch();
    f.add(*batch, f.callback("a"), 1000);
    f.add(*batch, f.callback("b"), 1001);
    f.reporter.complete(*batch, {}, -1, 77'000);
    REQUIRE(f.outcomes.size() == 2);
    for (const auto& o : f.outcomes) {
        CHECK(o.offset == -1);
        CHECK(o.timestamp == 77'000);
    }
}

TEST_CASE("delivery_reporter: a failed batch gives every record the error and counts them failed") {
    reporter_fixture f(callback_dispatch::io_thread);
    auto batch = f.batch();
    f.add(*batch, f.callback("a"), 1);
    f.add(*batch, f.callback("b"), 2);
    const auto error = make_error_code(kafkit::kafka_errc::not_leader_or_follower);
    f.reporter.complete(*batch, error, -1, -1);
    REQUIRE(f.outcomes.size() == 2);
    CHECK(f.outcomes[0].error == error);
    CHECK(f.outcomes[1].error == error);
    CHECK(f.outcomes[0].offset == -1);
    CHECK(f.reporter.failed() == 2);
    CHECK(f.reporter.delivered() == 0);
    CHECK(f.pool.bytes_used() == 0);
}

TEST_CASE(
    "delivery_reporter: poll dispatch queues the callbacks until poll() runs them on its thread") {
    reporter_fixture f(callback_dispatch::poll);
    auto first = f.batch();
    f.add(*first, f.callback("a"), 1);
    f.add(*first, f.callback("b"), 2);
    auto second = f.batch();
    f.add(*second, f.callback("c"), 3);

    std::thread io([&] {
        f.reporter.complete(*first, {}, 10, -1);
        f.reporter.complete(*second, kafkit::errc::timed_out, -1, -1);
    });
    io.join();
    CHECK(f.outcomes.empty());
    // The records are complete (memory back, nothing outstanding); only the callbacks wait.
    CHECK(f.reporter.outstanding() == 0);
    CHECK(f.pool.bytes_used() == 0);
    CHECK(f.reporter.delivered() == 2);
    CHECK(f.reporter.failed() == 1);

    CHECK(f.reporter.poll(0ms) == 3);
    REQUIRE(f.outcomes.size() == 3);
    CHECK(tags(f.outcomes) == std::vector<std::string>{"a", "b", "c"});
    CHECK(f.outcomes[1].offset == 11);
    CHECK(f.outcomes[2].error == kafkit::errc::timed_out);
    for (const auto& o : f.outcomes)
        CHECK(o.thread == std::this_thread::get_id());
    CHECK(f.reporter.poll(0ms) == 0);
}

TEST_CASE("delivery_reporter: poll() waits up to its timeout for a callback from another thread") {
    reporter_fixture f(callback_dispatch::poll);
    auto batch = f.batch();
    f.add(*batch, f.callback("late"), 1);
    std::thread io([&] { f.reporter.complete(*batch, {}, 0, -1); });
    // Bounded: had the wake-up been lost, poll() would return 0 after 10 s. It may also find
    // the callback queued already; either way it runs it.
    std::size_t ran = f.reporter.poll(10s);
    io.join();
    ran += f.reporter.poll(0ms);
    CHECK(ran == 1);
    CHECK(tags(f.outcomes) == std::vector<std::string>{"late"});
}

TEST_CASE("delivery_reporter: poll() with nothing queued returns 0 once its timeout passes") {
    reporter_fixture f(callback_dispatch::poll);
    CHECK(f.reporter.poll(20ms) == 0);
}

TEST_CASE(
    "delivery_reporter: futures get their metadata, or a kafkit::exception with the error_code") {
    for (const auto dispatch : {callback_dispatch::io_thread, callback_dispatch::poll}) {
        CAPTURE(static_cast<int>(dispatch));
        reporter_fixture f(dispatch);
        std::promise<record_metadata> ok_promise;
        std::promise<record_metadata> failed_promise;
        auto ok = ok_promise.get_future();
        auto failed = failed_promise.get_future();

        auto good = f.batch();
        f.add(*good, std::move(ok_promise), 1234, 4, 6);
        f.reporter.complete(*good, {}, 99, -1);
        auto bad = f.batch();
        f.add(*bad, std::move(failed_promise), 1);
        f.reporter.complete(*bad, kafkit::kafka_errc::message_too_large, -1, -1);

        // Futures are fulfilled at complete() even under poll dispatch: nothing to poll for.
        REQUIRE(ok.wait_for(0s) == std::future_status::ready);
        REQUIRE(failed.wait_for(0s) == std::future_status::ready);
        CHECK(f.reporter.poll(0ms) == 0);
        const auto metadata = ok.get();
        CHECK(metadata.topic == "orders");
        CHECK(metadata.partition.value() == 2);
        CHECK(metadata.offset.value() == 99);
        CHECK(metadata.timestamp_ms == 1234);
        CHECK(metadata.serialized_key_size == 4);
        CHECK(metadata.serialized_value_size == 6);
        try {
            (void)failed.get();
            FAIL("get() should have thrown");
        } catch (const kafkit::exception& e) {
            CHECK(e.code() == kafkit::kafka_errc::message_too_large);
            CHECK(std::string(e.what()).find("orders") != std::string::npos);
        }
        CHECK(f.reporter.delivered() == 1);
        CHECK(f.reporter.failed() == 1);
    }
}

TEST_CASE("delivery_reporter: a throwing callback is counted and does not stop the others") {
    for (const auto dispatch : {callback_dispatch::io_thread, callback_dispatch::poll}) {
        CAPTURE(static_cast<int>(dispatch));
        reporter_fixture f(dispatch);
        auto batch = f.batch();
        f.add(*batch, f.callback("a"), 1);
        f.add(*batch, kafkit::delivery_callback([](std::error_code, const record_metadata&) {
            throw std::runtime_error("boom");
        }),
              2);
        f.add(*batch, f.callback("c"), 3);
        f.add(*batch,
              kafkit::delivery_callback([](std::error_code, const record_metadata&) { throw 42; }),
              4);
        f.add(*batch, kafkit::delivery_callback{}, 5); // an empty callback is skipped
        f.add(*batch, f.callback("f"), 6);

        f.reporter.complete(*batch, {}, 0, -1);
        if (dispatch == callback_dispatch::poll) CHECK(f.reporter.poll(0ms) == 6);
        CHECK(tags(f.outcomes) == std::vector<std::string>{"a", "c", "f"});
        CHECK(f.outcomes[2].offset == 5);
        CHECK(f.reporter.callback_exceptions() == 2);
        CHECK(f.reporter.delivered() == 6);
        CHECK(f.pool.bytes_used() == 0);
        CHECK(f.logs.lines ==
              std::vector<std::string>{"error producer a delivery callback threw: boom",
                                       "error producer a delivery callback threw"});
    }
}

TEST_CASE(
    "delivery_reporter: wait_idle returns true once everything completed, false at the deadline") {
    reporter_fixture f(callback_dispatch::io_thread);
    auto first = f.batch();
    f.add(*first, f.callback("a"), 1);
    auto second = f.batch();
    f.add(*second, f.callback("b"), 2);

    f.reporter.complete(*first, {}, 0, -1);
    CHECK(f.reporter.outstanding() == 1);
    CHECK_FALSE(f.reporter.wait_idle(std::chrono::steady_clock::now() + 20ms));
    CHECK_FALSE(f.reporter.wait_idle(std::chrono::steady_clock::now() - 1s)); // already past

    f.reporter.complete(*second, {}, 1, -1);
    CHECK(f.reporter.wait_idle(std::chrono::steady_clock::now() + 10s));
    CHECK(f.reporter.wait_idle(std::chrono::steady_clock::now() - 1s)); // nothing to wait for
}

TEST_CASE("delivery_reporter: wait_idle is woken by a completion on another thread") {
    reporter_fixture f(callback_dispatch::io_thread);
    auto batch = f.batch();
    f.add(*batch, f.callback("a"), 1);
    std::thread io([&] { f.reporter.complete(*batch, {}, 0, -1); });
    // Bounded: a lost wake-up shows as false after 10 s.
    const bool idle = f.reporter.wait_idle(std::chrono::steady_clock::now() + 10s);
    io.join();
    CHECK(idle);
    CHECK(tags(f.outcomes) == std::vector<std::string>{"a"});
}

TEST_CASE(
    "delivery_reporter: under poll dispatch wait_idle runs the queued callbacks before it returns") {
    reporter_fixture f(callback_dispatch::poll);
    auto batch = f.batch();
    f.add(*batch, f.callback("a"), 1);
    f.add(*batch, f.callback("b"), 2);
    f.reporter.complete(*batch, {}, 0, -1);
    CHECK(f.outcomes.empty());
    CHECK(f.reporter.wait_idle(std::chrono::steady_clock::now() + 10s));
    CHECK(tags(f.outcomes) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("delivery_reporter: complete_one reports a record that never reached a batch") {
    reporter_fixture f(callback_dispatch::io_thread);
    REQUIRE_FALSE(f.pool.reserve(70, 0ms));
    f.reporter.accepted();
    auto target = f.callback("pending");
    f.reporter.complete_one(target, "orders", 9, kafkit::kafka_errc::unknown_topic_or_partition,
                            70);
    REQUIRE(f.outcomes.size() == 1);
    CHECK(f.outcomes[0].error == kafkit::kafka_errc::unknown_topic_or_partition);
    CHECK(f.outcomes[0].topic == "orders");
    CHECK(f.outcomes[0].partition == 9);
    CHECK(f.outcomes[0].offset == -1);
    CHECK(f.reporter.failed() == 1);
    CHECK(f.reporter.outstanding() == 0);
    CHECK(f.pool.bytes_used() == 0);
    CHECK(f.pool.records_used() == 0);
}

TEST_CASE("delivery_reporter: refuse gives the memory back without a callback or a count") {
    reporter_fixture f(callback_dispatch::io_thread);
    REQUIRE_FALSE(f.pool.reserve(70, 0ms));
    f.reporter.accepted();
    f.reporter.refuse(70);
    CHECK(f.outcomes.empty());
    CHECK(f.reporter.outstanding() == 0);
    CHECK(f.reporter.delivered() == 0);
    CHECK(f.reporter.failed() == 0);
    CHECK(f.pool.bytes_used() == 0);
    CHECK(f.pool.records_used() == 0);
}

TEST_CASE("delivery_reporter: memory given back wakes a send() blocked on a full pool") {
    memory_pool small(100, 10);
    delivery_reporter reporter(callback_dispatch::io_thread, small, {});
    topic_state topic("t");
    producer_batch batch(topic, 0, {});
    REQUIRE_FALSE(small.reserve(100, 0ms));
    reporter.accepted();
    batch.entries.push_back({kafkit::delivery_callback{}, 1, -1, -1});
    batch.reserved_bytes = 100;
    std::thread io([&] { reporter.complete(batch, {}, 0, -1); });
    const auto outcome = small.reserve(60, 10s);
    io.join();
    CHECK_FALSE(outcome);
    CHECK(small.bytes_used() == 60);
}
