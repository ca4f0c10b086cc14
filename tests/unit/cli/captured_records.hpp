#pragma once
// The records the CLI tests render, built by hand to match what was produced with kcat
// 1.7.1 to topic "t1" (one partition) of the reference broker, and consumed back with kcat
// to capture the expected bytes in the tests:
//   printf 'k1:v1\nnokeyline\n:emptykey\nk4:\n' | kcat -P -t t1 -K :
//   printf 'k5:\n:v6\n' | kcat -P -t t1 -K : -Z
//   printf 'hv1\n' | kcat -P -t t1 -H a=1 -H b=two -H c -H d= -H a=again
//   kcat -P -t t1 -k 'bk"\' bin.dat     (bin.dat holds binary_value)

#include "kcat_format.hpp"

#include "kafkit/consumer_record.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::cli::test {

using namespace std::string_view_literals;

/// The value of offset 7: a NUL, control bytes, JSON specials, DEL, UTF-8 and a byte
/// that is not UTF-8.
inline constexpr std::string_view binary_value = "bin\000ary\001\037\"\\/\177\303\251\377\tq\r\n"sv;

/// The headers of offset 6, in order: a repeated name, a null value and an empty one.
inline const std::array<header, 5> hv1_headers{{
    {"a", "1"},
    {"b", "two"},
    {"c", std::nullopt},
    {"d", ""},
    {"a", "again"},
}};

inline consumer_record make_record(std::int64_t offset, std::int64_t ts, std::optional<bytes_ref> key,
                                   std::optional<bytes_ref> value, std::span<const header> headers = {}) {
    consumer_record r;
    r.topic = "t1";
    r.partition = partition_id(0);
    r.offset = record_offset(offset);
    r.timestamp_ms = ts;
    r.timestamp_kind = timestamp_type::create_time;
    r.key = key;
    r.value = value;
    r.headers = headers;
    return r;
}

/// Offsets 0..7 of "t1" as kcat consumed them.
inline std::vector<consumer_record> captured_records() {
    return {
        make_record(0, 1796232447565, "k1", "v1"),
        make_record(1, 1796232447565, std::nullopt, "nokeyline"),
        make_record(2, 1796232447565, "", "emptykey"),
        make_record(3, 1796232447565, "k4", ""),
        make_record(4, 1796232447579, "k5", std::nullopt),
        make_record(5, 1796232447579, std::nullopt, "v6"),
        make_record(6, 1796232447590, std::nullopt, "hv1", hv1_headers),
        make_record(7, 1796232447603, "bk\"\\", binary_value),
    };
}

/// The records from `first` on, at most `count` of them (kcat's -o first -c count).
inline std::vector<consumer_record> captured_records(std::size_t first, std::size_t count) {
    auto all = captured_records();
    std::vector<consumer_record> out;
    for (std::size_t i = first; i < all.size() && out.size() < count; ++i) out.push_back(all[i]);
    return out;
}

/// What `format` prints for `records`, one after the other.
inline std::string render_all(const kcat_format& format, std::span<const consumer_record> records) {
    std::string out;
    for (const consumer_record& r : records) {
        const bool written = format.render(r, out);
        REQUIRE(written);
    }
    return out;
}

} // namespace kafkit::cli::test
