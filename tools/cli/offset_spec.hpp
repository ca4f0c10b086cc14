#pragma once
// kcat's -o argument (where consuming starts, or the timestamp it stops at) and its
// -Q -t topic:partition:timestamp argument, read as kcat 1.7 reads them.

#include "parse_result.hpp"

#include "kafkit/ids.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kafkit::cli {

/// What a -o argument asks for.
enum class offset_kind : std::uint8_t {
    beginning,       ///< "beginning"
    end,             ///< "end"
    stored,          ///< "stored": the committed offset (needs a group.id)
    absolute,        ///< "N": offset N
    tail,            ///< "-N": N records before the end (librdkafka's OFFSET_TAIL(N))
    start_timestamp, ///< "s@T": the first offset whose timestamp is >= T (ms)
    stop_timestamp,  ///< "e@T": stop each partition at its first record with timestamp >= T
};

/// One -o argument.
struct offset_spec {
    offset_kind kind = offset_kind::beginning;
    /// absolute: the offset; tail: how many from the end (> 0); timestamps: milliseconds.
    std::int64_t value = 0;
    /// False when kcat read the number off text that is not one whole number ("5x", "abc",
    /// "s@"): kcat says nothing and uses what strtoll read (0 when nothing), so does this.
    bool whole_number = true;
};

/// Reads a -o argument as kcat 1.7: the words are case-sensitive; "s@"/"e@" are followed
/// by strtoll's reading of the rest; anything else is strtoll(arg, 10) - "abc" and "-0" are
/// offset 0, "+5" and " 5" offset 5 - and a negative N is a tail of -N (INT64_MIN as a tail
/// of INT64_MAX). Never fails: kcat 1.7 rejects no -o argument.
[[nodiscard]] offset_spec parse_offset_spec(std::string_view arg) noexcept;

/// Where kcat starts consuming.
struct start_offset {
    offset_kind kind = offset_kind::beginning; ///< beginning, end, stored, absolute or tail
    std::int64_t value = 0;                    ///< as offset_spec::value
};

/// What all -o arguments of a command line add up to. kcat keeps the start offset and
/// the two timestamps apart, so "-o 5 -o e@T" starts at 5 and stops at T, and the last of
/// each kind wins.
struct consume_offsets {
    /// nullopt: no offset given; kcat -C then starts at the beginning, -G at the group's
    /// committed offsets.
    std::optional<start_offset> start;
    /// s@: 0 is none (kcat tests the value, so "s@0" and "s@abc" ask for nothing). When
    /// set it overrides `start` in -C: every partition starts at its offset for this time
    /// (the end when there is none). -G rejects it (timestamp_in_group_mode_failure()).
    std::int64_t start_timestamp_ms = 0;
    /// e@: 0 is none. A partition stops before its first record with a timestamp >= this.
    std::int64_t stop_timestamp_ms = 0;
};

/// Adds one -o argument to `offsets` as kcat does.
void apply_offset_spec(consume_offsets& offsets, const offset_spec& spec) noexcept;

/// kcat's complaint about s@/e@ with -G: "% ERROR: -o ..@ timestamps can't be used with
/// -G mode\n\n" (the message ends in its own newline).
[[nodiscard]] kcat_failure timestamp_in_group_mode_failure();

/// One -Q -t argument: the offset of the first record at or after `timestamp_ms` in a
/// partition (or a logical offset: -1 the end, -2 the beginning, as ListOffsets takes them).
struct offset_query {
    std::string topic;
    partition_id partition{0};
    std::int64_t timestamp_ms = 0;
};

/// Reads "<topic>:<partition>:<timestamp>" as kcat 1.7: the topic is the text before the
/// first ':' (it may be empty), a second ':' must follow somewhere; the partition is
/// strtoul(base 0) after the first ':' (so "0x1" is 1, "-1" is -1) and the timestamp
/// strtoll(base 0) after the second, each needing at least one digit and ignoring what
/// follows it. Fails with "% ERROR: -t: expected \"topic:partition:offset_or_timestamp\"\n".
[[nodiscard]] parse_result<offset_query> parse_offset_query(std::string_view arg);

} // namespace kafkit::cli
