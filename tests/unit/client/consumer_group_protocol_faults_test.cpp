// The KIP-848 membership (group.protocol=consumer) when things go wrong or end, against
// fake_broker: fencing (partitions lost, rejoin with epoch 0), coordinator moves and lost
// connections, COORDINATOR_LOAD_IN_PROGRESS, fatal errors, a broker without the protocol,
// leaving with -1 and -2, max.poll.interval.ms, and commits refused with STALE_MEMBER_EPOCH.

#include "kip848_membership_fixture.hpp"

#include "kafkit/protocol/messages/offset_commit.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace kip848_testing;

TEST_CASE_FIXTURE(kip848_fixture,
                  "consumer_group_membership: FENCED_MEMBER_EPOCH and UNKNOWN_MEMBER_ID lose the partitions; "
                  "join() rejoins with epoch 0, the same member id and every field") {
    kafka_errc error = kafka_errc::fenced_member_epoch;
    SUBCASE("FENCED_MEMBER_EPOCH") {
        error = kafka_errc::fenced_member_epoch;
    }
    SUBCASE("UNKNOWN_MEMBER_ID") {
        error = kafka_errc::unknown_member_id;
    }
    start_stable({0, 1});
    const auto id = wait_beat(1).member_id;
    handler = [&](const fake_request& r) {
        heartbeat_response refused;
        refused.error_code = static_cast<std::int16_t>(error);
        return reply(r, refused);
    };
    REQUIRE(run_until(io, [&] { return count(kind::rejoin) == 1; }));
    CHECK(nth(kind::rejoin).lost);
    CHECK(membership->member_epoch() == 0);
    const auto beat = beats();
    run_for(200ms);
    CHECK(beats() == beat); // out of the group: nothing until the application has let go
    membership->assignment_applied(partitions_of("t", {0, 1})); // late: ignored

    handler = nullptr;
    coordinator.epoch = 5;
    coordinator.assignment = assignment(topic_id(1), {3});
    membership->join({}, -1);
    const auto rejoin = wait_beat(beat + 1);
    CHECK(rejoin.member_epoch == 0);
    CHECK(rejoin.member_id == id);
    CHECK(rejoin.rebalance_timeout_ms == 30000);
    CHECK(rejoin.subscribed_topic_names == std::optional<std::vector<std::string>>({"t"}));
    REQUIRE(rejoin.topic_partitions.has_value());
    CHECK(rejoin.topic_partitions->empty());
    REQUIRE(run_until(io, [&] { return count(kind::assigned) == 2; }));
    CHECK(nth(kind::assigned, 1).assignment.who.generation == 5);
    CHECK(nth(kind::assigned, 1).assignment.partitions == partitions_of("t", {3}));
    CHECK(count(kind::fail) == 0);
}

