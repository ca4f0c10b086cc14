#pragma once
// Reading the protocol corpus (../shared/protocol-corpus/*.jsonl): one captured Kafka frame
// per JSON line, with what a correct codec should find in it.

#include "kafkit/protocol/bytes_view.hpp"
#include "kafkit/protocol/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::codec {

/// Which side of the conversation wrote a frame.
enum class direction { request, response };

/// "request" or "response".
std::string_view to_string(direction d) noexcept;

/// What a corpus line says the record data of a frame holds (its `records` object).
struct expected_records {
    std::int64_t records = 0;             ///< records in all batches, after decompression
    std::vector<int> magic;               ///< the magic values seen, sorted (may be empty)
    std::vector<std::string> codecs;      ///< codec names seen ("none", "gzip"...), sorted
    std::int64_t crc_bad = 0;             ///< batches or messages whose CRC does not match
};

/// One frame of the corpus.
struct corpus_frame {
    std::string file;                     ///< the file it came from, as given
    std::size_t line = 0;                 ///< 1-based line number in that file
    direction dir = direction::request;
    std::int16_t api_key = 0;
    std::int16_t api_version = 0;         ///< for a response: the version of its request
    std::vector<std::uint8_t> bytes;      ///< the frame without its 4-byte size prefix
    std::optional<expected_records> records;
};

/// A corpus file: the frames it holds and the lines that could not be read.
struct corpus_file {
    std::vector<corpus_frame> frames;
    std::vector<std::string> problems;    ///< "file:line: reason" for each unreadable line
};

/// Parses hex digits (upper or lower case; whitespace ignored) into bytes.
/// Fails with errc::malformed_frame on an odd count or a non-hex character.
protocol::result<std::vector<std::uint8_t>> parse_hex(std::string_view text);

/// Lower-case hex of `bytes`, two digits per byte.
std::string to_hex(protocol::bytes_view bytes);

/// Parses one JSON line of the corpus. Fails with errc::malformed_frame when the line is
/// not a JSON object with `direction`, `api_key`, `api_version` and a valid `hex`.
protocol::result<corpus_frame> parse_corpus_line(std::string_view json_line);

/// Reads every line of a corpus file. Fails (std::errc::no_such_file_or_directory) only when
/// the file cannot be opened; malformed lines are listed in `problems`, blank lines skipped.
protocol::result<corpus_file> read_corpus_file(const std::string& path);

} // namespace kafkit::codec
