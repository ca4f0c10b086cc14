// heartbeat_fields: which ConsumerGroupHeartbeat fields a KIP-848 member sends (all on a
// full request, then only what changed; null means "unchanged").

#include "consumer/heartbeat_fields.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using kafkit::detail::heartbeat_fields;
using kafkit::detail::member_description;

namespace {

member_description member() {
    member_description d;
    d.group_id = "g";
    d.member_id = "m";
    d.member_epoch = 3;
    d.instance_id = "i";
    d.rack_id = "r";
    d.rebalance_timeout_ms = 1000;
    d.topic_names = std::vector<std::string>{"a", "b"};
    d.server_assignor = "uniform";
    d.owned[kafkit::protocol::uuid{}].insert(1);
    return d;
}

} // namespace

TEST_CASE("heartbeat_fields: the first request and every one after reset() carry every field; the others only "
          "the ids") {
    heartbeat_fields fields;
    const auto now = member();
    for (int round = 0; round < 2; ++round) {
        const auto full = fields.next(now, false);
        CHECK(full.group_id == "g");
        CHECK(full.member_id == "m");
        CHECK(full.member_epoch == 3);
        CHECK(full.instance_id == std::optional<std::string>("i"));
        CHECK(full.rack_id == std::optional<std::string>("r"));
        CHECK(full.rebalance_timeout_ms == 1000);
        CHECK(full.subscribed_topic_names == std::optional<std::vector<std::string>>({"a", "b"}));
        CHECK_FALSE(full.subscribed_topic_regex.has_value());
        CHECK(full.server_assignor == std::optional<std::string>("uniform"));
        REQUIRE(full.topic_partitions.has_value());
        REQUIRE(full.topic_partitions->size() == 1);
        CHECK(full.topic_partitions->front().partitions == std::vector<std::int32_t>{1});

        const auto same = fields.next(now, false);
        CHECK(same.member_id == "m");
        CHECK(same.instance_id == std::optional<std::string>("i")); // always, as Java sends it
        CHECK_FALSE(same.rack_id.has_value());
        CHECK(same.rebalance_timeout_ms == -1);
        CHECK_FALSE(same.subscribed_topic_names.has_value());
        CHECK_FALSE(same.server_assignor.has_value());
        CHECK_FALSE(same.topic_partitions.has_value());
        fields.reset();
    }
    CHECK(fields.next(now, true).topic_partitions.has_value()); // `full` forces it too
}

TEST_CASE("heartbeat_fields: a change is sent once; moving from names to a regex clears the names with an empty "
          "list") {
    heartbeat_fields fields;
    auto now = member();
    (void)fields.next(now, false);
    now.owned[kafkit::protocol::uuid{}].insert(2);
    const auto owned = fields.next(now, false);
    REQUIRE(owned.topic_partitions.has_value());
    CHECK(owned.topic_partitions->front().partitions == std::vector<std::int32_t>{1, 2});
    CHECK_FALSE(owned.subscribed_topic_names.has_value());

    now.topic_names.reset();
    now.topic_regex = "^a.*";
    const auto moved = fields.next(now, false);
    CHECK(moved.subscribed_topic_regex == std::optional<std::string>("^a.*"));
    CHECK(moved.subscribed_topic_names == std::optional<std::vector<std::string>>(std::vector<std::string>{}));
    CHECK_FALSE(moved.topic_partitions.has_value());

    now.topic_regex.reset();
    now.topic_names = std::vector<std::string>{"c"};
    const auto back = fields.next(now, false);
    CHECK(back.subscribed_topic_names == std::optional<std::vector<std::string>>({"c"}));
    CHECK(back.subscribed_topic_regex == std::optional<std::string>(""));
}
