// `kafkit <command>` against kafkit-broker, each command's effect read back by a tool that
// shares no code with kafkit: kcat -L -J for topics, partitions and brokers, kcat -C for
// records, confluent-kafka-python for configs, watermarks and timestamps, kafka-python for
// ACLs. The --output json documents are parsed; the exit statuses (0, 1 naming the entity,
// 2 for usage errors, 3 for an unreachable cluster, in bounded time) are asserted. The
// consumer group commands and `kafkit perf` are in cli_admin_groups_test.cpp.

#include "cli_admin_support.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

using namespace kafkit::integration;

namespace {

/// kcat -L -J's partitions of `topic`: partition -> replica ids (empty when not listed).
std::map<int, std::vector<int>> kcat_replicas(const cli_admin_fixture& f, const std::string& topic) {
    std::map<int, std::vector<int>> out;
    const auto metadata = f.kcat_metadata(topic);
    for (const auto& t : metadata["topics"]) {
        if (t["topic"] != topic || t.contains("error")) continue;
        for (const auto& p : t["partitions"]) {
            std::vector<int> replicas;
            for (const auto& r : p["replicas"]) replicas.push_back(r["id"].get<int>());
            std::sort(replicas.begin(), replicas.end());
            out[p["partition"].get<int>()] = replicas;
        }
    }
    return out;
}

nlohmann::json topic_configs(const cli_admin_fixture& f, const std::string& topic) {
    return f.peer("configs", {{"type", "topic"}, {"name", topic}});
}

} // namespace

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: topics create, describe, alter, add-partitions and delete change what kcat sees") {
    CHECK(kafkit_ok("topics create orders --partitions 4 --replication-factor 2 --config retention.ms=3600000") ==
          "Created topic orders.\n");
    const auto replicas = kcat_replicas(*this, "orders");
    REQUIRE(replicas.size() == 4);
    for (const auto& [p, r] : replicas) CHECK(r.size() == 2);
    CHECK(topic_configs(*this, "orders")["retention.ms"] == "3600000");

    // describe: the same leaders and replicas as kcat's metadata, and the topic's own config.
    const auto described = kafkit_json("topics describe orders");
    REQUIRE(described["topics"].size() == 1);
    const auto& d = described["topics"][0];
    CHECK(d["partition_count"] == 4);
    CHECK(d["replication_factor"] == 2);
    CHECK(d["configs"] == nlohmann::json{{"retention.ms", "3600000"}});
    for (const auto& p : d["partitions"]) {
        auto ids = p["replicas"].get<std::vector<int>>();
        std::sort(ids.begin(), ids.end());
        CHECK(ids == replicas.at(p["partition"].get<int>()));
    }
    const auto text = kafkit_ok("topics describe orders");
    CHECK(text.starts_with("Topic: orders\tTopicId: " + d["id"].get<std::string>() +
                           "\tPartitionCount: 4\tReplicationFactor: 2\tConfigs: retention.ms=3600000\n"));
    CHECK(std::count(text.begin(), text.end(), '\n') == 5);

    // --replica-assignment: the brokers of each partition, the first leading.
    REQUIRE(kafkit_ok("topics create placed --replica-assignment 2:3,3:1") == "Created topic placed.\n");
    CHECK(kcat_replicas(*this, "placed") == std::map<int, std::vector<int>>{{0, {2, 3}}, {1, {1, 3}}});
    const auto placed = kafkit_json("topics describe placed")["topics"][0]["partitions"];
    REQUIRE(placed.size() == 2);
    CHECK(placed[0]["replicas"] == nlohmann::json::array({2, 3}));
    CHECK(placed[0]["leader"] == 2);
    CHECK(placed[1]["replicas"] == nlohmann::json::array({3, 1}));
    CHECK(placed[1]["leader"] == 3);
    CHECK(kafkit("topics create bad --replica-assignment 1:x").status == 2);
    CHECK(kafkit("topics create bad --replica-assignment 1:2 --partitions 3").status == 2);
    CHECK(kafkit("topics create bad --replica-assignment 1:9").status == 1); // no broker 9

    // list: names one a line; json with ids.
    CHECK(kafkit_ok("topics list").find("orders\n") != std::string::npos);
    const auto listed = kafkit_json("topics list");
    CHECK(std::any_of(listed["topics"].begin(), listed["topics"].end(),
                      [&](const auto& t) { return t["name"] == "orders" && t["id"] == d["id"]; }));

    // create again: TOPIC_ALREADY_EXISTS names the topic, exit 1; --if-not-exists is fine.
    const auto again = kafkit("topics create orders --partitions 1");
    CHECK(again.status == 1);
    CHECK_MESSAGE(again.err.find("kafkit: orders: TOPIC_ALREADY_EXISTS") != std::string::npos, again.err);
    CHECK(kafkit("topics create orders --partitions 1 --if-not-exists").status == 0);
    // --validate-only creates nothing.
    CHECK(kafkit_ok("topics create checked --partitions 2 --validate-only").find("would be created") != std::string::npos);
    CHECK(kcat_replicas(*this, "checked").empty());

    // alter: set one, delete another (incremental).
    REQUIRE(kafkit("topics alter orders --config cleanup.policy=compact --config segment.ms=600000").status == 0);
    REQUIRE(kafkit("topics alter orders --delete-config retention.ms").status == 0);
    const auto configs = topic_configs(*this, "orders");
    CHECK(configs["cleanup.policy"] == "compact");
    CHECK(configs["segment.ms"] == "600000");
    CHECK(configs["retention.ms"] == "604800000"); // back to the default

    CHECK(kafkit_ok("topics add-partitions orders --total 6") == "Topic orders now has 6 partitions.\n");
    CHECK(kcat_replicas(*this, "orders").size() == 6);

    // delete: one that exists and one that does not; the missing one is named, exit 1.
    const auto deleted = kafkit("topics delete orders missing-topic");
    CHECK(deleted.status == 1);
    CHECK(deleted.out == "Deleted topic orders.\n");
    CHECK_MESSAGE(deleted.err.find("kafkit: missing-topic: UNKNOWN_TOPIC_OR_PARTITION") != std::string::npos, deleted.err);
    CHECK(kcat_replicas(*this, "orders").empty());
    CHECK(kafkit("topics delete missing-topic --if-exists").status == 0);
}

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: configs set, delete and describe for topics and brokers, as confluent-kafka-python reads them") {
    REQUIRE(kafkit("topics create conf --partitions 1").status == 0);
    CHECK(kafkit_ok("configs set --topic conf retention.ms=120000 max.message.bytes=2048") ==
          "Completed updating config for topic conf.\n");
    auto configs = topic_configs(*this, "conf");
    CHECK(configs["retention.ms"] == "120000");
    CHECK(configs["max.message.bytes"] == "2048");

    // describe: the values set on the topic only, or every one with --all.
    const auto own = kafkit_json("configs describe --topic conf");
    std::map<std::string, std::string> shown;
    for (const auto& e : own["configs"]) {
        CHECK(e["source"] == "DYNAMIC_TOPIC_CONFIG");
        shown[e["name"]] = e["value"];
    }
    CHECK(shown == std::map<std::string, std::string>{{"max.message.bytes", "2048"}, {"retention.ms", "120000"}});
    const auto all = kafkit_json("configs describe --topic conf --all --synonyms");
    std::size_t matching = 0;
    for (const auto& e : all["configs"])
        if (configs.contains(e["name"].get<std::string>()) && configs[e["name"].get<std::string>()] == e["value"]) ++matching;
    CHECK(matching == all["configs"].size()); // every value as confluent-kafka-python sees it
    CHECK(all["configs"].size() == configs.size());
    CHECK(kafkit_ok("configs describe --topic conf") ==
          "Dynamic configs for topic conf are:\n  max.message.bytes=2048 sensitive=false\n"
          "  retention.ms=120000 sensitive=false\n");

    REQUIRE(kafkit("configs delete --topic conf max.message.bytes").status == 0);
    configs = topic_configs(*this, "conf");
    CHECK(configs["max.message.bytes"] == "1048588");
    CHECK(configs["retention.ms"] == "120000");

    // A broker's own config, and the cluster-wide default.
    CHECK(kafkit_ok("configs set --broker 2 log.retention.ms=7200000") == "Completed updating config for broker 2.\n");
    CHECK(peer("configs", {{"type", "broker"}, {"name", "2"}})["log.retention.ms"] == "7200000");
    CHECK(peer("configs", {{"type", "broker"}, {"name", "1"}})["log.retention.ms"] != "7200000");
    REQUIRE(kafkit("configs delete --broker 2 log.retention.ms").status == 0);
    CHECK(peer("configs", {{"type", "broker"}, {"name", "2"}})["log.retention.ms"] != "7200000");

    // Errors: an unknown topic names the resource (exit 1); no resource or two is a usage error.
    const auto missing = kafkit("configs describe --topic nope");
    CHECK(missing.status == 1);
    CHECK_MESSAGE(missing.err.find("kafkit: topic nope: UNKNOWN_TOPIC_OR_PARTITION") != std::string::npos, missing.err);
    CHECK(kafkit("configs set retention.ms=1").status == 2);
    CHECK(kafkit("configs describe --topic conf --broker 1").status == 2);
    CHECK(kafkit("configs set --topic conf retention.ms").status == 2);
}

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: offsets and records delete agree with confluent-kafka-python's watermarks and timestamps") {
    REQUIRE(kafkit("topics create logs --partitions 2").status == 0);
    produce("logs", 0, 10);
    produce("logs", 1, 4);
    CHECK(kafkit_ok("offsets logs") == "logs:0:10\nlogs:1:4\n");
    CHECK(kafkit_ok("offsets logs --partition 1 --time earliest") == "logs:1:0\n");

    // Timestamps: records at known times, looked up by milliseconds and by ISO 8601.
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count() / 1000 * 1000;
    const std::int64_t base = now_ms - 3600 * 1000;
    REQUIRE(kafkit("topics create timed --partitions 1").status == 0);
    REQUIRE(peer("produce", {{"topic", "timed"}, {"partition", 0}, {"timestamps", {base, base + 1000, base + 2000, base + 3000}}})["ok"] == true);
    const auto by_ms = kafkit_json("offsets timed --time " + std::to_string(base + 1500));
    REQUIRE(by_ms["offsets"].size() == 1);
    CHECK(by_ms["offsets"][0]["offset"] == 2);
    CHECK(by_ms["offsets"][0]["offset"] == peer("times", {{"topic", "timed"}, {"partitions", 1}, {"ms", base + 1500}})["0"]);
    const std::time_t at = static_cast<std::time_t>((base + 1000) / 1000);
    char iso[32];
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&at));
    CHECK(kafkit_ok(std::string("offsets timed --time ") + iso) == "timed:0:1\n");
    CHECK(kafkit_ok("offsets timed --time max") == "timed:0:3\n");

    // records delete: the log start moves, as confluent-kafka-python's low watermark shows.
    CHECK(kafkit_ok("records delete logs --partition 0 --before-offset 6") ==
          "Records delete operation completed:\npartition: logs-0\tlow_watermark: 6\n");
    auto marks = peer("watermarks", {{"topic", "logs"}, {"partitions", 2}});
    CHECK(marks["0"] == nlohmann::json::array({6, 10}));
    CHECK(marks["1"] == nlohmann::json::array({0, 4}));
    CHECK(kcat("-C -t logs -p 0 -o beginning -e -q -f '%o,'").out == "6,7,8,9,");
    // kafka-delete-records.sh's JSON file; -1 is the high watermark.
    const auto file = std::filesystem::temp_directory_path() / ("kafkit-delete-" + std::to_string(::getpid()) + ".json");
    std::ofstream(file) << R"({"partitions": [{"topic": "logs", "partition": 1, "offset": -1}], "version": 1})";
    const auto deleted = kafkit_json("records delete --offset-json-file " + file.string());
    std::filesystem::remove(file);
    CHECK(deleted["partitions"] == nlohmann::json::parse(R"([{"topic": "logs", "partition": 1, "low_watermark": 4}])"));
    CHECK(peer("watermarks", {{"topic", "logs"}, {"partitions", 2}})["1"] == nlohmann::json::array({4, 4}));
    CHECK(kafkit_ok("offsets logs --time earliest") == "logs:0:6\nlogs:1:4\n");

    const auto missing = kafkit("offsets no-such-topic");
    CHECK(missing.status == 1);
    CHECK_MESSAGE(missing.err.find("kafkit: no-such-topic: UNKNOWN_TOPIC_OR_PARTITION") != std::string::npos, missing.err);
    CHECK(kafkit("offsets logs --time yesterday").status == 2);
    CHECK(kafkit("records delete logs --partition 0").status == 2); // no --before-offset
}

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: acls create, list and delete, as kafka-python describes them") {
    using row = std::vector<std::string>;
    CHECK(kafkit("acls create --allow --principal User:alice --operation Read --operation Describe --topic orders").status == 0);
    REQUIRE(kafkit("acls create --deny --principal User:eve --host 10.0.0.1 --operation All --topic pay- --pattern prefixed").status == 0);
    REQUIRE(kafkit("acls create --allow --principal User:bob --operation Read --group billing").status == 0);
    REQUIRE(kafkit("acls create --allow --principal User:ops --operation Alter --cluster").status == 0);
    REQUIRE(kafkit("acls create --allow --principal User:tx --operation Write --transactional-id payments").status == 0);
    const std::vector<row> all{
        {"CLUSTER", "kafka-cluster", "LITERAL", "User:ops", "*", "ALTER", "ALLOW"},
        {"GROUP", "billing", "LITERAL", "User:bob", "*", "READ", "ALLOW"},
        {"TOPIC", "orders", "LITERAL", "User:alice", "*", "DESCRIBE", "ALLOW"},
        {"TOPIC", "orders", "LITERAL", "User:alice", "*", "READ", "ALLOW"},
        {"TOPIC", "pay-", "PREFIXED", "User:eve", "10.0.0.1", "ALL", "DENY"},
        {"TRANSACTIONAL_ID", "payments", "LITERAL", "User:tx", "*", "WRITE", "ALLOW"},
    };
    CHECK(peer("acls", nlohmann::json::object()).get<std::vector<row>>() == all);

    // list: every binding, or those a filter matches (match: the prefixed one applies to pay-ments).
    auto rows_of = [](const nlohmann::json& doc) {
        std::vector<row> out;
        for (const auto& b : doc["acls"])
            out.push_back({b["resource_type"], b["resource_name"], b["pattern_type"], b["principal"], b["host"],
                           b["operation"], b["permission"]});
        std::sort(out.begin(), out.end());
        return out;
    };
    CHECK(rows_of(kafkit_json("acls list")) == all);
    CHECK(rows_of(kafkit_json("acls list --topic pay-ments --pattern match")) == std::vector<row>{all[4]});
    CHECK(rows_of(kafkit_json("acls list --principal User:alice --operation read")) == std::vector<row>{all[3]});
    const auto table = parse_table(kafkit_ok("acls list --deny"));
    REQUIRE(table.size() == 1);
    CHECK(table[0].at("RESOURCE-NAME") == "pay-");
    CHECK(table[0].at("HOST") == "10.0.0.1");

    // delete: by resource (literal by default) and by principal; the deleted bindings printed.
    const auto deleted = kafkit_json("acls delete --topic orders");
    CHECK(deleted["deleted"].size() == 2);
    REQUIRE(kafkit("acls delete --principal User:eve").status == 0);
    CHECK(peer("acls", nlohmann::json::object()).get<std::vector<row>>() == std::vector<row>{all[0], all[1], all[5]});

    // Usage errors: no permission, a principal without a type, a bad operation, delete without a filter.
    CHECK(kafkit("acls create --principal User:x --operation Read --topic t").status == 2);
    CHECK(kafkit("acls create --allow --principal alice --operation Read --topic t").status == 2);
    CHECK(kafkit("acls create --allow --principal User:x --operation Fly --topic t").status == 2);
    CHECK(kafkit("acls delete").status == 2);
    CHECK(peer("acls", nlohmann::json::object()).size() == 3);
}

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: cluster describe and brokers list the brokers kcat lists") {
    const auto metadata = kcat_metadata("none-needed");
    std::set<std::string> expected;
    for (const auto& b : metadata["brokers"]) expected.insert(std::to_string(b["id"].get<int>()) + " " + b["name"].get<std::string>());
    REQUIRE(expected.size() == 3);
    const auto doc = kafkit_json("cluster describe");
    CHECK(!doc["cluster_id"].get<std::string>().empty());
    CHECK(doc["controller"] == metadata["controllerid"]);
    std::set<std::string> listed;
    for (const auto& b : doc["brokers"])
        listed.insert(std::to_string(b["id"].get<int>()) + " " + b["host"].get<std::string>() + ":" +
                      std::to_string(b["port"].get<int>()));
    CHECK(listed == expected);
    const auto table = parse_table(kafkit_ok("brokers"));
    REQUIRE(table.size() == 3);
    for (const auto& r : table) {
        CHECK(expected.contains(r.at("ID") + " " + r.at("HOST") + ":" + r.at("PORT")));
        CHECK(r.at("CONTROLLER") == (r.at("ID") == std::to_string(metadata["controllerid"].get<int>()) ? "yes" : "no"));
    }
    const auto text = kafkit_ok("cluster describe");
    CHECK(text.starts_with("Cluster ID: " + doc["cluster_id"].get<std::string>() + "\nController: "));
}

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: connection flags: KAFKIT_BOOTSTRAP_SERVERS, -X and --command-config") {
    REQUIRE(kafkit("topics create envtopic --partitions 1").status == 0);
    const auto env = run("env KAFKIT_BOOTSTRAP_SERVERS=" + bootstrap + " " + kafkit_bin + " topics list", 30s);
    CHECK_MESSAGE(env.status == 0, env.err);
    CHECK(env.out.find("envtopic\n") != std::string::npos);
    const auto file = std::filesystem::temp_directory_path() / ("kafkit-admin-" + std::to_string(::getpid()) + ".properties");
    std::ofstream(file) << "# the client of kafkit's admin commands\nbootstrap.servers = " << bootstrap
                        << "\nclient.id: from-file\n";
    const auto from_file = kafkit_alone("topics list --command-config " + file.string());
    CHECK_MESSAGE(from_file.status == 0, from_file.err);
    CHECK(from_file.out.find("envtopic\n") != std::string::npos);
    const auto bad_property = kafkit_alone("topics list --command-config " + file.string() + " -X no.such.property=1");
    CHECK(bad_property.status == 2);
    CHECK_MESSAGE(bad_property.err.find("no.such.property") != std::string::npos, bad_property.err);
    std::filesystem::remove(file);
    const auto no_brokers = run("env -u KAFKIT_BOOTSTRAP_SERVERS " + kafkit_bin + " topics list", 30s);
    CHECK(no_brokers.status == 2);
    CHECK(no_brokers.err.find("no brokers") != std::string::npos);
}

