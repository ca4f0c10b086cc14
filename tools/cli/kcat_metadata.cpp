#include "kcat_metadata.hpp"

#include "json_text.hpp"
#include "rdkafka_errors.hpp"

namespace kafkit::cli {
namespace {

/// Kafka's LEADER_NOT_AVAILABLE, after which kcat adds " (try again)" to a topic's line.
constexpr std::int16_t leader_not_available = 5;

void append_node_list(std::string& out, const std::vector<node_id>& nodes) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (i > 0) out.push_back(',');
        append_decimal(out, nodes[i].value());
    }
}

void append_partition_line(std::string& out, const metadata_partition& p) {
    out.append("    partition ");
    append_decimal(out, p.id.value());
    out.append(", leader ");
    append_decimal(out, p.leader.value());
    out.append(", replicas: ");
    append_node_list(out, p.replicas);
    out.append(", isrs: ");
    append_node_list(out, p.isrs);
    if (p.error_code != 0) {
        out.append(", ");
        out.append(rdkafka_err2str(p.error_code));
    }
    out.push_back('\n');
}

void append_topic_lines(std::string& out, const metadata_topic& t) {
    out.append("  topic \"");
    out.append(c_string_prefix(t.name));
    out.append("\" with ");
    append_decimal(out, static_cast<std::int64_t>(t.partitions.size()));
    out.append(" partitions:");
    if (t.error_code != 0) {
        out.push_back(' ');
        out.append(rdkafka_err2str(t.error_code));
        if (t.error_code == leader_not_available) out.append(" (try again)");
    }
    out.push_back('\n');
    for (const metadata_partition& p : t.partitions) append_partition_line(out, p);
}

void append_json_node_list(std::string& out, const std::vector<node_id>& nodes) {
    out.push_back('[');
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (i > 0) out.push_back(',');
        out.append("{\"id\":");
        append_decimal(out, nodes[i].value());
        out.push_back('}');
    }
    out.push_back(']');
}

void append_json_partition(std::string& out, const metadata_partition& p) {
    out.append("{\"partition\":");
    append_decimal(out, p.id.value());
    if (p.error_code != 0) {
        out.append(",\"error\":");
        append_json_string(out, rdkafka_err2str(p.error_code));
    }
    out.append(",\"leader\":");
    append_decimal(out, p.leader.value());
    out.append(",\"replicas\":");
    append_json_node_list(out, p.replicas);
    out.append(",\"isrs\":");
    append_json_node_list(out, p.isrs);
    out.push_back('}');
}

void append_json_topic(std::string& out, const metadata_topic& t) {
    out.append("{\"topic\":");
    append_json_c_string(out, t.name);
    if (t.error_code != 0) {
        out.append(",\"error\":");
        append_json_string(out, rdkafka_err2str(t.error_code));
    }
    out.append(",\"partitions\":[");
    for (std::size_t i = 0; i < t.partitions.size(); ++i) {
        if (i > 0) out.push_back(',');
        append_json_partition(out, t.partitions[i]);
    }
    out.append("]}");
}

std::string host_port(const metadata_broker& b) {
    std::string s(c_string_prefix(b.host));
    s.push_back(':');
    append_decimal(s, b.port);
    return s;
}

} // namespace

void render_metadata_text(const metadata_snapshot& metadata, std::optional<std::string_view> queried_topic,
                          std::string& out) {
    out.append("Metadata for ");
    out.append(queried_topic ? c_string_prefix(*queried_topic) : std::string_view("all topics"));
    out.append(" (from broker ");
    append_decimal(out, metadata.originating_broker_id.value());
    out.append(": ");
    out.append(c_string_prefix(metadata.originating_broker_name));
    out.append("):\n ");
    append_decimal(out, static_cast<std::int64_t>(metadata.brokers.size()));
    out.append(" brokers:\n");
    for (const metadata_broker& b : metadata.brokers) {
        out.append("  broker ");
        append_decimal(out, b.id.value());
        out.append(" at ");
        out.append(host_port(b));
        if (b.id == metadata.controller_id) out.append(" (controller)");
        out.push_back('\n');
    }
    out.push_back(' ');
    append_decimal(out, static_cast<std::int64_t>(metadata.topics.size()));
    out.append(" topics:\n");
    for (const metadata_topic& t : metadata.topics) append_topic_lines(out, t);
}

void render_metadata_json(const metadata_snapshot& metadata, std::optional<std::string_view> queried_topic,
                          std::string& out) {
    out.append("{\"originating_broker\":{\"id\":");
    append_decimal(out, metadata.originating_broker_id.value());
    out.append(",\"name\":");
    append_json_c_string(out, metadata.originating_broker_name);
    out.append("},\"query\":{\"topic\":");
    append_json_c_string(out, queried_topic ? *queried_topic : std::string_view("*"));
    out.append("},\"controllerid\":");
    append_decimal(out, metadata.controller_id.value());
    out.append(",\"brokers\":[");
    for (std::size_t i = 0; i < metadata.brokers.size(); ++i) {
        if (i > 0) out.push_back(',');
        out.append("{\"id\":");
        append_decimal(out, metadata.brokers[i].id.value());
        out.append(",\"name\":");
        append_json_string(out, host_port(metadata.brokers[i]));
        out.push_back('}');
    }
    out.append("],\"topics\":[");
    for (std::size_t i = 0; i < metadata.topics.size(); ++i) {
        if (i > 0) out.push_back(',');
        append_json_topic(out, metadata.topics[i]);
    }
    out.append("]}");
}

} // namespace kafkit::cli
