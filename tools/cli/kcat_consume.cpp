// kcat -C (partitions assigned directly, from the -o offsets) and -G (a consumer group
// member subscribed to topics): records printed with -f, the -D/-K default format or -J;
// "% Reached end of topic T [P] at offset O" on stderr at each partition end; -e exits
// once every partition is at its end, -c after that many records, e@ when every partition
// reached the stop timestamp.

#include "kcat_format.hpp"
#include "kcat_json.hpp"
#include "kcat_modes.hpp"
#include "kcat_output.hpp"
#include "rdkafka_errors.hpp"

#include "kafkit/consumer.hpp"
#include "kafkit/exception.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <unistd.h>

#include <map>
#include <set>

namespace kafkit::cli {
namespace {

using namespace std::chrono_literals;

/// The reason kcat would print for `ec`: librdkafka's text for a Kafka error.
std::string reason_of(std::error_code ec) {
    if (ec.category() == kafka_category()) return rdkafka_err2str(ec.value());
    if (ec == errc::timed_out) return ec.message() + " (are the brokers reachable? -m <seconds> waits longer)";
    return ec.message();
}

std::string partition_label(const topic_partition& tp) {
    return tp.topic + " [" + std::to_string(tp.partition.value()) + "]";
}

/// How each record is printed.
class record_printer {
public:
    static parse_result<record_printer> make(const kcat_command& cmd) {
        const auto nulls = cmd.null_for_empty ? null_rendering::null_string : null_rendering::empty;
        auto format = cmd.json ? kcat_format::parse(cmd.format ? *cmd.format : cmd.delimiter, nulls)
                      : cmd.format ? kcat_format::parse(*cmd.format, nulls)
                                   : kcat_format::from_delimiters(cmd.delimiter, cmd.key_delimiter, nulls);
        if (!format) return kcat_failure{format.error()};
        return record_printer(std::move(*format), cmd.json);
    }

    /// Appends `r`; false when kcat would fail writing it.
    bool print(const consumer_record& r, node_id broker, std::string& out) const {
        if (!json_) return format_.render(r, out);
        render_json_envelope(r, broker, out);
        out.append(format_.json_trailer());
        return true;
    }

private:
    record_printer(kcat_format format, bool json) : format_(std::move(format)), json_(json) {}
    kcat_format format_;
    bool json_;
};

/// The state of a consume run shared by -C and -G.
class consume_run {
public:
    consume_run(const kcat_command& cmd, record_printer printer)
        : cmd_(cmd), messages_(cmd.verbosity), printer_(std::move(printer)), out_(cmd.unbuffered),
          progress_("Consumed", cmd.verbosity >= 1) {}

    kcat_messages& messages() { return messages_; }
    std::map<topic_partition, node_id>& leaders() { return leaders_; }

    /// Partitions the run is reading (for -e and e@).
    void add_partitions(const std::vector<topic_partition>& parts) {
        for (const auto& p : parts) active_.insert(p);
    }
    void remove_partitions(const std::vector<topic_partition>& parts) {
        for (const auto& p : parts) {
            active_.erase(p);
            at_end_.erase(p);
            stopped_.erase(p);
        }
    }

