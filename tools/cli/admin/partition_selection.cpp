#include "partition_selection.hpp"

#include "usage_error.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace kafkit::admin_cli {

std::int64_t parse_integer(std::string_view text, std::string_view what) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw usage_error(std::string(what) + ": '" + std::string(text) + "' is not a number");
    return value;
}

topic_selection parse_topic_selection(std::string_view text) {
    topic_selection out;
    // Topic names cannot hold ':' (Kafka allows [a-zA-Z0-9._-]), so the first one separates.
    const auto colon = text.find(':');
    out.topic = std::string(text.substr(0, colon));
    if (out.topic.empty()) throw usage_error("--topic: '" + std::string(text) + "' names no topic");
    if (colon == std::string_view::npos) return out;
    std::string_view rest = text.substr(colon + 1);
    while (!rest.empty() || out.partitions.empty()) {
        const auto comma = rest.find(',');
        const auto piece = rest.substr(0, comma);
        const auto p = parse_integer(piece, "--topic " + out.topic + " partition");
        if (p < 0 || p > INT32_MAX) throw usage_error("--topic: partition " + std::string(piece) + " is out of range");
        out.partitions.push_back(static_cast<std::int32_t>(p));
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    return out;
}

std::vector<topic_partition> resolve_partitions(admin_session& session, const std::vector<topic_selection>& selections) {
    std::vector<topic_partition> out;
    std::vector<std::string> whole;
    for (const auto& s : selections) {
        if (s.partitions.empty()) whole.push_back(s.topic);
        for (auto p : s.partitions) out.push_back({s.topic, partition_id(p)});
    }
    if (!whole.empty()) {
        const auto described = session.admin().describe_topics(whole, session.call<admin::describe_topics_options>());
        for (const auto& [name, future] : described.values())
            if (auto d = session.take(future, name))
                for (const auto& p : d->partitions) out.push_back({name, partition_id(p.partition)});
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::string partition_name(const topic_partition& tp) { return tp.topic + "-" + std::to_string(tp.partition.value()); }

} // namespace kafkit::admin_cli