TEST_CASE_FIXTURE(cli_admin_fixture, "cli admin: usage errors exit 2 with CLI11's message; an unreachable cluster exits 3 in bounded time") {
    auto usage = [&](const std::string& args, const std::string& message) {
        CAPTURE(args);
        const auto r = kafkit(args);
        CHECK(r.status == 2);
        CHECK_MESSAGE(r.err.find(message) != std::string::npos, r.err);
        CHECK(r.out.empty());
    };
    usage("topics frobnicate", "unknown command 'frobnicate'");
    usage("topcis list", "unknown command 'topcis'");
    usage("topics list --frobnicate", "--frobnicate");
    usage("topics create", "TOPIC is required");
    usage("topics create t --partitions zero", "--partitions");
    usage("topics list --output xml", "--output");
    usage("groups reset-offsets g --topic t", "exactly one of --to-earliest");
    usage("groups reset-offsets g --topic t --to-earliest --dry-run --execute", "excludes");
    usage("groups reset-offsets g --topic t --to-datetime someday", "--to-datetime");
    usage("topics", "a command is required");

    // Nothing listens on port 1: each command gives up after --timeout-ms, exit 3.
    for (const std::string args : {"topics list", "groups describe g --output json", "brokers"}) {
        CAPTURE(args);
        const auto started = std::chrono::steady_clock::now();
        const auto r = run(kafkit_bin + " " + args + " -b 127.0.0.1:1 --timeout-ms 1500", 30s);
        const auto took = std::chrono::steady_clock::now() - started;
        CHECK(r.status == 3);
        CHECK(took < 10s);
        CHECK_MESSAGE(r.err.find("no answer from the cluster at 127.0.0.1:1 within 1500 ms") != std::string::npos, r.err);
        if (args.find("json") != std::string::npos) {
            const auto doc = nlohmann::json::parse(r.out); // still one document
            REQUIRE(doc["errors"].size() == 1);
            CHECK(doc["errors"][0]["code"] == "timed_out");
        }
    }
}

