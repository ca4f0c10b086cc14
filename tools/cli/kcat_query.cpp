#include "kcat_query.hpp"

#include "json_text.hpp"
#include "rdkafka_errors.hpp"

#include <algorithm>
#include <vector>

namespace kafkit::cli {
namespace {

/// The entries in librdkafka's topic-partition list order (strcmp of topics, then the
/// partition), which kcat sorts into before printing.
std::vector<const queried_offset*> sorted(std::span<const queried_offset> offsets) {
    std::vector<const queried_offset*> out;
    out.reserve(offsets.size());
    for (const queried_offset& o : offsets) out.push_back(&o);
    std::stable_sort(out.begin(), out.end(), [](const queried_offset* a, const queried_offset* b) {
        const int c = c_string_prefix(a->topic).compare(c_string_prefix(b->topic));
        return c != 0 ? c < 0 : a->partition < b->partition;
    });
    return out;
}

} // namespace

void render_query_text(std::span<const queried_offset> offsets, std::string& out) {
    for (const queried_offset* o : sorted(offsets)) {
        out.append(c_string_prefix(o->topic));
        out.append(" [");
        append_decimal(out, o->partition.value());
        out.append("] offset ");
        append_decimal(out, o->offset);
        if (o->error_code != 0) {
            out.append(": ");
            out.append(rdkafka_err2str(o->error_code));
        }
        out.push_back('\n');
    }
}

void render_query_json(std::span<const queried_offset> offsets, std::string& out) {
    out.push_back('{');
    // kcat opens a topic's object when the name differs from the previous one's, starting
    // from "" (so entries of a topic named "" would sit in the outer object).
    std::string_view last_topic;
    bool in_topic = false;
    bool outer_has_entry = false;
    for (const queried_offset* o : sorted(offsets)) {
        const std::string_view topic = c_string_prefix(o->topic);
        if (topic != last_topic) {
            if (!last_topic.empty()) out.push_back('}');
            if (outer_has_entry) out.push_back(',');
            append_json_string(out, topic);
            out.append(":{\"topic\":");
            append_json_string(out, topic);
            outer_has_entry = true;
            in_topic = true;
            last_topic = topic;
        }
        if (in_topic || outer_has_entry) out.push_back(',');
        outer_has_entry = true;
        append_json_string(out, std::to_string(o->partition.value()));
        out.append(":{\"partition\":");
        append_decimal(out, o->partition.value());
        out.append(",\"offset\":");
        append_decimal(out, o->offset);
        if (o->error_code != 0) {
            out.append(",\"error\":");
            append_json_string(out, rdkafka_err2str(o->error_code));
        }
        out.push_back('}');
    }
    if (!last_topic.empty()) out.push_back('}');
    out.push_back('}');
}

} // namespace kafkit::cli