TEST_CASE_FIXTURE(kip848_fixture, "consumer_group_membership: NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE and a lost "
                                  "connection find the coordinator again and send a full heartbeat there") {
    // Node 2 answers every heartbeat; node 1 fails them once the group has moved.
    auto& other = add_fake();
    other.advertise(find_coordinator_key, {4, 4});
    other.advertise(heartbeat_key, {0, 1});
    auto& node2 = fake.metadata().brokers.emplace_back();
    node2.node_id = 2;
    node2.host = "127.0.0.1";
    node2.port = other.port();
    other.metadata() = fake.metadata();
    other.set_policy([this](const fake_request& r) {
        return r.api_key == heartbeat_key ? reply(r, accepted(heartbeat_of(r))) : dispatch(r);
    });
    coordinator.port = other.port();

    std::optional<kafka_errc> refusal; // nullopt: the connection is closed
    SUBCASE("NOT_COORDINATOR") {
        refusal = kafka_errc::not_coordinator;
    }
    SUBCASE("COORDINATOR_NOT_AVAILABLE") {
        refusal = kafka_errc::coordinator_not_available;
    }
    SUBCASE("a lost connection") {
        refusal.reset();
    }
    start_stable({0, 2});
    const auto id = wait_beat(1).member_id;
    wait_owned_from(1);
    const auto lookups = fake.count(find_coordinator_key) + other.count(find_coordinator_key);

    coordinator.node = 2;
    handler = [&](const fake_request& r) {
        if (!refusal) return fake_reply::close();
        heartbeat_response refused;
        refused.error_code = static_cast<std::int16_t>(*refusal);
        return reply(r, refused);
    };
    REQUIRE(run_until(io, [&] { return other.count(heartbeat_key) >= 2; }));
    CHECK(fake.count(find_coordinator_key) + other.count(find_coordinator_key) > lookups);
    const auto there = other.requests_of(heartbeat_key);
    const auto moved = heartbeat_of(there[0]);
    CHECK(moved.member_id == id);
    CHECK(moved.member_epoch == 1); // still a member: not a rejoin
    CHECK(moved.rebalance_timeout_ms == 30000);
    CHECK(moved.subscribed_topic_names == std::optional<std::vector<std::string>>({"t"}));
    CHECK(moved.topic_partitions == owned(topic_id(1), {0, 2}));
    CHECK_FALSE(heartbeat_of(there[1]).topic_partitions.has_value());
    CHECK(count(kind::rejoin) == 0);
    CHECK(count(kind::fail) == 0);
    CHECK(other.failures() == 0);
}

TEST_CASE_FIXTURE(kip848_fixture, "consumer_group_membership: COORDINATOR_LOAD_IN_PROGRESS is retried at the same "
                                  "coordinator") {
    handler = [&](const fake_request& r) {
        if (fake.count(heartbeat_key) <= 2) {
            heartbeat_response loading;
            loading.error_code = static_cast<std::int16_t>(kafka_errc::coordinator_load_in_progress);
            return reply(r, loading);
        }
        return reply(r, accepted(heartbeat_of(r)));
    };
    start();
    REQUIRE(run_until(io, [&] { return count(kind::assigned) == 1; }));
    const auto beats_so_far = heartbeats();
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(beats_so_far[i].member_epoch == 0);
        CHECK(beats_so_far[i].member_id == beats_so_far[0].member_id);
        CHECK(beats_so_far[i].rebalance_timeout_ms == 30000);
    }
    CHECK(fake.count(find_coordinator_key) == 1);
    CHECK(posted.size() == 1);
}

TEST_CASE_FIXTURE(kip848_fixture, "consumer_group_membership: errors the member cannot get past are fatal") {
    kafka_errc error = kafka_errc::unreleased_instance_id;
    SUBCASE("UNRELEASED_INSTANCE_ID") {
        error = kafka_errc::unreleased_instance_id;
    }
    SUBCASE("GROUP_MAX_SIZE_REACHED") {
        error = kafka_errc::group_max_size_reached;
    }
    SUBCASE("GROUP_AUTHORIZATION_FAILED") {
        error = kafka_errc::group_authorization_failed;
    }
    SUBCASE("UNSUPPORTED_ASSIGNOR") {
        error = kafka_errc::unsupported_assignor;
    }
    SUBCASE("INVALID_REQUEST") {
        error = kafka_errc::invalid_request;
    }
    SUBCASE("FENCED_INSTANCE_ID") {
        error = kafka_errc::fenced_instance_id;
    }
    CAPTURE(kafkit::kafka_error_name(static_cast<std::int16_t>(error)));
    handler = [&](const fake_request& r) {
        heartbeat_response refused;
        refused.error_code = static_cast<std::int16_t>(error);
        refused.error_message = "refused";
        return reply(r, refused);
    };
    start();
    REQUIRE(run_until(io, [&] { return count(kind::fail) == 1; }));
    CHECK(nth(kind::fail).error == error);
    CHECK(logged("refused"));
    run_for(200ms);
    CHECK(beats() == 1);
    CHECK(posted.size() == 1);
}