TEST_CASE("cli admin: --help lists the commands, the kcat mode and the exit codes; each command has an example") {
    const auto help = cli_admin_fixture::kafkit_alone("--help");
    REQUIRE(help.status == 0);
    for (const auto* word : {"topics", "configs", "groups", "offsets", "records", "acls", "cluster", "brokers", "perf",
                             "completion", "kafkit -h", "Exit status", "3  the cluster could not be reached"})
        CHECK_MESSAGE(help.out.find(word) != std::string::npos, word);
    const auto reset = cli_admin_fixture::kafkit_alone("groups reset-offsets --help");
    CHECK(reset.status == 0);
    CHECK(reset.out.find("Example:\n  kafkit groups reset-offsets") != std::string::npos);
    CHECK(reset.out.find("--to-datetime") != std::string::npos);
    CHECK(cli_admin_fixture::kafkit_alone("help topics create").out == cli_admin_fixture::kafkit_alone("topics create --help").out);
    const auto perf = cli_admin_fixture::kafkit_alone("perf produce --help");
    CHECK(perf.out.find("--producer-props") != std::string::npos);
    CHECK(perf.out.find("Example:\n  kafkit perf produce") != std::string::npos);
    // kcat's mode is untouched.
    CHECK(cli_admin_fixture::kafkit_alone("-h").out.find("kcat-compatible mode") != std::string::npos);
}

