#pragma once
// Checksums of Kafka's record formats: CRC32C (Castagnoli) for record batches (magic 2) and
// the IEEE CRC32 for legacy messages (magic 0 and 1).

#include "kafkit/protocol/bytes_view.hpp"

#include <cstdint>

namespace kafkit::protocol {

/// CRC32C of `data`, continuing from `crc`: pass 0 to start, or the value a previous call
/// returned to extend it, so crc32c(b, crc32c(a)) == crc32c(a followed by b).
/// Uses the SSE4.2 crc32 instruction when the CPU has it, else crc32c_software.
/// Thread-safe; never fails.
[[nodiscard]] std::uint32_t crc32c(bytes_view data, std::uint32_t crc = 0) noexcept;

/// Same result as crc32c, always computed with the portable table (slicing-by-8) code.
[[nodiscard]] std::uint32_t crc32c_software(bytes_view data, std::uint32_t crc = 0) noexcept;

/// True when crc32c runs on the CPU's crc32 instruction (x86-64 with SSE4.2).
[[nodiscard]] bool crc32c_hardware_available() noexcept;

/// The IEEE 802.3 CRC32 (zlib's, used by legacy Kafka messages), continuing from `crc` like
/// crc32c: crc32(b, crc32(a)) == crc32(a followed by b). Thread-safe; never fails.
[[nodiscard]] std::uint32_t crc32(bytes_view data, std::uint32_t crc = 0) noexcept;

} // namespace kafkit::protocol
