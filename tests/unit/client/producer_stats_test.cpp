// producer_stats::to_json parsed back: every field under its own name with its value.

#include "kafkit/producer_stats.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <string>

using nlohmann::json;

namespace {

kafkit::latency_summary latency(std::int64_t base) {
    return {.count = base, .min_us = base + 1, .max_us = base + 2, .avg_us = base + 3,
            .p50_us = base + 4, .p95_us = base + 5, .p99_us = base + 6, .p999_us = base + 7};
}

kafkit::producer_stats sample() {
    kafkit::producer_stats s;
    s.client_id = "perf \"client\"\n";
    s.time_ms = 1'700'000'000'123;
    s.records_queued = 11;
    s.bytes_queued = 12;
    s.records_delivered = 13;
    s.records_failed = 14;
    s.callback_exceptions = 15;
    s.producer_id = 4'000'000'000;
    s.producer_epoch = 3;
    s.brokers.push_back({.node_id = 1, .address = "127.0.0.1:9092", .state = "up", .requests_sent = 21,
                         .bytes_sent = 22, .responses_received = 23, .bytes_received = 24,
                         .request_errors = 25, .connects = 26, .disconnects = 27, .in_flight_requests = 28,
                         .produce_latency = latency(100)});
    kafkit::broker_stats connecting;
    connecting.node_id = 2;
    connecting.address = "[::1]:9093";
    connecting.state = "connecting";
    s.brokers.push_back(connecting);
    s.partitions.push_back({.topic = "orders", .partition = 0, .leader = 1, .records_sent = 31,
                            .bytes_sent = 32, .batches_sent = 33, .retries = 34, .errors = 35,
                            .queued_records = 36, .queued_bytes = 37, .in_flight_batches = 38});
    return s;
}

std::set<std::string> keys_of(const json& object) {
    std::set<std::string> keys;
    for (const auto& item : object.items()) keys.insert(item.key());
    return keys;
}

} // namespace

TEST_CASE("producer_stats: to_json names every field and keeps its value") {
    const json doc = json::parse(sample().to_json());
    REQUIRE(doc.is_object());
    CHECK(keys_of(doc) == std::set<std::string>{"client_id", "time_ms", "records_queued", "bytes_queued",
                                                "records_delivered", "records_failed",
                                                "callback_exceptions", "producer_id", "producer_epoch",
                                                "brokers", "partitions"});
    CHECK(doc["client_id"] == "perf \"client\"\n");
    CHECK(doc["time_ms"] == 1'700'000'000'123);
    CHECK(doc["records_queued"] == 11);
    CHECK(doc["bytes_queued"] == 12);
    CHECK(doc["records_delivered"] == 13);
    CHECK(doc["records_failed"] == 14);
    CHECK(doc["callback_exceptions"] == 15);
    CHECK(doc["producer_id"] == 4'000'000'000);
    CHECK(doc["producer_epoch"] == 3);
}

TEST_CASE("producer_stats: brokers come out in order with their latency summary") {
    const json doc = json::parse(sample().to_json());
    REQUIRE(doc["brokers"].size() == 2);
    const json& b = doc["brokers"][0];
    CHECK(keys_of(b) == std::set<std::string>{"node_id", "address", "state", "requests_sent", "bytes_sent",
                                              "responses_received", "bytes_received", "request_errors",
                                              "connects", "disconnects", "in_flight_requests",
                                              "produce_latency"});
    CHECK(b["node_id"] == 1);
    CHECK(b["address"] == "127.0.0.1:9092");
    CHECK(b["state"] == "up");
    CHECK(b["requests_sent"] == 21);
    CHECK(b["bytes_sent"] == 22);
    CHECK(b["responses_received"] == 23);
    CHECK(b["bytes_received"] == 24);
    CHECK(b["request_errors"] == 25);
    CHECK(b["connects"] == 26);
    CHECK(b["disconnects"] == 27);
    CHECK(b["in_flight_requests"] == 28);
    const json& l = b["produce_latency"];
    CHECK(keys_of(l) == std::set<std::string>{"count", "min_us", "max_us", "avg_us", "p50_us", "p95_us",
                                              "p99_us", "p999_us"});
    CHECK(l["count"] == 100);
    CHECK(l["min_us"] == 101);
    CHECK(l["max_us"] == 102);
    CHECK(l["avg_us"] == 103);
    CHECK(l["p50_us"] == 104);
    CHECK(l["p95_us"] == 105);
    CHECK(l["p99_us"] == 106);
    CHECK(l["p999_us"] == 107);
    CHECK(doc["brokers"][1]["node_id"] == 2);
    CHECK(doc["brokers"][1]["state"] == "connecting");
    CHECK(doc["brokers"][1]["produce_latency"]["count"] == 0);
}

TEST_CASE("producer_stats: partitions come out with every counter") {
    const json doc = json::parse(sample().to_json());
    REQUIRE(doc["partitions"].size() == 1);
    const json& p = doc["partitions"][0];
    CHECK(keys_of(p) == std::set<std::string>{"topic", "partition", "leader", "records_sent", "bytes_sent",
                                              "batches_sent", "retries", "errors", "queued_records",
                                              "queued_bytes", "in_flight_batches"});
    CHECK(p["topic"] == "orders");
    CHECK(p["partition"] == 0);
    CHECK(p["leader"] == 1);
    CHECK(p["records_sent"] == 31);
    CHECK(p["bytes_sent"] == 32);
    CHECK(p["batches_sent"] == 33);
    CHECK(p["retries"] == 34);
    CHECK(p["errors"] == 35);
    CHECK(p["queued_records"] == 36);
    CHECK(p["queued_bytes"] == 37);
    CHECK(p["in_flight_batches"] == 38);
}

TEST_CASE("producer_stats: an empty snapshot has empty arrays and the defaults") {
    const json doc = json::parse(kafkit::producer_stats{}.to_json());
    CHECK(doc["brokers"].is_array());
    CHECK(doc["brokers"].empty());
    CHECK(doc["partitions"].is_array());
    CHECK(doc["producer_id"] == -1);
    CHECK(doc["producer_epoch"] == -1);
    CHECK(doc["client_id"] == "");
}

TEST_CASE("producer_stats: a name that is not UTF-8 is replaced, not thrown on") {
    kafkit::producer_stats s;
    s.client_id = std::string("bad\xff", 4);
    std::string text;
    CHECK_NOTHROW(text = s.to_json());
    CHECK(json::parse(text)["client_id"] == "bad\xef\xbf\xbd");
}
