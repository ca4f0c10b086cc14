// `kafkit groups ...` and `kafkit perf` against kafkit-broker. The group's state is set up and
// read back with confluent-kafka-python (commits, committed offsets, group listings, a live
// member: group_member_confluent.py) and kcat (records): describe's lag is produced minus
// committed, reset-offsets --execute moves what confluent's committed() returns (and the
// dry run moves nothing), a group with a member is refused, delete-offsets and delete
// remove what they name. `kafkit perf` writes records kcat reads back.

#include "cli_admin_support.hpp"

#include "kafkit/testcontainers/child_process.hpp"

#include <chrono>
#include <csignal>
#include <ctime>

using namespace kafkit::integration;

namespace {

using offsets = std::map<std::string, std::int64_t>;

/// Records 5, 8 and 11 in the three partitions of `topic`; the group has committed 2 of
/// partition 0 and 8 of partition 1, nothing of partition 2.
void lagging_group(const cli_admin_fixture& f, const std::string& topic, const std::string& group) {
    REQUIRE(f.kafkit("topics create " + topic + " --partitions 3").status == 0);
    for (int p = 0; p < 3; ++p) f.produce(topic, p, 5 + 3 * p);
    REQUIRE(f.peer("commit", {{"group", group}, {"topic", topic}, {"offsets", {{"0", 2}, {"1", 8}}}})["ok"] == true);
    REQUIRE(f.committed(group, topic, 3) == offsets{{"0", 2}, {"1", 8}});
}

} // namespace

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: groups describe prints Kafka's lag table: produced minus committed, members' ids") {
    lagging_group(*this, "lagged", "billing");
    // No members: a row per committed partition, "-" for the member columns.
    const auto quiet = kafkit("groups describe billing");
    REQUIRE_MESSAGE(quiet.status == 0, quiet.err);
    CHECK(quiet.err.find("Consumer group 'billing' has no active members.") != std::string::npos);
    CHECK(quiet.out.starts_with("GROUP   TOPIC  PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID HOST CLIENT-ID\n"));
    const auto rows = parse_table(quiet.out);
    REQUIRE(rows.size() == 2);
    const auto marks = peer("watermarks", {{"topic", "lagged"}, {"partitions", 3}});
    const auto committed_now = committed("billing", "lagged", 3);
    for (const auto& r : rows) {
        const auto p = r.at("PARTITION");
        CAPTURE(p);
        CHECK(r.at("GROUP") == "billing");
        CHECK(std::stoll(r.at("CURRENT-OFFSET")) == committed_now.at(p));
        CHECK(std::stoll(r.at("LOG-END-OFFSET")) == marks[p][1].get<std::int64_t>());
        CHECK(std::stoll(r.at("LAG")) == marks[p][1].get<std::int64_t>() - committed_now.at(p));
        CHECK(r.at("CONSUMER-ID") == "-");
        CHECK(r.at("CLIENT-ID") == "-");
    }
    CHECK(rows[0].at("LAG") == "3");
    CHECK(rows[1].at("LAG") == "0");

    // A live member (confluent-kafka-python) holds all three partitions: partition 2 has no
    // commit, so CURRENT-OFFSET and LAG are "-"; the member columns name it.
    kafkit::testcontainers::child_process member(
        "/usr/bin/python3", {KAFKIT_CONFLUENT_MEMBER, bootstrap, "billing", "lagged", "client.id=cli-member"});
    member.wait_for_line("ASSIGNED 3", 30s);
    const auto live = kafkit_json("groups describe billing");
    REQUIRE(live["groups"].size() == 1);
    const auto& g = live["groups"][0];
    CHECK(g["state"] == "Stable");
    REQUIRE(g["members"].size() == 1);
    CHECK(g["members"][0]["client_id"] == "cli-member");
    REQUIRE(g["partitions"].size() == 3);
    for (const auto& p : g["partitions"]) {
        CHECK(p["consumer_id"] == g["members"][0]["member_id"]);
        CHECK(p["client_id"] == "cli-member");
    }
    CHECK(g["partitions"][2]["current_offset"].is_null());
    CHECK(g["partitions"][2]["lag"].is_null());
    CHECK(g["partitions"][2]["log_end_offset"] == 11);
    const auto table = parse_table(kafkit_ok("groups describe billing"));
    REQUIRE(table.size() == 3);
    CHECK(table[2].at("CURRENT-OFFSET") == "-");
    CHECK(table[2].at("CLIENT-ID") == "cli-member");
    CHECK(table[2].at("HOST") == g["members"][0]["host"]);

    // --members (--verbose) and --state: the tool's other two views.
    const auto members = parse_table(kafkit_ok("groups describe billing --members --verbose"));
    REQUIRE(members.size() == 1);
    CHECK(members[0].at("CONSUMER-ID") == g["members"][0]["member_id"]);
    CHECK(members[0].at("CLIENT-ID") == "cli-member");
    CHECK(members[0].at("#PARTITIONS") == "3");
    CHECK(members[0].at("ASSIGNMENT") == "lagged(0,1,2)");
    // The state view's COORDINATOR (ID) header has a space: read the JSON, match the text.
    const auto state_json = kafkit_json("groups describe billing --state")["groups"][0];
    CHECK(state_json["state"] == "Stable");
    CHECK(state_json["members"] == 1);
    CHECK(state_json["assignment_strategy"] == "range");
    const auto& coordinator = state_json["coordinator"];
    const auto state_text = kafkit_ok("groups describe billing --state");
    CHECK(state_text.starts_with("GROUP"));
    CHECK(state_text.find("COORDINATOR (ID)") != std::string::npos);
    CHECK(state_text.find(coordinator["host"].get<std::string>() + ":" + std::to_string(coordinator["port"].get<int>()) +
                          " (" + std::to_string(coordinator["id"].get<int>()) + ")") != std::string::npos);
    CHECK(state_text.find("range") != std::string::npos);
    CHECK(state_text.find("Stable") != std::string::npos);

    // Kafka's rule: no reset and no deletion while the group has members; nothing changes.
    const auto refused = kafkit("groups reset-offsets billing --topic lagged --to-earliest --execute");
    CHECK(refused.status == 1);
    CHECK_MESSAGE(refused.err.find("kafkit: billing: assignments can only be reset if the group 'billing' is inactive, "
                                   "but the current state is Stable") != std::string::npos,
                  refused.err);
    const auto not_empty = kafkit("groups delete billing");
    CHECK(not_empty.status == 1);
    CHECK(not_empty.err.find("kafkit: billing: NON_EMPTY_GROUP") != std::string::npos);
    CHECK(committed("billing", "lagged", 3) == offsets{{"0", 2}, {"1", 8}});

    // A group that does not exist is named, exit 1; the others are still described.
    const auto mixed = kafkit("groups describe billing ghost-group");
    CHECK(mixed.status == 1);
    CHECK(mixed.err.find("kafkit: ghost-group: consumer group 'ghost-group' does not exist") != std::string::npos);
    CHECK(parse_table(mixed.out).size() == 3);
}

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: groups reset-offsets plans by default and commits with --execute, as confluent reads back") {
    lagging_group(*this, "moved", "resetters");
    const offsets start{{"0", 2}, {"1", 8}};
    // The dry run prints the plan and commits nothing.
    const auto plan = kafkit_ok("groups reset-offsets resetters --topic moved --to-earliest");
    CHECK(plan == "GROUP                          TOPIC                          PARTITION  NEW-OFFSET\n"
                  "resetters                      moved                          0          0\n"
                  "resetters                      moved                          1          0\n"
                  "resetters                      moved                          2          0\n");
    CHECK(committed("resetters", "moved", 3) == start);

    REQUIRE(kafkit("groups reset-offsets resetters --topic moved --to-earliest --execute").status == 0);
    CHECK(committed("resetters", "moved", 3) == offsets{{"0", 0}, {"1", 0}, {"2", 0}});

    // --to-offset on two partitions; above a log end it is moved to the log end, with a warning.
    const auto to_offset = kafkit("groups reset-offsets resetters --topic moved:0,1 --to-offset 7 --execute");
    REQUIRE_MESSAGE(to_offset.status == 0, to_offset.err);
    CHECK(to_offset.err.find("new offset 7 of moved-0 is above its latest offset: 5 is used") != std::string::npos);
    CHECK(committed("resetters", "moved", 3) == offsets{{"0", 5}, {"1", 7}, {"2", 0}});

    const auto shifted = kafkit_json("groups reset-offsets resetters --topic moved:1 --topic moved:2 --shift-by -3 --execute");
    CHECK(shifted["executed"] == true);
    CHECK(shifted["partitions"] == nlohmann::json::parse(
                                       R"([{"topic": "moved", "partition": 1, "offset": 4}, {"topic": "moved", "partition": 2, "offset": 0}])"));
    CHECK(committed("resetters", "moved", 3) == offsets{{"0", 5}, {"1", 4}, {"2", 0}});

    REQUIRE(kafkit("groups reset-offsets resetters --all-topics --to-latest --execute").status == 0);
    CHECK(committed("resetters", "moved", 3) == offsets{{"0", 5}, {"1", 8}, {"2", 11}});

    // --to-datetime: the first record at or after the time, from records with known timestamps.
    const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const std::int64_t base = (now_s - 3600) * 1000;
    REQUIRE(kafkit("topics create stamped --partitions 1").status == 0);
    REQUIRE(peer("produce", {{"topic", "stamped"}, {"partition", 0}, {"timestamps", {base, base + 2000, base + 4000}}})["ok"] == true);
    const std::time_t at = static_cast<std::time_t>(base / 1000 + 1);
    char iso[32];
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S+00:00", std::gmtime(&at));
    REQUIRE(kafkit(std::string("groups reset-offsets resetters --topic stamped --to-datetime ") + iso + " --execute").status == 0);
    CHECK(committed("resetters", "stamped", 1) == offsets{{"0", 1}});
    CHECK(peer("times", {{"topic", "stamped"}, {"partitions", 1}, {"ms", base + 1000}})["0"] == 1);

    // --by-duration: now minus the duration, as a time to look up (all three records are
    // younger than two hours, none younger than a minute).
    REQUIRE(kafkit("groups reset-offsets resetters --topic stamped --by-duration PT2H --execute").status == 0);
    CHECK(committed("resetters", "stamped", 1) == offsets{{"0", 0}});
    REQUIRE(kafkit("groups reset-offsets resetters --topic stamped --by-duration pt1m --execute").status == 0);
    CHECK(committed("resetters", "stamped", 1) == offsets{{"0", 3}});
    CHECK(kafkit("groups reset-offsets resetters --topic stamped --by-duration 2h").status == 2);
    // --to-current: the committed offset stays; a partition without one goes to its log end.
    REQUIRE(kafkit("groups reset-offsets resetters --topic moved:1 --to-offset 6 --execute").status == 0);
    CHECK(kafkit_ok("groups reset-offsets resetters --topic moved --to-current").find("moved                          1          6\n") !=
          std::string::npos);

    // A topic that does not exist is named; nothing else is planned for it.
    const auto missing = kafkit("groups reset-offsets resetters --topic nowhere --to-earliest");
    CHECK(missing.status == 1);
    CHECK(missing.err.find("kafkit: nowhere: UNKNOWN_TOPIC_OR_PARTITION") != std::string::npos);
}

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: groups list, delete-offsets and delete, against confluent's view of the groups") {
    lagging_group(*this, "kept", "first");
    REQUIRE(peer("commit", {{"group", "second"}, {"topic", "kept"}, {"offsets", {{"2", 4}}}})["ok"] == true);
    const auto names = kafkit_ok("groups list");
    CHECK(names.find("first\n") != std::string::npos);
    CHECK(names.find("second\n") != std::string::npos);
    const auto listed = kafkit_json("groups list --state Empty");
    std::map<std::string, std::string> ours;
    for (const auto& g : listed["groups"]) ours[g["group"]] = g["state"];
    CHECK(ours == peer("groups", nlohmann::json::object()).get<std::map<std::string, std::string>>());
    const auto table = parse_table(kafkit_ok("groups list --state empty"));
    REQUIRE(table.size() == 2);
    CHECK(table[0].at("STATE") == "Empty");
    CHECK(kafkit_ok("groups list --state stable").empty() == false); // the header alone
    CHECK(parse_table(kafkit_ok("groups list --state stable")).empty());

    const auto deleted_offsets = kafkit_ok("groups delete-offsets first --topic kept:0");
    CHECK(deleted_offsets == "TOPIC PARTITION STATUS\nkept  0         Successful\n");
    CHECK(committed("first", "kept", 3) == offsets{{"1", 8}});

    CHECK(kafkit_ok("groups delete first second") == "Deletion of requested consumer groups ('first', 'second') was successful.\n");
    CHECK(peer("groups", nlohmann::json::object()).empty());
    CHECK(committed("second", "kept", 3).empty());
    const auto again = kafkit("groups delete first");
    CHECK(again.status == 1);
    CHECK(again.err.find("kafkit: first: ") != std::string::npos);
}

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: kafkit perf runs kafkit-perf: produce writes what kcat reads, consume counts it") {
    REQUIRE(kafkit("topics create perfed --partitions 3").status == 0);
    const auto produced = kafkit_alone("perf produce --topic perfed --num-records 500 --record-size 20 --throughput -1 "
                                       "--producer-props bootstrap.servers=" + bootstrap + " acks=all --json");
    REQUIRE_MESSAGE(produced.status == 0, produced.err);
    const auto report = nlohmann::json::parse(produced.out);
    CHECK(report["records"] == 500);
    CHECK(report["failed"] == 0);
    const auto read = kcat("-C -t perfed -e -q -f '%S\\n'");
    REQUIRE(read.status == 0);
    CHECK(std::count(read.out.begin(), read.out.end(), '\n') == 500);
    CHECK(read.out.find("20\n") == 0);
    const auto consumed = kafkit_alone("perf consume --bootstrap-server " + bootstrap + " --topic perfed --messages 500 --json");
    REQUIRE_MESSAGE(consumed.status == 0, consumed.err);
    const auto counted = nlohmann::json::parse(consumed.out);
    CHECK(counted["records"] == 500);
    CHECK(counted["bytes"] == 500 * 20);
    // Its usage errors are kafkit's: exit 2.
    CHECK(kafkit_alone("perf produce --topic t").status == 2);
    CHECK(kafkit_alone("perf produce --topic t --num-records 0 --throughput 1 --record-size 1 --producer-props a=b").status == 2);
}