TEST_CASE_FIXTURE(kip848_fixture,
                  "consumer_group_membership: a broker without ConsumerGroupHeartbeat, or one answering "
                  "UNSUPPORTED_VERSION, is a fatal error that names group.protocol") {
    std::error_code expected;
    SUBCASE("not in ApiVersions") {
        fake.unadvertise(heartbeat_key);
        expected = kafkit::errc::unsupported_version;
    }
    SUBCASE("UNSUPPORTED_VERSION") {
        handler = [](const fake_request& r) {
            heartbeat_response refused;
            refused.error_code = static_cast<std::int16_t>(kafka_errc::unsupported_version);
            return reply(r, refused);
        };
        expected = kafka_errc::unsupported_version;
    }
    start();
    REQUIRE(run_until(io, [&] { return count(kind::fail) == 1; }));
    CHECK(nth(kind::fail).error == expected);
    CHECK(nth(kind::fail).reason.find("group.protocol=classic") != std::string::npos);
    CHECK(posted.size() == 1);
}

TEST_CASE_FIXTURE(kip848_fixture,
                  "consumer_group_membership: leave() heartbeats epoch -1, or -2 for a static member, and "
                  "runs done once answered") {
    std::int32_t expected_epoch = -1;
    SUBCASE("dynamic") {
        expected_epoch = -1;
    }
    SUBCASE("static") {
        settings.group_instance_id = "inst-1";
        expected_epoch = -2;
    }
    start_stable();
    const auto id = wait_beat(1).member_id;
    int done = 0;
    int done_when_asked = -1;
    handler = [&](const fake_request& r) {
        const auto request = heartbeat_of(r);
        if (request.member_epoch < 0) done_when_asked = done;
        return reply(r, accepted(request));
    };
    membership->leave("closing", [&] { ++done; });
    CHECK(done == 0);
    REQUIRE(run_until(io, [&] { return done == 1; }));
    CHECK(done_when_asked == 0);
    const auto all = heartbeats();
    const auto leave = std::find_if(all.begin(), all.end(), [](const auto& h) { return h.member_epoch < 0; });
    REQUIRE(leave != all.end());
    CHECK(leave->member_epoch == expected_epoch);
    CHECK(leave->member_id == id);
    CHECK(leave->group_id == "g");
    CHECK(leave->instance_id == settings.group_instance_id);
    CHECK(std::count_if(all.begin(), all.end(), [](const auto& h) { return h.member_epoch < 0; }) == 1);
    const auto after = beats();
    run_for(200ms);
    CHECK(beats() == after);
    CHECK(count(kind::rejoin) == 0);

    int again = 0;
    membership->leave("closing twice", [&] { ++again; });
    CHECK(again == 1); // not a member: at once, nothing sent
}

TEST_CASE_FIXTURE(kip848_fixture,
                  "consumer_group_membership: without poll() for max.poll.interval.ms it leaves with epoch -1 "
                  "(static or not), posts poll_exceeded and a lost rejoin, then rejoins with epoch 0") {
    settings.group_instance_id = "inst-1";
    settings.max_poll_interval = 300ms;
    start_stable(); // note_poll() is never called
    const auto id = wait_beat(1).member_id;
    REQUIRE(run_until(io, [&] { return count(kind::poll_exceeded) == 1; }));
    REQUIRE(count(kind::rejoin) == 1);
    CHECK(nth(kind::rejoin).lost);
    REQUIRE(run_until(io, [&] { return heartbeats().back().member_epoch < 0; }));
    const auto leave = heartbeats().back();
    CHECK(leave.member_epoch == -1);
    CHECK(leave.member_id == id);
    CHECK(wait_beat(1).rebalance_timeout_ms == 300);
    const auto after = beats();
    run_for(200ms);
    CHECK(beats() == after);

    membership->note_poll(true);
    membership->join({}, -1);
    const auto rejoin = wait_beat(after + 1);
    CHECK(rejoin.member_epoch == 0);
    CHECK(rejoin.member_id == id);
    CHECK(rejoin.instance_id == std::optional<std::string>("inst-1"));
    CHECK(count(kind::fail) == 0);
}