    /// Polls until done; the exit status.
    int loop(consumer& c) {
        while (!stop_requested()) {
            consumer_records batch;
            try {
                batch = c.poll(200ms);
            } catch (const kafkit::exception& e) {
                messages_.error(std::string("Consumer error: ") + e.what());
                return finish(1);
            }
            for (const auto& r : batch) {
                const topic_partition tp{std::string(r.topic), r.partition};
                if (cmd_.offsets.stop_timestamp_ms != 0 && r.timestamp_ms >= cmd_.offsets.stop_timestamp_ms) {
                    if (stopped_.insert(tp).second) {
                        c.pause({tp});
                        messages_.info(1, "Reached stop timestamp for topic " + partition_label(tp) + " at offset " +
                                              std::to_string(r.offset.value()));
                    }
                    if (all_stopped()) return finish(0);
                    continue;
                }
                at_end_.erase(tp);
                const auto leader = leaders_.find(tp);
                if (!printer_.print(r, leader == leaders_.end() ? node_id(-1) : leader->second, out_.buffer())) {
                    out_.flush();
                    messages_.error(write_error_message(r, "Invalid argument"));
                    return 1;
                }
                if (!out_.end_record()) return finish(1); // stdout closed
                progress_.add(r.value ? r.value->size() : 0);
                if (cmd_.count && ++printed_ >= *cmd_.count) return finish(0);
            }
            for (const auto& e : batch.events()) {
                if (e.what == consumer_event::kind::partition_eof && e.partition) {
                    at_end_.insert(*e.partition);
                    const bool done = cmd_.exit_at_end && all_at_end();
                    messages_.info(1, "Reached end of topic " + partition_label(*e.partition) + " at offset " +
                                          std::to_string(e.offset.value()) + (done ? ": exiting" : ""));
                    if (done) return finish(0);
                } else if (e.what == consumer_event::kind::error) {
                    const auto where = e.partition ? "Topic " + partition_label(*e.partition) + " error: "
                                                   : std::string("Consumer error: ");
                    messages_.error(where + reason_of(e.error));
                    if (cmd_.exit_on_error) return finish(1);
                }
            }
            if (cmd_.offsets.stop_timestamp_ms != 0 && all_stopped()) return finish(0);
        }
        return finish(0);
    }

private:
    int finish(int status) {
        if (!out_.flush() && status == 0) status = 1;
        progress_.finish();
        return status;
    }
    bool all_at_end() const {
        for (const auto& p : active_)
            if (!at_end_.count(p) && !stopped_.count(p)) return false;
        return !active_.empty();
    }
    bool all_stopped() const {
        for (const auto& p : active_)
            if (!stopped_.count(p)) return false;
        return !active_.empty();
    }

