#pragma once
// Micro-benchmarks of the record codec (checksums, compression, batch encode/decode),
// for tools to run and print. Not a test: the figures depend on the machine.

#include <chrono>
#include <string>
#include <vector>

namespace kafkit::protocol {

/// One measured case: its name and its rates (0 where a rate does not apply).
struct bench_result {
    std::string name;             ///< e.g. "crc32c/hardware/1MiB", "batch_decode/lz4"
    double bytes_per_second = 0;  ///< uncompressed bytes processed per second
    double items_per_second = 0;  ///< records (or buffers) processed per second
};

/// Runs every case for about `per_case` each, on the calling thread, and returns the
/// results in a fixed order: CRC32C (hardware when available, software) and memcpy on a
/// 1 MiB buffer, then record batch encode and decode of 1000 records of 100-byte values,
/// uncompressed and with each codec. Takes about 14 x `per_case`. Never throws beyond
/// std::bad_alloc.
std::vector<bench_result> run_codec_benchmarks(std::chrono::milliseconds per_case);

} // namespace kafkit::protocol