namespace {

constexpr std::int16_t offset_commit_key = 8;

/// Commits offset 42 of `partitions` of topic "t" as `who`; the outcome of the first.
std::error_code commit_as(kip848_fixture& f, const group_identity& who, const std::vector<std::int32_t>& partitions) {
    std::map<topic_partition, kafkit::offset_and_metadata> offsets;
    for (const auto p : partitions) offsets[{"t", partition_id(p)}] = {kafkit::record_offset(42), {}, {}};
    std::optional<std::error_code> outcome;
    f.offsets->commit(offsets, who, [&](const group_offsets::commit_result& r) { outcome = r.begin()->second; });
    REQUIRE(run_until(f.io, [&] { return outcome.has_value(); }));
    return *outcome;
}

/// Answers OffsetCommit with STALE_MEMBER_EPOCH below epoch `current`; keeps the epochs sent.
struct epoch_checking_commits {
    std::int32_t current = 0;
    std::vector<std::int32_t> sent;

    fake_reply answer(const fake_request& r) {
        auto request = protocol::decode<protocol::offset_commit_request>(r.body_view(), r.api_version);
        REQUIRE(request.has_value());
        sent.push_back(request->generation_id_or_member_epoch);
        protocol::offset_commit_response response;
        for (const auto& t : request->topics) {
            auto& out = response.topics.emplace_back();
            out.name = t.name;
            for (const auto& p : t.partitions) {
                auto& answered = out.partitions.emplace_back();
                answered.partition_index = p.partition_index;
                if (request->generation_id_or_member_epoch < current)
                    answered.error_code = static_cast<std::int16_t>(kafka_errc::stale_member_epoch);
            }
        }
        return reply(r, response);
    }
};

} // namespace

TEST_CASE_FIXTURE(kip848_fixture, "group_offsets: a commit refused with STALE_MEMBER_EPOCH goes again at the member's "
                                  "current epoch while it owns the partitions; else it fails with that error") {
    settings.group_protocol = kafkit::detail::group_protocol_kind::consumer;
    fake.advertise(offset_commit_key, {2, 9});
    epoch_checking_commits commits;
    fake.set_policy([&](const fake_request& r) {
        return r.api_key == offset_commit_key ? commits.answer(r) : dispatch(r);
    });
    start_stable({0, 1});
    coordinator.epoch = 4;
    REQUIRE(run_until(io, [&] { return membership->member_epoch() == 4; }));
    commits.current = 4;
    const group_identity old_epoch{1, membership->member_id(), std::nullopt};

    SUBCASE("owned partitions: sent again with epoch 4, and stored") {
        CHECK_FALSE(commit_as(*this, old_epoch, {0, 1}));
        CHECK(commits.sent == std::vector<std::int32_t>{1, 4});
    }
    SUBCASE("a partition not owned: not sent again") {
        CHECK(commit_as(*this, old_epoch, {0, 2}) == kafka_errc::stale_member_epoch);
        CHECK(commits.sent == std::vector<std::int32_t>{1});
    }
    SUBCASE("out of the group: not sent again") {
        handler = [](const fake_request& r) {
            heartbeat_response refused;
            refused.error_code = static_cast<std::int16_t>(kafka_errc::fenced_member_epoch);
            return reply(r, refused);
        };
        REQUIRE(run_until(io, [&] { return count(kind::rejoin) == 1; }));
        CHECK(commit_as(*this, old_epoch, {0}) == kafka_errc::stale_member_epoch);
        CHECK(commits.sent == std::vector<std::int32_t>{1});
    }
}