    const kcat_command& cmd_;
    kcat_messages messages_;
    record_printer printer_;
    stdout_writer out_;
    progress_meter progress_;
    std::map<topic_partition, node_id> leaders_;
    std::set<topic_partition> active_, at_end_, stopped_;
    std::int64_t printed_ = 0;
};

/// The consumer configuration both modes use.
void consumer_defaults(config& cfg, const kcat_command& cmd) {
    cfg.set("enable.partition.eof", "true");
    // librdkafka's consumer never creates the topics it reads (kcat reports them unknown).
    if (!cfg.get("allow.auto.create.topics")) cfg.set("allow.auto.create.topics", "false");
    if (cmd.mode == kcat_mode::consume && !cfg.get("enable.auto.commit")) cfg.set("enable.auto.commit", "false");
    route_client_logs(cfg, cmd.verbosity);
}

/// Moves each assigned partition to where -o says -C starts. Throws kafkit::exception.
void seek_to_start(consumer& c, const kcat_command& cmd, const std::vector<topic_partition>& parts,
                   std::chrono::milliseconds timeout) {
    if (cmd.offsets.start_timestamp_ms != 0) {
        std::map<topic_partition, std::int64_t> at;
        for (const auto& p : parts) at[p] = cmd.offsets.start_timestamp_ms;
        for (const auto& [tp, found] : c.offsets_for_times(at, timeout)) {
            if (found) c.seek(tp, found->offset);
            else c.seek_to_end({tp});
        }
        return;
    }
    const start_offset start = cmd.offsets.start.value_or(start_offset{offset_kind::beginning, 0});
    switch (start.kind) {
    case offset_kind::beginning: c.seek_to_beginning(parts); break;
    case offset_kind::end: c.seek_to_end(parts); break;
    case offset_kind::absolute:
        for (const auto& p : parts) c.seek(p, record_offset(start.value));
        break;
    case offset_kind::tail:
        for (const auto& p : parts) {
            const auto w = c.query_watermark_offsets(p, timeout);
            c.seek(p, record_offset(std::max(w.low.value(), w.high.value() - start.value)));
        }
        break;
    case offset_kind::stored: break; // the committed offset, else auto.offset.reset
    default: break;
    }
}

} // namespace

int run_consume(const kcat_command& cmd, config cfg) {
    const kcat_messages messages(cmd.verbosity);
    auto printer = record_printer::make(cmd);
    if (!printer) {
        messages.raw(printer.error());
        return 1;
    }
    if (cmd.offsets.start && cmd.offsets.start->kind == offset_kind::stored && !cfg.get("group.id")) {
        messages.error("-o stored needs a group: set -X group.id=<group>");
        return 1;
    }
    consumer_defaults(cfg, cmd);
    install_stop_signals();
    const std::chrono::milliseconds timeout = std::chrono::seconds(cmd.metadata_timeout_s);
    consume_run run(cmd, std::move(*printer));
    try {
        consumer c(cfg);
        std::vector<topic_partition> parts;
        for (const auto& topic : cmd.topics) {
            std::vector<partition_metadata> found;
            try {
                found = c.partitions_for(topic, timeout);
            } catch (const kafkit::exception& e) {
                messages.error("Failed to query metadata for topic " + topic + ": " + reason_of(e.code()));
                return 1;
            }
            if (found.empty()) {
                messages.error("Topic " + topic + " error: " + rdkafka_err2str(3));
                return 1;
            }
            bool partition_found = !cmd.partition;
            for (const auto& p : found) {
                if (cmd.partition && p.partition.partition.value() != *cmd.partition) continue;
                partition_found = true;
                parts.push_back(p.partition);
                run.leaders()[p.partition] = p.leader.value_or(node_id(-1));
            }
            if (!partition_found) {
                messages.error("Topic " + topic + " [" + std::to_string(*cmd.partition) + "] error: " + rdkafka_err2str(3));
                return 1;
            }
        }
        c.assign(parts);
        seek_to_start(c, cmd, parts, timeout);
        run.add_partitions(parts);
        const int status = run.loop(c);
        c.close(5s);
        return status;
    } catch (const kafkit::exception& e) {
        messages.error(e.what());
        return 1;
    }
}

int run_group(const kcat_command& cmd, config cfg) {
    const kcat_messages messages(cmd.verbosity);
    auto printer = record_printer::make(cmd);
    if (!printer) {
        messages.raw(printer.error());
        return 1;
    }
    cfg.set("group.id", cmd.group_id);
    if (cmd.offsets.start) {
        switch (cmd.offsets.start->kind) {
        case offset_kind::beginning: cfg.set("auto.offset.reset", "earliest"); break;
        case offset_kind::end: cfg.set("auto.offset.reset", "latest"); break;
        case offset_kind::stored: break;
        default:
            messages.error("-G takes -o beginning, end or stored (where a partition without a committed offset starts)");
            return 1;
        }
    }
    consumer_defaults(cfg, cmd);
    install_stop_signals();
    consume_run run(cmd, std::move(*printer));
    try {
        consumer c(cfg);
        rebalance_listener listener;
        auto list = [](const std::vector<topic_partition>& parts) {
            std::string s;
            for (const auto& p : parts) s += (s.empty() ? "" : ", ") + partition_label(p);
            return s;
        };
        listener.on_assigned = [&](const std::vector<topic_partition>& parts) {
            run.messages().info(1, "Group " + cmd.group_id + " rebalanced: assigned: " + list(parts));
            run.add_partitions(parts);
        };
        listener.on_revoked = [&](const std::vector<topic_partition>& parts) {
            run.messages().info(1, "Group " + cmd.group_id + " rebalanced: revoked: " + list(parts));
            run.remove_partitions(parts);
        };
        listener.on_lost = listener.on_revoked;
        c.subscribe(cmd.topics, listener);
        const int status = run.loop(c);
        c.close(10s);
        return status;
    } catch (const kafkit::exception& e) {
        messages.error(e.what());
        return 1;
    }
}

} // namespace kafkit::cli
