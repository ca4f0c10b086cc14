// The KIP-848 membership (group.protocol=consumer) against fake_broker on 127.0.0.1, every
// ConsumerGroupHeartbeat decoded: the join with epoch 0 and a client-side member id (v1) or
// the coordinator's (v0), only changed fields afterwards, the subscription as names or a
// regex, assignments by topic id resolved through the metadata, revocation then
// acknowledgement with one reconciliation at a time, and the identity commits carry.

#include "kip848_membership_fixture.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using namespace kip848_testing;

TEST_CASE_FIXTURE(kip848_fixture,
                  "consumer_group_membership: joins with epoch 0 and a member id of its own (v1), every field "
                  "set; later heartbeats send only what changed") {
    settings.client.client_rack = "rack-a";
    coordinator.assignment = assignment(topic_id(1), {0, 1});
    start({"u", "t", "u"});
    REQUIRE(run_until(io, [&] { return count(kind::assigned) == 1; }));

    REQUIRE(fake.requests_of(heartbeat_key).front().api_version == 1);
    const auto join = wait_beat(1);
    CHECK(join.group_id == "g");
    CHECK(join.member_id.size() == 22); // a UUID in Kafka's text form
    CHECK(join.member_id.front() != '-');
    CHECK(join.member_epoch == 0);
    CHECK_FALSE(join.instance_id.has_value());
    CHECK(join.rack_id == std::optional<std::string>("rack-a"));
    CHECK(join.rebalance_timeout_ms == 30000); // max.poll.interval.ms
    CHECK(join.subscribed_topic_names == std::optional<std::vector<std::string>>({"t", "u"}));
    CHECK_FALSE(join.subscribed_topic_regex.has_value());
    CHECK(join.server_assignor == std::optional<std::string>("uniform"));
    REQUIRE(join.topic_partitions.has_value());
    CHECK(join.topic_partitions->empty());

    const auto& assigned = nth(kind::assigned).assignment;
    CHECK(assigned.partitions == partitions_of("t", {0, 1}));
    CHECK(assigned.who.generation == 1);
    CHECK(assigned.who.member_id == join.member_id);
    CHECK(assigned.acknowledge);

    // Until the application has applied it, heartbeats carry nothing but who is beating.
    const auto before_ack = wait_beat(3);
    for (const auto& beat : {wait_beat(2), before_ack}) {
        CHECK(beat.member_id == join.member_id);
        CHECK(beat.member_epoch == 1);
        CHECK_FALSE(beat.rack_id.has_value());
        CHECK(beat.rebalance_timeout_ms == -1);
        CHECK_FALSE(beat.subscribed_topic_names.has_value());
        CHECK_FALSE(beat.server_assignor.has_value());
        CHECK_FALSE(beat.topic_partitions.has_value());
    }
    membership->assignment_applied(partitions_of("t", {1, 0}));
    const auto acked = wait_owned_from(beats() + 1);
    const auto ack = heartbeats()[acked - 1];
    CHECK(ack.topic_partitions == owned(topic_id(1), {0, 1}));
    CHECK_FALSE(ack.subscribed_topic_names.has_value());
    CHECK_FALSE(wait_beat(acked + 1).topic_partitions.has_value()); // said once
    membership->assignment_applied(partitions_of("t", {0}));        // nothing posted: ignored
    run_for(100ms);
    CHECK(heartbeats().back().topic_partitions == std::nullopt);
    CHECK(count(kind::assigned) == 1);
    CHECK(posted.size() == 1);
    CHECK(fake.failures() == 0);
}

TEST_CASE_FIXTURE(kip848_fixture, "consumer_group_membership: at v0 the coordinator names the member, and a pattern is "
                                  "resolved to topic names here") {
    fake.advertise(heartbeat_key, {0, 0});
    start({"^t.*"});
    REQUIRE(run_until(io, [&] { return count(kind::assigned) == 1; }));
    const auto join = wait_beat(1);
    CHECK(fake.requests_of(heartbeat_key).front().api_version == 0);
    CHECK(join.member_id.empty());
    CHECK(join.subscribed_topic_names == std::optional<std::vector<std::string>>({"t"}));
    CHECK(wait_beat(2).member_id == "named-by-coordinator");
    CHECK(membership->member_id() == "named-by-coordinator");
    CHECK(nth(kind::assigned).assignment.who.member_id == "named-by-coordinator");
    CHECK(nth(kind::assigned).assignment.partitions.empty()); // the first answer is posted, empty or not
}

TEST_CASE_FIXTURE(kip848_fixture, "consumer_group_membership: at v1 a lone pattern goes to the coordinator as "
                                  "SubscribedTopicRegex") {
    start({"^t.*"});
    const auto join = wait_beat(1);
    CHECK(join.subscribed_topic_regex == std::optional<std::string>("^t.*"));
    CHECK_FALSE(join.subscribed_topic_names.has_value());
}