TEST_CASE("cli admin: completion bash completes commands and flags from the command tree") {
    auto complete = [](const std::string& line) {
        const std::string script = "source <(" + kafkit_bin + " completion bash); read -a COMP_WORDS <<< " + quoted(line) +
                                   "; [[ " + quoted(line) + " == *' ' ]] && COMP_WORDS+=(''); "
                                   "COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _kafkit; echo \"${COMPREPLY[*]}\"";
        const auto r = run("bash -c " + quoted(script), 30s);
        REQUIRE_MESSAGE(r.status == 0, r.err);
        return r.out;
    };
    CHECK(complete("kafkit ") == "topics configs groups offsets records acls cluster brokers perf completion help\n");
    CHECK(complete("kafkit topics cr") == "create\n");
    CHECK(complete("kafkit groups reset-offsets g --to-") == "--to-earliest --to-latest --to-offset --to-datetime --to-current\n");
    CHECK(complete("kafkit perf produce --num") == "--num-records\n");
    // A flag's value is skipped: "list" after --topic is no command.
    CHECK(complete("kafkit groups reset-offsets --topic list --all") == "--all-topics\n");
    CHECK(complete("kafkit topics create t --partitions ") == "\n"); // a value: left to file names
    // A flag without a value is not followed by one.
    CHECK(complete("kafkit topics list --internal --out") == "--output\n");
    const auto zsh = cli_admin_fixture::kafkit_alone("completion zsh");
    CHECK(zsh.status == 0);
    CHECK(zsh.out.starts_with("#compdef kafkit\n"));
    CHECK(zsh.out.find("'reset-offsets:move an inactive group") != std::string::npos);
    CHECK(cli_admin_fixture::kafkit_alone("completion fish").status == 2);
}

