// kafkit-rdkafka-perf: librdkafka's producer and consumer (Debian's) under the same flags
// and output as kafkit-perf, so both run with identical settings (the consumer is in
// rdkafka_consume.cpp).
//
//   kafkit-rdkafka-perf produce --topic T --num-records N --record-size S --throughput -1
//       --producer-props bootstrap.servers=HOST:PORT acks=1 linger.ms=5 [--json]
//   kafkit-rdkafka-perf consume --bootstrap-server HOST:PORT --topic T --messages N [--group G]
//       [--json]
//   kafkit-rdkafka-perf latency --bootstrap-server HOST:PORT --topic NEW --messages N
//       --throughput R --record-size S [--producer-props ...] [--consumer-props ...] [--json]
//
// Every property goes to rd_kafka_conf_set unchanged. Records are produced with a topic
// handle made once (RD_KAFKA_V_RKT) and copied (RD_KAFKA_MSG_F_COPY); the send time rides
// in the message opaque, and delivery reports are served by rd_kafka_poll after each send,
// as librdkafka's own rdkafka_performance does.

#include "perf_command.hpp"
#include "rdkafka_consume.hpp"

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string>

namespace {

using kafkit::perf::perf_stats;

class rdkafka_client final : public kafkit::perf::perf_client {
public:
    explicit rdkafka_client(perf_stats& stats) : stats_(stats) {}
    ~rdkafka_client() override {
        if (rkt_) rd_kafka_topic_destroy(rkt_);
        if (rk_) rd_kafka_destroy(rk_);
    }
    rdkafka_client(const rdkafka_client&) = delete;
    rdkafka_client& operator=(const rdkafka_client&) = delete;

    /// Takes ownership of the handle made with this client as its conf opaque.
    void attach(rd_kafka_t* handle) { rk_ = handle; }

    bool send(const std::string& topic, std::int32_t partition, std::string_view value,
              std::int64_t sent_us) override {
        static_assert(kafkit::perf::any_partition == RD_KAFKA_PARTITION_UA);
        if (!rkt_) rkt_ = rd_kafka_topic_new(rk_, topic.c_str(), nullptr);
        for (;;) {
            const rd_kafka_resp_err_t err = rd_kafka_producev(
                rk_, RD_KAFKA_V_RKT(rkt_), RD_KAFKA_V_PARTITION(partition),
                RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<std::intptr_t>(sent_us))),
                RD_KAFKA_V_END);
            if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
            if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                stats_.record_failure(rd_kafka_err2str(err));
                return false;
            }
            rd_kafka_poll(rk_, 10);
        }
        rd_kafka_poll(rk_, 0);
        return true;
    }

    void flush() override {
        while (rd_kafka_flush(rk_, 1000) == RD_KAFKA_RESP_ERR__TIMED_OUT) {
        }
    }

    std::string metrics() override {
        if (last_statistics_.empty()) return "{} (set statistics.interval.ms for librdkafka's statistics)";
        return last_statistics_;
    }

    // Delivery reports and statistics arrive on the thread calling rd_kafka_poll/flush.
    static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
        auto& stats = static_cast<rdkafka_client*>(opaque)->stats_;
        if (m->err) stats.record_failure(rd_kafka_err2str(m->err));
        else stats.record_delivery(static_cast<std::int64_t>(reinterpret_cast<std::intptr_t>(m->_private)),
                                   static_cast<std::int64_t>(m->len));
    }
    static int on_statistics(rd_kafka_t*, char* json, size_t length, void* opaque) {
        static_cast<rdkafka_client*>(opaque)->last_statistics_.assign(json, length);
        return 0; // librdkafka frees `json`
    }

private:
    rd_kafka_t* rk_ = nullptr;
    rd_kafka_topic_t* rkt_ = nullptr;
    perf_stats& stats_;
    std::string last_statistics_;
};

kafkit::perf::client_or_error make_client(const kafkit::perf::property_list& properties, perf_stats& stats) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char error[512];
    for (const auto& [name, value] : properties) {
        if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
            rd_kafka_conf_destroy(conf);
            return {nullptr, name + ": " + error};
        }
    }
    // The callbacks find the client through the conf opaque, so it exists before the handle.
    auto client = std::make_unique<rdkafka_client>(stats);
    rd_kafka_conf_set_dr_msg_cb(conf, rdkafka_client::on_delivery);
    rd_kafka_conf_set_stats_cb(conf, rdkafka_client::on_statistics);
    rd_kafka_conf_set_opaque(conf, client.get());
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (!rk) {
        rd_kafka_conf_destroy(conf); // rd_kafka_new owns conf only when it succeeds
        return {nullptr, error};
    }
    client->attach(rk);
    return {std::move(client), {}};
}

} // namespace

int main(int argc, char** argv) {
    return kafkit::perf::run_perf_command(
        argc, argv, {"kafkit-rdkafka-perf", "librdkafka", make_client, kafkit::perf::make_rdkafka_consumer});
}
