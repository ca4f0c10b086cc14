#pragma once
// The subcommands of kafkit-codec, as functions that write to streams and return the
// process exit code, so tests can run them without a process.

#include "kafkit/codec/corpus.hpp"
#include "kafkit/codec/json_render.hpp"

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace kafkit::codec {

/// What a corpus frame must do to count as passed.
enum class corpus_expectation {
    conforms,   ///< decode, re-encode byte for byte, hold the stated records
    refused,    ///< be refused with a clean decode error (nonconformant.jsonl)
};

/// Options of `kafkit-codec roundtrip`.
struct roundtrip_options {
    std::vector<std::string> files;
    corpus_expectation expect = corpus_expectation::conforms;
};

/// Totals of a roundtrip run.
struct roundtrip_totals {
    std::size_t passed = 0;
    std::size_t failed = 0;
    std::size_t batches = 0;
    std::size_t records = 0;
    std::size_t v0_fallbacks = 0;
};

/// Checks every frame of the files. Writes one line per failure
/// ("file:line: Name(key) vN direction: reason"), then "N passed, N failed" and a line
/// with the record batches and records decoded. Returns the totals; a file that cannot
/// be opened, or an unreadable line, counts as a failure.
roundtrip_totals run_roundtrip(const roundtrip_options& options, std::ostream& out);

/// `kafkit-codec roundtrip`: run_roundtrip, exit code 1 when anything failed, else 0.
int roundtrip_command(const roundtrip_options& options, std::ostream& out);

/// Options of `kafkit-codec decode`.
struct decode_options {
    std::int16_t api_key = 0;
    std::int16_t api_version = 0;
    direction dir = direction::request;
    frame_part part = frame_part::whole_frame;
    std::string hex;           ///< the frame (or body) as hex; "-" or empty reads `in`
    bool compact = false;      ///< one-line JSON instead of indented
};

/// `kafkit-codec decode`: prints the decoded frame as JSON to `out`, or the reason it
/// does not decode to `err` (exit code 1). Bad hex is exit code 2.
int decode_command(const decode_options& options, std::istream& in, std::ostream& out, std::ostream& err);

/// `kafkit-codec apis`: the table of API keys, names, version ranges and first flexible
/// versions. Returns 0.
int apis_command(std::ostream& out);

/// `kafkit-codec bench`: runs the record codec benchmarks (run_codec_benchmarks, each case
/// for about `per_case`, on the calling thread) and prints a table of MB/s and items/s.
/// Returns 0.
int bench_command(std::chrono::milliseconds per_case, std::ostream& out);

} // namespace kafkit::codec
