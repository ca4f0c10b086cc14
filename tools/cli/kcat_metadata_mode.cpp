// kcat -L (brokers, topics and partitions, as text or -J) and -Q (the offsets of
// timestamps), through the admin client: DescribeCluster, the topic listing (internal
// topics included, as a Metadata request for all topics shows them) and the topics'
// descriptions; ListOffsets for -Q.

#include "kcat_metadata.hpp"
#include "kcat_modes.hpp"
#include "kcat_output.hpp"
#include "kcat_query.hpp"
#include "rdkafka_errors.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/exception.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <unistd.h>

namespace kafkit::cli {
namespace {

std::int16_t kafka_code_of(std::error_code ec) {
    return ec.category() == kafka_category() ? static_cast<std::int16_t>(ec.value()) : std::int16_t{-1};
}

/// The first bootstrap server, "host:port".
std::string first_bootstrap(const config& cfg) {
    auto servers = cfg.get("bootstrap.servers").value_or(cfg.get("metadata.broker.list").value_or(""));
    const auto comma = servers.find(',');
    if (comma != std::string::npos) servers.resize(comma);
    return servers;
}

/// The admin call's failure as kcat reports a metadata failure.
int metadata_failure(const kcat_messages& messages, const kafkit::exception& e) {
    std::string reason = e.code().category() == kafka_category() ? rdkafka_err2str(e.code().value()) : e.what();
    if (e.code() == errc::timed_out) reason += " (are the brokers reachable? -m <seconds> waits longer)";
    messages.error("Failed to acquire metadata: " + reason);
    return 1;
}

void write_out(const std::string& text) {
    stdout_writer out(false);
    out.buffer() = text;
    out.flush();
}

} // namespace

int run_metadata(const kcat_command& cmd, config cfg) {
    const kcat_messages messages(cmd.verbosity);
    route_client_logs(cfg, cmd.verbosity);
    cfg.set("default.api.timeout.ms", std::to_string(cmd.metadata_timeout_s * 1000));
    const std::optional<std::string_view> queried =
        cmd.topics.empty() ? std::nullopt : std::optional<std::string_view>(cmd.topics.front());
    metadata_snapshot snapshot;
    try {
        admin_client admin(cfg);
        const auto cluster = admin.describe_cluster().get();
        const auto bootstrap = first_bootstrap(cfg);
        for (const auto& n : cluster.nodes) {
            snapshot.brokers.push_back({n.id, n.host, n.port});
            if (n.host + ":" + std::to_string(n.port) == bootstrap || snapshot.originating_broker_id.value() < 0) {
                snapshot.originating_broker_id = n.id;
                snapshot.originating_broker_name = n.host + ":" + std::to_string(n.port) + "/" + std::to_string(n.id.value());
            }
        }
        if (cluster.controller) snapshot.controller_id = cluster.controller->id;

        std::vector<std::string> names;
        if (queried) names.emplace_back(*queried);
        else {
            admin::list_topics_options all;
            all.list_internal = true;
            for (const auto& [name, listing] : admin.list_topics(all).get()) names.push_back(name);
        }
        auto described = admin.describe_topics(names);
        for (const auto& name : names) {
            metadata_topic t;
            t.name = name;
            try {
                for (const auto& p : described.value(name).get().partitions) {
                    metadata_partition mp;
                    mp.id = partition_id(p.partition);
                    mp.leader = p.leader ? p.leader->id : node_id(-1);
                    if (!p.leader) mp.error_code = static_cast<std::int16_t>(kafka_errc::leader_not_available);
                    for (const auto& r : p.replicas) mp.replicas.push_back(r.id);
                    for (const auto& r : p.in_sync_replicas) mp.isrs.push_back(r.id);
                    t.partitions.push_back(std::move(mp));
                }
            } catch (const kafkit::exception& e) {
                t.error_code = kafka_code_of(e.code());
                if (t.error_code < 0) throw;
            }
            snapshot.topics.push_back(std::move(t));
        }
    } catch (const kafkit::exception& e) {
        return metadata_failure(messages, e);
    }
    std::string out;
    if (cmd.json) render_metadata_json(snapshot, queried, out);
    else render_metadata_text(snapshot, queried, out);
    write_out(out);
    return 0;
}

int run_query(const kcat_command& cmd, config cfg) {
    const kcat_messages messages(cmd.verbosity);
    route_client_logs(cfg, cmd.verbosity);
    cfg.set("default.api.timeout.ms", std::to_string(cmd.metadata_timeout_s * 1000));
    std::map<topic_partition, admin::offset_spec> specs;
    for (const auto& q : cmd.queries) {
        const topic_partition tp{q.topic, q.partition};
        if (specs.count(tp)) {
            messages.error("Duplicate partition in -t " + q.topic + ":" + std::to_string(q.partition.value()));
            return 1;
        }
        specs[tp] = q.timestamp_ms == -1   ? admin::offset_spec::latest()
                    : q.timestamp_ms == -2 ? admin::offset_spec::earliest()
                                           : admin::offset_spec::for_timestamp(q.timestamp_ms);
    }
    std::vector<queried_offset> found;
    try {
        admin_client admin(cfg);
        auto listed = admin.list_offsets(specs);
        for (const auto& [tp, spec] : specs) {
            queried_offset q{tp.topic, tp.partition, -1, 0};
            try {
                q.offset = listed.value(tp).get().offset.value();
            } catch (const kafkit::exception& e) {
                q.error_code = kafka_code_of(e.code());
                if (q.error_code < 0) {
                    messages.error("Failed to query offsets: " + std::string(e.what()));
                    return 1;
                }
            }
            found.push_back(std::move(q));
        }
    } catch (const kafkit::exception& e) {
        messages.error("Failed to query offsets: " + std::string(e.what()));
        return 1;
    }
    std::string out;
    if (cmd.json) render_query_json(found, out);
    else render_query_text(found, out);
    write_out(out);
    return 0;
}

} // namespace kafkit::cli
