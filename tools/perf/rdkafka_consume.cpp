// librdkafka's consumer (Debian's) under the same flags as kafkit-perf consume.
//
// rd_kafka_consumer_poll returns one message per call; poll() here drains up to a
// max.poll.records-sized batch per call (the first call waits, the rest do not), so the
// driver's per-call work is spread as it is for kafkit's batches. rd_kafka_assign and
// rd_kafka_consumer_poll need a group.id even without membership: without --group and
// without a group.id property the tool sets one that is never joined (enable.auto.commit
// is false, and offsets start at the beginning, so nothing is looked up or committed).

#include "rdkafka_consume.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace kafkit::perf {
namespace {

// kafkit's max.poll.records default.
constexpr std::int64_t batch_limit = 500;
constexpr int metadata_timeout_ms = 10000;
constexpr const char* unjoined_group = "kafkit-perf-consume";

class rdkafka_consumer final : public consume_client {
public:
    explicit rdkafka_consumer(rd_kafka_t* handle) : rk_(handle) {}
    ~rdkafka_consumer() override {
        rd_kafka_consumer_close(rk_);
        rd_kafka_destroy(rk_);
    }
    rdkafka_consumer(const rdkafka_consumer&) = delete;
    rdkafka_consumer& operator=(const rdkafka_consumer&) = delete;

    // Returns the error text, empty on success.
    std::string start(const consume_options& o) {
        rd_kafka_poll_set_consumer(rk_); // logs and errors come through rd_kafka_consumer_poll
        if (!o.group.empty()) return subscribe(o.topic);
        return assign_all(o.topic);
    }

    /// How many partitions start() assigned (0 when it subscribed).
    [[nodiscard]] std::int32_t assigned() const noexcept { return assigned_; }

    poll_outcome poll(std::chrono::milliseconds timeout, std::int64_t limit) override {
        poll_outcome out;
        const std::int64_t most = std::min(limit, batch_limit);
        rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, static_cast<int>(timeout.count()));
        for (std::int64_t polled = 1; m != nullptr; ++polled) {
            if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
                ++out.records;
                out.bytes += static_cast<std::int64_t>(m->key_len + m->len);
                report_value(std::string_view(static_cast<const char*>(m->payload), m->len));
            } else if (m->err == RD_KAFKA_RESP_ERR__FATAL) {
                out.fatal = rd_kafka_message_errstr(m);
            } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                out.errors.emplace_back(rd_kafka_message_errstr(m));
            }
            rd_kafka_message_destroy(m);
            if (out.records >= most || polled >= batch_limit || !out.fatal.empty()) break;
            m = rd_kafka_consumer_poll(rk_, 0);
        }
        return out;
    }

private:
    std::string subscribe(const std::string& topic) {
        rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(list, topic.c_str(), RD_KAFKA_PARTITION_UA);
        const rd_kafka_resp_err_t err = rd_kafka_subscribe(rk_, list);
        rd_kafka_topic_partition_list_destroy(list);
        return err ? std::string("subscribe: ") + rd_kafka_err2str(err) : std::string();
    }

    std::string assign_all(const std::string& topic) {
        rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk_, topic.c_str(), nullptr);
        const rd_kafka_metadata_t* md = nullptr;
        rd_kafka_resp_err_t err = rd_kafka_metadata(rk_, 0, rkt, &md, metadata_timeout_ms);
        rd_kafka_topic_destroy(rkt);
        if (err) return "metadata: " + std::string(rd_kafka_err2str(err));
        std::string error;
        if (md->topic_cnt != 1)
            error = "metadata: no answer for the topic";
        else if (md->topics[0].err)
            error = std::string("metadata: ") + rd_kafka_err2str(md->topics[0].err);
        else if (md->topics[0].partition_cnt == 0)
            error = "metadata: the topic has no partitions";
        rd_kafka_topic_partition_list_t* list = nullptr;
        if (error.empty()) {
            list = rd_kafka_topic_partition_list_new(md->topics[0].partition_cnt);
            for (int i = 0; i < md->topics[0].partition_cnt; ++i)
                rd_kafka_topic_partition_list_add(list, topic.c_str(),
                                                  md->topics[0].partitions[i].id)
                    ->offset = RD_KAFKA_OFFSET_BEGINNING;
        }
        rd_kafka_metadata_destroy(md);
        if (!list) return error;
        err = rd_kafka_assign(rk_, list);
        if (!err) assigned_ = list->cnt;
        rd_kafka_topic_partition_list_destroy(list);
        return err ? std::string("assign: ") + rd_kafka_err2str(err) : std::string();
    }

    rd_kafka_t* rk_;
    std::int32_t assigned_ = 0;
};

} // namespace

consume_client_or_error make_rdkafka_consumer(const property_list& properties,
                                              const consume_options& options) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char error[512];
    auto set = [&](const std::string& name, const std::string& value) {
        return rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error) ==
               RD_KAFKA_CONF_OK;
    };
    for (const auto& [name, value] : properties) {
        if (!set(name, value)) {
            rd_kafka_conf_destroy(conf);
            return {nullptr, name + ": " + error};
        }
    }
    if (find_property(properties, "group.id") == nullptr) (void)set("group.id", unjoined_group);
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
    if (!rk) {
        rd_kafka_conf_destroy(conf); // rd_kafka_new owns conf only when it succeeds
        return {nullptr, error};
    }
    auto client = std::make_unique<rdkafka_consumer>(rk);
    if (auto problem = client->start(options); !problem.empty())
        return {nullptr, "topic " + options.topic + ": " + problem};
    const std::int32_t partitions = client->assigned();
    return {std::move(client), {}, partitions};
}

} // namespace kafkit::perf
