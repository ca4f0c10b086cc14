#include "offset_spec.hpp"

#include "c_number.hpp"
#include "json_text.hpp"

#include <limits>

namespace kafkit::cli {
namespace {

/// strtoll(text, NULL, 10) and whether it read all of `text`.
std::pair<std::int64_t, bool> read_number(std::string_view text) noexcept {
    const auto n = c_strtoll(text, 10);
    return {n.value, n.consumed > 0 && n.consumed == text.size()};
}

} // namespace

offset_spec parse_offset_spec(std::string_view arg) noexcept {
    // kcat compares with strcmp and strncmp: the argument is a C string.
    arg = c_string_prefix(arg);
    if (arg == "end") return {offset_kind::end, 0, true};
    if (arg == "beginning") return {offset_kind::beginning, 0, true};
    if (arg == "stored") return {offset_kind::stored, 0, true};
    if (arg.starts_with("s@") || arg.starts_with("e@")) {
        const auto [ts, whole] = read_number(arg.substr(2));
        return {arg[0] == 's' ? offset_kind::start_timestamp : offset_kind::stop_timestamp, ts, whole};
    }
    const auto [offset, whole] = read_number(arg);
    if (offset >= 0) return {offset_kind::absolute, offset, whole};
    const std::int64_t count =
        offset == std::numeric_limits<std::int64_t>::min() ? std::numeric_limits<std::int64_t>::max() : -offset;
    return {offset_kind::tail, count, whole};
}

void apply_offset_spec(consume_offsets& offsets, const offset_spec& spec) noexcept {
    switch (spec.kind) {
    case offset_kind::start_timestamp: offsets.start_timestamp_ms = spec.value; break;
    case offset_kind::stop_timestamp: offsets.stop_timestamp_ms = spec.value; break;
    default: offsets.start = start_offset{spec.kind, spec.value}; break;
    }
}

kcat_failure timestamp_in_group_mode_failure() {
    return kcat_fatal("-o ..@ timestamps can't be used with -G mode\n");
}

parse_result<offset_query> parse_offset_query(std::string_view arg) {
    arg = c_string_prefix(arg);
    const auto failure = [] { return kcat_fatal("-t: expected \"topic:partition:offset_or_timestamp\""); };
    const std::size_t first = arg.find(':');
    if (first == std::string_view::npos) return failure();
    const std::size_t second = arg.find(':', first + 1);
    if (second == std::string_view::npos) return failure();

    const auto partition = c_strtoul(arg.substr(first + 1), 0);
    if (partition.consumed == 0) return failure();
    const auto timestamp = c_strtoll(arg.substr(second + 1), 0);
    if (timestamp.consumed == 0) return failure();

    offset_query q;
    q.topic = std::string(arg.substr(0, first));
    // kcat stores strtoul's unsigned long in an int.
    q.partition = partition_id(static_cast<std::int32_t>(static_cast<std::uint32_t>(partition.value)));
    q.timestamp_ms = timestamp.value;
    return q;
}

} // namespace kafkit::cli