TEST_CASE_FIXTURE(kip848_fixture,
                  "consumer_group_membership: topic ids the metadata does not know yet are assigned once a "
                  "metadata update names them") {
    // "n" exists on the coordinator (id 3) before the metadata lists it.
    heartbeat_response::assignment_struct both = assignment(topic_id(3), {0});
    both.topic_partitions.push_back({topic_id(1), {2}, {}});
    coordinator.assignment = both;
    start({"t", "n"});
    REQUIRE(run_until(io, [&] { return count(kind::assigned) == 1; }));
    CHECK(nth(kind::assigned).assignment.partitions == partitions_of("t", {2})); // what resolves now
    membership->assignment_applied(partitions_of("t", {2}));

    set_topic(fake, "n", 3, 1);
    REQUIRE(run_until(io, [&] { return count(kind::assigned) == 2; }));
    std::vector<topic_partition> expected{{"n", partition_id(0)}, {"t", partition_id(2)}};
    CHECK(nth(kind::assigned, 1).assignment.partitions == expected);
    const auto from = beats() + 1;
    membership->assignment_applied(expected);
    const auto acked = wait_owned_from(from);
    const auto ack = heartbeats()[acked - 1];
    REQUIRE(ack.topic_partitions.has_value());
    auto sent = *ack.topic_partitions;
    std::sort(sent.begin(), sent.end(),
              [](const auto& a, const auto& b) { return a.topic_id.bytes < b.topic_id.bytes; });
    CHECK(sent ==
          std::vector<heartbeat_request::topic_partitions_struct>{{topic_id(1), {2}, {}}, {topic_id(3), {0}, {}}});
}

TEST_CASE_FIXTURE(kip848_fixture, "consumer_group_membership: a revocation is posted and acknowledged at once; a newer "
                                  "assignment waits until then") {
    start_stable({0, 1, 2, 3});
    wait_owned_from(1);
    // The coordinator takes 2 and 3 away: the member stays at epoch 1 until it gives them up.
    coordinator.assignment = assignment(topic_id(1), {0, 1});
    REQUIRE(run_until(io, [&] { return count(kind::assigned) == 2; }));
    CHECK(nth(kind::assigned, 1).assignment.partitions == partitions_of("t", {0, 1}));

    // A newer target while the application revokes is not posted yet, and nothing is
    // acknowledged meanwhile.
    coordinator.assignment = assignment(topic_id(1), {0});
    auto beat = beats();
    REQUIRE(run_until(io, [&] { return !coordinator.assignment && beats() >= beat + 2; }));
    CHECK(count(kind::assigned) == 2);
    const auto meanwhile = heartbeats();
    for (std::size_t i = beat; i < meanwhile.size(); ++i) CHECK_FALSE(meanwhile[i].topic_partitions.has_value());

    coordinator.interval_ms = 30000; // from the next answer on, only acknowledgements come soon
    beat = beats();
    REQUIRE(run_until(io, [&] { return beats() >= beat + 1; }));
    run_for(100ms);
    beat = beats();
    membership->assignment_applied(partitions_of("t", {0, 1}));
    REQUIRE(count(kind::assigned) == 3); // the waiting one, right after
    CHECK(nth(kind::assigned, 2).assignment.partitions == partitions_of("t", {0}));
    const auto first_ack = wait_owned_from(beat + 1);
    CHECK(heartbeats()[first_ack - 1].topic_partitions == owned(topic_id(1), {0, 1}));
    membership->assignment_applied(partitions_of("t", {0}));
    const auto second_ack = wait_owned_from(first_ack + 1);
    CHECK(heartbeats()[second_ack - 1].topic_partitions == owned(topic_id(1), {0}));
    CHECK(count(kind::rejoin) == 0);
    CHECK(fake.failures() == 0);
}

TEST_CASE_FIXTURE(kip848_fixture, "consumer_group_membership: commits carry the member id and the epoch of the latest "
                                  "answer; out of the group, epoch 0") {
    start_stable();
    const group_identity applied{1, "whoever", std::nullopt};
    CHECK(membership->commit_identity(applied).generation == 1);
    coordinator.epoch = 4; // a new group epoch that leaves this member's partitions as they are
    REQUIRE(run_until(io, [&] { return membership->member_epoch() == 4; }));
    const auto now = membership->commit_identity(applied);
    CHECK(now.generation == 4);
    CHECK(now.member_id == membership->member_id());
    CHECK(count(kind::assigned) == 1); // nothing to reconcile
    handler = [](const fake_request& r) {
        heartbeat_response refused;
        refused.error_code = static_cast<std::int16_t>(kafka_errc::fenced_member_epoch);
        return reply(r, refused);
    };
    REQUIRE(run_until(io, [&] { return count(kind::rejoin) == 1; }));
    CHECK(membership->commit_identity(applied).generation == 0);
}

TEST_CASE_FIXTURE(kip848_fixture, "consumer_group_membership: a subscription change is heartbeated at once, not at "
                                  "the next interval") {
    coordinator.interval_ms = 60000; // no heartbeat falls due during the test
    start_stable();
    const auto ack = wait_owned_from(2);
    run_for(100ms);
    REQUIRE(beats() == ack);
    membership->set_subscription(topic_subscription({"t", "u"}));
    const auto change = wait_beat(ack + 1);
    CHECK(change.subscribed_topic_names == std::optional<std::vector<std::string>>({"t", "u"}));
    CHECK(change.member_epoch == 1);
    membership->set_subscription(topic_subscription({"t", "u"})); // no change: no heartbeat
    run_for(200ms);
    CHECK(beats() == ack + 1);
}
