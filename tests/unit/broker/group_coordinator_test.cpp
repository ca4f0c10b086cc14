// group_coordinator white-box, on a hand-driven clock: offsets of a deleted topic go with it,
// offset expiration (KIP-211), and unload() answering parked requests at shutdown.

#include "group/group_coordinator.hpp"
#include "server/scheduler.hpp"
#include "state/broker_state.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <optional>

using namespace kafkit::broker;
using kafkit::kafka_errc;

namespace {

/// A scheduler whose time only moves when the test says so.
class manual_scheduler final : public scheduler {
public:
    timer_handle after(std::chrono::milliseconds delay, std::function<void()> fn) override {
        auto cancelled = std::make_shared<bool>(false);
        timers_.push_back({now_ + delay, std::move(fn), cancelled});
        return timer_handle([cancelled] { *cancelled = true; });
    }
    void post(std::function<void()> fn) override { after(std::chrono::milliseconds(0), std::move(fn)); }

    /// Moves time forward, running every timer that falls due, in deadline order.
    void advance(std::chrono::milliseconds by) {
        const auto until = now_ + by;
        for (;;) {
            auto due = timers_.end();
            for (auto it = timers_.begin(); it != timers_.end(); ++it)
                if (it->at <= until && (due == timers_.end() || it->at < due->at)) due = it;
            if (due == timers_.end()) break;
            auto timer = std::move(*due);
            timers_.erase(due);
            now_ = std::max(now_, timer.at);
            if (!*timer.cancelled) timer.fn();
        }
        now_ = until;
    }

private:
    struct entry {
        std::chrono::milliseconds at;
        std::function<void()> fn;
        std::shared_ptr<bool> cancelled;
    };
    std::chrono::milliseconds now_{0};
    std::vector<entry> timers_;
};

struct fixture {
    explicit fixture(broker_config c = {}) : config(std::move(c)), state(config, timers, nodes()) {}

    static std::vector<broker_node> nodes() {
        broker_node node;
        node.id = 1;
        node.host = "127.0.0.1";
        node.port = 9092;
        return {node};
    }

    void commit(const std::string& group, const std::string& topic, std::int64_t offset, std::int64_t when_ms) {
        commit_params params;
        params.group_id = group;
        params.api_version = 9;
        REQUIRE(state.groups().validate_commit(params) == kafka_errc::none);
        committed_offset value;
        value.offset = offset;
        value.commit_timestamp_ms = when_ms;
        REQUIRE(state.groups().commit_offsets(group, {{topic_partition{topic, 0}, value}}) == kafka_errc::none);
    }

    join_params member(const std::string& group, const std::string& member_id = {}) const {
        join_params params;
        params.group_id = group;
        params.member_id = member_id;
        params.client_id = "client";
        params.client_host = "/127.0.0.1";
        params.session_timeout_ms = 10000;
        params.rebalance_timeout_ms = 10000;
        params.protocol_type = "consumer";
        params.protocols.push_back({"range", {0, 0, 0, 0, 0, 0, 0, 0}});
        return params;
    }

    broker_config config;
    manual_scheduler timers;
    broker_state state;
};

} // namespace

TEST_CASE("group coordinator: deleting a topic deletes its committed offsets in every group") {
    fixture f;
    topic_spec orders;
    orders.name = "orders";
    REQUIRE(f.state.create_topic(orders, false).error == kafka_errc::none);
    const auto now = scheduler::wall_clock_ms();
    f.commit("g1", "orders", 5, now);
    f.commit("g1", "payments", 6, now);
    f.commit("g2", "orders", 7, now);
    REQUIRE(f.state.delete_topic("orders").error == kafka_errc::none);
    const auto& offsets = f.state.groups().offsets();
    CHECK(offsets.find("g1", {"orders", 0}) == nullptr);
    CHECK(offsets.find("g2", {"orders", 0}) == nullptr);
    REQUIRE(offsets.find("g1", {"payments", 0}));
    CHECK(offsets.find("g1", {"payments", 0})->offset == 6);
}

TEST_CASE("group coordinator: cleanup expires offsets by KIP-211 and forgets groups left empty") {
    broker_config config;
    config.offsets_retention_minutes = 1;
    fixture f(config);
    auto& groups = f.state.groups();
    const auto now = scheduler::wall_clock_ms();
    f.commit("old-simple", "orders", 1, now - 120000); // committed two minutes ago
    f.commit("fresh-simple", "orders", 2, now);

    // A group with a member keeps even old offsets while it is not Empty.
    std::optional<join_result> joined;
    groups.join(f.member("active"), [&](const join_result& r) { joined = r; });
    f.timers.advance(std::chrono::milliseconds(0)); // group.initial.rebalance.delay.ms = 0
    REQUIRE(joined);
    REQUIRE(joined->error == kafka_errc::none);
    commit_params params;
    params.group_id = "active";
    params.generation_id = joined->generation_id;
    params.member_id = joined->member_id;
    REQUIRE(groups.validate_commit(params) == kafka_errc::rebalance_in_progress); // not synced yet
    committed_offset old_value;
    old_value.offset = 3;
    old_value.commit_timestamp_ms = now - 120000;
    REQUIRE(groups.commit_offsets("active", {{topic_partition{"orders", 0}, old_value}}) == kafka_errc::none);

    CHECK(groups.cleanup() == 1);
    CHECK(groups.find_group("old-simple") == nullptr); // Empty and without offsets: gone
    CHECK(groups.find_group("fresh-simple") != nullptr);
    CHECK(groups.offsets().find("active", {"orders", 0}) != nullptr);
    CHECK(groups.find_group("active")->is(group_state::completing_rebalance));
}

TEST_CASE("group coordinator: unload answers parked JoinGroup and SyncGroup with NOT_COORDINATOR") {
    fixture f;
    auto& groups = f.state.groups();
    std::optional<join_result> first;
    groups.join(f.member("parked"), [&](const join_result& r) { first = r; });
    f.timers.advance(std::chrono::milliseconds(0));
    REQUIRE(first);
    REQUIRE(first->generation_id == 1);

    // A second member parks in PreparingRebalance (the first has not rejoined yet) until
    // the broker stops.
    std::optional<join_result> second;
    groups.join(f.member("parked"), [&](const join_result& r) { second = r; });
    CHECK_FALSE(second);
    CHECK(groups.find_group("parked")->is(group_state::preparing_rebalance));
    groups.unload();
    REQUIRE(second);
    CHECK(second->error == kafka_errc::not_coordinator);

    // A follower's parked SyncGroup is answered too.
    fixture g;
    auto& other = g.state.groups();
    std::optional<join_result> a, b;
    other.join(g.member("sync"), [&](const join_result& r) { a = r; });
    other.join(g.member("sync"), [&](const join_result& r) { b = r; });
    g.timers.advance(std::chrono::milliseconds(0));
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(a->generation_id == 1);
    const auto follower = a->leader == a->member_id ? *b : *a;
    sync_params sync;
    sync.group_id = "sync";
    sync.generation_id = 1;
    sync.member_id = follower.member_id;
    std::optional<sync_result> synced;
    other.sync(sync, [&](const sync_result& r) { synced = r; });
    CHECK_FALSE(synced);
    other.unload();
    REQUIRE(synced);
    CHECK(synced->error == kafka_errc::not_coordinator);
}
