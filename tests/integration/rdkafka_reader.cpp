#include "rdkafka_reader.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace kafkit::integration {
namespace {

using clock_type = std::chrono::steady_clock;

struct rk_deleter {
    void operator()(rd_kafka_t* rk) const {
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
    }
};
using rk_ptr = std::unique_ptr<rd_kafka_t, rk_deleter>;

struct topic_partition_list_deleter {
    void operator()(rd_kafka_topic_partition_list_t* list) const {
        rd_kafka_topic_partition_list_destroy(list);
    }
};

int remaining_ms(clock_type::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
    return static_cast<int>(std::max<long long>(0, left));
}

void set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
    char errstr[512];
    if (rd_kafka_conf_set(conf, name, value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
        throw std::runtime_error(std::string("rdkafka_reader: ") + name + ": " + errstr);
}

rk_ptr make_consumer(const std::string& bootstrap_servers) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    set(conf, "bootstrap.servers", bootstrap_servers);
    set(conf, "client.id", "rdkafka_reader");
    // librdkafka wants a group.id for assign(); nothing joins the group or commits.
    set(conf, "group.id", "rdkafka_reader");
    set(conf, "enable.auto.commit", "false");
    set(conf, "enable.auto.offset.store", "false");
    set(conf, "check.crcs", "true"); // librdkafka verifies every batch's CRC32C too
    set(conf, "fetch.wait.max.ms", "20");
    set(conf, "fetch.error.backoff.ms", "20");
    set(conf, "reconnect.backoff.ms", "10");
    set(conf, "reconnect.backoff.max.ms", "100");
    set(conf, "topic.metadata.refresh.interval.ms", "500");
    // The reader's own complaints (a mock broker set down by an earlier fault) are noise.
    rd_kafka_conf_set_log_cb(conf, [](const rd_kafka_t*, int, const char*, const char*) {});
    char errstr[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (rk == nullptr) {
        rd_kafka_conf_destroy(conf);
        throw std::runtime_error(std::string("rdkafka_reader: rd_kafka_new: ") + errstr);
    }
    return rk_ptr(rk);
}

/// The topic's partition count once every partition has a leader.
std::int32_t partition_count(rd_kafka_t* rk, const std::string& topic,
                             clock_type::time_point deadline) {
    std::string why = "no answer";
    while (clock_type::now() < deadline) {
        rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
        const rd_kafka_metadata_t* md = nullptr;
        const auto err = rd_kafka_metadata(rk, 0, rkt, &md, std::min(remaining_ms(deadline), 2000));
        rd_kafka_topic_destroy(rkt);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            std::int32_t count = 0;
            bool leaders = true;
            for (int t = 0; t < md->topic_cnt; ++t) {
                const auto& mt = md->topics[t];
                if (topic != mt.topic) continue;
                if (mt.err != RD_KAFKA_RESP_ERR_NO_ERROR) why = rd_kafka_err2name(mt.err);
                count = mt.partition_cnt;
                for (int p = 0; p < mt.partition_cnt; ++p)
                    leaders &= mt.partitions[p].leader >= 0;
            }
            rd_kafka_metadata_destroy(md);
            if (count > 0 && leaders) return count;
            if (count > 0) why = "a partition has no leader";
        } else {
            why = rd_kafka_err2name(err);
        }
    }
    throw std::runtime_error("rdkafka_reader: no metadata for " + topic + ": " + why);
}

struct watermarks {
    std::int64_t low = 0;
    std::int64_t high = 0;
};

watermarks query_watermarks(rd_kafka_t* rk, const std::string& topic, std::int32_t partition,
                            clock_type::time_point deadline) {
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
    while (clock_type::now() < deadline) {
        watermarks w;
        err = rd_kafka_query_watermark_offsets(rk, topic.c_str(), partition, &w.low, &w.high,
                                               std::min(remaining_ms(deadline), 2000));
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return w;
    }
    throw std::runtime_error("rdkafka_reader: no watermarks for " + topic + "-" +
                             std::to_string(partition) + ": " + rd_kafka_err2name(err));
}

read_record to_record(const rd_kafka_message_t& m) {
    read_record r;
    r.partition = m.partition;
    r.offset = m.offset;
    if (m.key != nullptr) r.key.emplace(static_cast<const char*>(m.key), m.key_len);
    if (m.payload != nullptr) r.value.emplace(static_cast<const char*>(m.payload), m.len);
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    r.timestamp_ms = rd_kafka_message_timestamp(&m, &type);
    r.log_append_time = type == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME;
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(&m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name = nullptr;
        const void* value = nullptr;
        std::size_t size = 0;
        for (std::size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
                                RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i)
            r.headers.emplace_back(name, value == nullptr
                                             ? std::nullopt
                                             : std::optional<std::string>(std::string(
                                                   static_cast<const char*>(value), size)));
    }
    return r;
}

} // namespace

