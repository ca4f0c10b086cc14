#pragma once
// kafkit's JSON produce input (-P -J), one object per record: the fields of kcat's -J
// consume envelope, so that `kcat -C -J` or `kafkit -C -J` output can be produced again.
//   {"key": "k"|null, "payload": "v"|null, "headers": ["name", "value"|null, ..] or
//    {"name": "value"|null, ..}, "partition": 0, "ts": 1700000000000}
// "value" may stand for "payload" and "timestamp" for "ts"; other envelope fields (topic,
// offset, tstype, broker) are ignored. "encoding": "base64" or "hex" says how key,
// payload and header values are written (default: the string's UTF-8 bytes as they are).

#include "parse_result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kafkit::cli {

/// A record read from one JSON input object.
struct json_input_record {
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    std::optional<std::int32_t> partition;
    std::optional<std::int64_t> timestamp_ms;
};

/// Reads one object. Fails with "% ERROR: JSON input: <reason>" naming the field at fault.
[[nodiscard]] parse_result<json_input_record> parse_json_input(std::string_view text);

/// Base64 (standard alphabet, padding optional) to bytes; nullopt for anything else.
[[nodiscard]] std::optional<std::string> decode_base64(std::string_view text);
/// Hexadecimal digit pairs (either case) to bytes; nullopt for anything else.
[[nodiscard]] std::optional<std::string> decode_hex(std::string_view text);

} // namespace kafkit::cli
