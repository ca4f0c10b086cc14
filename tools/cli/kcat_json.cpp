#include "kcat_json.hpp"

#include "json_text.hpp"

namespace kafkit::cli {
namespace {

/// "tstype" as kcat words a timestamp's kind (the enum has no other values, but kcat
/// would print "unknown" for one).
std::string_view timestamp_type_name(timestamp_type kind) noexcept {
    switch (kind) {
    case timestamp_type::create_time: return "create";
    case timestamp_type::log_append_time: return "logappend";
    default: return "unknown";
    }
}

void append_nullable(std::string& out, const std::optional<bytes_ref>& bytes) {
    if (bytes) append_json_string(out, *bytes);
    else out.append("null");
}

} // namespace

void render_json_envelope(const consumer_record& record, node_id broker, std::string& out) {
    out.append("{\"topic\":");
    append_json_c_string(out, record.topic);
    out.append(",\"partition\":");
    append_decimal(out, record.partition.value());
    out.append(",\"offset\":");
    append_decimal(out, record.offset.value());
    if (record.timestamp_kind != timestamp_type::not_available) {
        out.append(",\"tstype\":\"");
        out.append(timestamp_type_name(record.timestamp_kind));
        out.append("\",\"ts\":");
        append_decimal(out, record.timestamp_ms);
    }
    out.append(",\"broker\":");
    append_decimal(out, broker.value());
    if (!record.headers.empty()) {
        out.append(",\"headers\":[");
        for (std::size_t i = 0; i < record.headers.size(); ++i) {
            if (i > 0) out.push_back(',');
            append_json_c_string(out, record.headers[i].key);
            out.push_back(',');
            append_nullable(out, record.headers[i].value);
        }
        out.push_back(']');
    }
    out.append(",\"key\":");
    append_nullable(out, record.key);
    out.append(",\"payload\":");
    append_nullable(out, record.value);
    out.push_back('}');
}

} // namespace kafkit::cli
