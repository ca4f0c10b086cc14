// kafkit-rdkafka-bench: producer and consumer throughput of librdkafka (Debian's) against
// any broker, so that brokers can be compared with the same client. Prints one JSON line.
//
//   kafkit-rdkafka-bench --bootstrap HOST:PORT [--records N] [--size BYTES] [--topic T]
//
// The producer sends N records of SIZE bytes (acks=1, linger.ms=5) and waits for every
// delivery report; the consumer then reads the N records back from the start of each
// partition (assign, no group) and counts them.

#include <CLI/CLI.hpp>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
    std::string bootstrap;
    std::string topic = "bench";
    long records = 1'000'000;
    int size = 100;
    int partitions = 3;
};

rd_kafka_conf_t* make_conf(const options& o, std::initializer_list<std::pair<const char*, const char*>> extra) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char err[512];
    auto set = [&](const char* k, const char* v) {
        if (rd_kafka_conf_set(conf, k, v, err, sizeof err) != RD_KAFKA_CONF_OK)
            throw std::runtime_error(std::string(k) + ": " + err);
    };
    set("bootstrap.servers", o.bootstrap.c_str());
    for (const auto& [k, v] : extra) set(k, v);
    return conf;
}

std::atomic<long> delivered{0};
std::atomic<long> failed{0};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
    if (m->err) ++failed;
    else ++delivered;
}

double produce(const options& o) {
    rd_kafka_conf_t* conf = make_conf(o, {{"acks", "1"}, {"linger.ms", "5"}, {"batch.size", "1000000"},
                                          {"queue.buffering.max.messages", "1000000"}});
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) throw std::runtime_error(err);
    std::vector<char> payload(static_cast<std::size_t>(o.size), 'x');
    const auto start = clock_type::now();
    for (long i = 0; i < o.records; ++i) {
        while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(o.topic.c_str()),
                                 RD_KAFKA_V_PARTITION(static_cast<int32_t>(i % o.partitions)),
                                 RD_KAFKA_V_VALUE(payload.data(), payload.size()), RD_KAFKA_V_END) ==
               RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(rk, 10);
        rd_kafka_poll(rk, 0);
    }
    while (rd_kafka_flush(rk, 1000) == RD_KAFKA_RESP_ERR__TIMED_OUT) {
    }
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    rd_kafka_destroy(rk);
    if (failed) throw std::runtime_error(std::to_string(failed.load()) + " deliveries failed");
    return seconds;
}

double consume(const options& o) {
    rd_kafka_conf_t* conf = make_conf(o, {{"group.id", "kafkit-bench"}, {"enable.auto.commit", "false"},
                                          {"fetch.max.bytes", "52428800"}});
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) throw std::runtime_error(err);
    rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(o.partitions);
    for (int p = 0; p < o.partitions; ++p)
        rd_kafka_topic_partition_list_add(parts, o.topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    rd_kafka_assign(rk, parts);
    rd_kafka_topic_partition_list_destroy(parts);
    long seen = 0;
    const auto start = clock_type::now();
    const auto deadline = start + std::chrono::minutes(5);
    while (seen < o.records && clock_type::now() < deadline) {
        rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100);
        if (!m) continue;
        if (!m->err) ++seen;
        rd_kafka_message_destroy(m);
    }
    const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    if (seen < o.records) throw std::runtime_error("consumed only " + std::to_string(seen) + " records");
    return seconds;
}

} // namespace

int main(int argc, char** argv) {
    options o;
    CLI::App app{"librdkafka producer/consumer throughput against a broker"};
    app.add_option("--bootstrap,-b", o.bootstrap, "bootstrap servers")->required();
    app.add_option("--topic,-t", o.topic, "topic (created by the first produce when auto-creation is on)");
    app.add_option("--records,-n", o.records, "records to produce and consume");
    app.add_option("--size,-s", o.size, "record value size in bytes");
    app.add_option("--partitions,-p", o.partitions, "partitions of the topic to spread records over");
    CLI11_PARSE(app, argc, argv);
    try {
        const double produce_s = produce(o);
        const double consume_s = consume(o);
        const double mb = static_cast<double>(o.records) * o.size / 1e6;
        std::printf("{\"records\":%ld,\"size\":%d,\"produce_s\":%.3f,\"produce_msgs_per_s\":%.0f,"
                    "\"produce_mb_per_s\":%.1f,\"consume_s\":%.3f,\"consume_msgs_per_s\":%.0f,"
                    "\"consume_mb_per_s\":%.1f}\n",
                    o.records, o.size, produce_s, o.records / produce_s, mb / produce_s, consume_s,
                    o.records / consume_s, mb / consume_s);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kafkit-rdkafka-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