TEST_CASE("cli admin: completion zsh offers the commands and flags of each position") {
    // zsh's completion system needs a terminal; its two entry points the script calls are
    // stood in for: _describe prints the candidates' names, _files says FILES.
    auto complete = [](const std::string& words, int current) {
        const std::string script =
            "compdef() { :; }; _files() { print -r -- FILES; }; "
            "_describe() { local -a c; c=(\"${(@P)4}\"); print -r -- ${c%%:*}; }; "
            "source <(" + kafkit_bin + " completion zsh); words=(" + words + "); CURRENT=" + std::to_string(current) +
            "; _kafkit";
        const auto r = run("zsh -f -c " + quoted(script), 30s);
        REQUIRE_MESSAGE(r.status == 0, r.err);
        return r.out;
    };
    CHECK(complete("kafkit ''", 2) == "topics configs groups offsets records acls cluster brokers perf completion help\n");
    CHECK(complete("kafkit topics ''", 3) == "list describe create delete alter add-partitions\n");
    const auto flags = complete("kafkit topics list --internal -", 5);
    CHECK(flags.find("--output") != std::string::npos);
    CHECK(flags.find("--bootstrap-server") != std::string::npos);
    CHECK(complete("kafkit topics create t --partitions ''", 6) == "FILES\n"); // a value
    CHECK(complete("kafkit groups reset-offsets --topic list -", 6).find("--all-topics") != std::string::npos);
}