std::size_t topic_records::size() const {
    std::size_t n = 0;
    for (const auto& [p, records] : by_partition)
        n += records.size();
    return n;
}

const std::vector<read_record>& topic_records::partition(std::int32_t p) const {
    static const std::vector<read_record> none;
    auto it = by_partition.find(p);
    return it == by_partition.end() ? none : it->second;
}

std::map<std::string, topic_records> read_topics(const std::string& bootstrap_servers,
                                                 const std::vector<std::string>& topics,
                                                 std::chrono::milliseconds timeout) {
    const auto deadline = clock_type::now() + timeout;
    auto rk = make_consumer(bootstrap_servers);
    std::map<std::string, topic_records> out;
    // Where each partition must get to: its high watermark.
    std::map<std::pair<std::string, std::int32_t>, std::int64_t> end;
    std::unique_ptr<rd_kafka_topic_partition_list_t, topic_partition_list_deleter> assignment(
        rd_kafka_topic_partition_list_new(16));
    for (const auto& topic : topics) {
        auto& contents = out[topic];
        contents.partition_count = partition_count(rk.get(), topic, deadline);
        for (std::int32_t p = 0; p < contents.partition_count; ++p) {
            const auto w = query_watermarks(rk.get(), topic, p, deadline);
            if (w.low != 0)
                throw std::runtime_error("rdkafka_reader: " + topic + "-" + std::to_string(p) +
                                         " starts at offset " + std::to_string(w.low) + ", not 0");
            if (w.high == w.low) continue;
            end[{topic, p}] = w.high;
            rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), p)->offset =
                RD_KAFKA_OFFSET_BEGINNING;
        }
    }
    if (end.empty()) return out;
    if (auto err = rd_kafka_assign(rk.get(), assignment.get()); err != RD_KAFKA_RESP_ERR_NO_ERROR)
        throw std::runtime_error(std::string("rdkafka_reader: assign: ") + rd_kafka_err2name(err));

    std::string last_error = "none";
    while (!end.empty()) {
        if (clock_type::now() >= deadline) {
            std::string left;
            for (const auto& [tp, high] : end)
                left += " " + tp.first + "-" + std::to_string(tp.second);
            throw std::runtime_error("rdkafka_reader: timed out before the high watermark of" +
                                     left + " (last error: " + last_error + ")");
        }
        rd_kafka_message_t* m =
            rd_kafka_consumer_poll(rk.get(), std::min(remaining_ms(deadline), 100));
        if (m == nullptr) continue;
        if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) last_error = rd_kafka_message_errstr(m);
            rd_kafka_message_destroy(m);
            continue;
        }
        const std::string topic = rd_kafka_topic_name(m->rkt);
        auto it = end.find({topic, m->partition});
        if (it != end.end() && m->offset < it->second) {
            out[topic].by_partition[m->partition].push_back(to_record(*m));
            if (m->offset + 1 >= it->second) end.erase(it);
        }
        rd_kafka_message_destroy(m);
    }
    return out;
}

std::int64_t wait_for_records(const std::string& bootstrap_servers, const std::string& topic,
                              std::int64_t count, std::chrono::milliseconds timeout) {
    const auto deadline = clock_type::now() + timeout;
    auto rk = make_consumer(bootstrap_servers);
    const auto partitions = partition_count(rk.get(), topic, deadline);
    std::int64_t total = 0;
    for (;;) {
        total = 0;
        for (std::int32_t p = 0; p < partitions; ++p) {
            const auto w = query_watermarks(rk.get(), topic, p, deadline);
            total += w.high - w.low;
        }
        if (total >= count || clock_type::now() >= deadline) return total;
    }
}

topic_records read_topic(const std::string& bootstrap_servers, const std::string& topic,
                         std::chrono::milliseconds timeout) {
    return read_topics(bootstrap_servers, {topic}, timeout)[topic];
}

} // namespace kafkit::integration
