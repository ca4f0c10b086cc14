#include "kafkit/protocol/crc32c.hpp"

#include <zlib.h>

#include <array>
#include <bit>
#include <cstddef>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define KAFKIT_CRC32C_X86 1
#endif

namespace kafkit::protocol {
namespace {

// CRC32C in the bit-reflected form: x^0 is bit 31, the polynomial is 0x1EDC6F41 reversed.
constexpr std::uint32_t castagnoli_reflected = 0x82F63B78u;

using table_8x256 = std::array<std::array<std::uint32_t, 256>, 8>;
using table_4x256 = std::array<std::array<std::uint32_t, 256>, 4>;

// Slicing-by-8 tables: tables[k][b] is the CRC state after byte b followed by k zero bytes.
constexpr table_8x256 make_slicing_tables() {
    table_8x256 t{};
    for (std::uint32_t b = 0; b < 256; ++b) {
        std::uint32_t c = b;
        for (int bit = 0; bit < 8; ++bit) c = (c & 1u) ? (c >> 1) ^ castagnoli_reflected : c >> 1;
        t[0][b] = c;
    }
    for (std::size_t k = 1; k < 8; ++k) {
        for (std::size_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xffu];
    }
    return t;
}
constexpr table_8x256 slicing_tables = make_slicing_tables();

std::uint64_t load_le64(const std::uint8_t* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    return v;
}

// Raw (uninverted) slicing-by-8 update.
std::uint32_t update_software(std::uint32_t c, const std::uint8_t* p, std::size_t n) noexcept {
    const auto& t = slicing_tables;
    for (; n >= 8; p += 8, n -= 8) {
        const std::uint64_t w = load_le64(p) ^ c;
        c = t[7][w & 0xffu] ^ t[6][(w >> 8) & 0xffu] ^ t[5][(w >> 16) & 0xffu] ^ t[4][(w >> 24) & 0xffu] ^
            t[3][(w >> 32) & 0xffu] ^ t[2][(w >> 40) & 0xffu] ^ t[1][(w >> 48) & 0xffu] ^ t[0][w >> 56];
    }
    for (; n > 0; ++p, --n) c = (c >> 8) ^ t[0][(c ^ *p) & 0xffu];
    return c;
}

#if KAFKIT_CRC32C_X86

// Multiplication of two polynomials modulo the Castagnoli polynomial (reflected form).
constexpr std::uint32_t multiply_mod(std::uint32_t a, std::uint32_t b) {
    std::uint32_t product = 0;
    for (int i = 0; i < 32; ++i) {
        if (a & (0x80000000u >> i)) product ^= b;
        b = (b & 1u) ? (b >> 1) ^ castagnoli_reflected : b >> 1; // b *= x
    }
    return product;
}

// x^(2^log2_bits) mod P, by squaring x repeatedly.
constexpr std::uint32_t x_pow_pow2(int log2_bits) {
    std::uint32_t v = 0x40000000u; // x^1
    for (int i = 0; i < log2_bits; ++i) v = multiply_mod(v, v);
    return v;
}

// Appending n zero bytes multiplies a raw CRC state by x^(8n) mod P. The tables apply that
// linear map a byte at a time, so joining the interleaved streams costs four lookups.
constexpr table_4x256 make_shift_tables(int log2_block_bytes) {
    const std::uint32_t k = x_pow_pow2(log2_block_bytes + 3);
    table_4x256 t{};
    for (std::uint32_t i = 0; i < 4; ++i) {
        for (std::uint32_t b = 0; b < 256; ++b) t[i][b] = multiply_mod(k, b << (8 * i));
    }
    return t;
}

constexpr int log2_long_block = 13;  // 8 KiB per stream
constexpr int log2_short_block = 8;  // 256 bytes per stream
constexpr std::size_t long_block = std::size_t{1} << log2_long_block;
constexpr std::size_t short_block = std::size_t{1} << log2_short_block;
constexpr table_4x256 long_shift = make_shift_tables(log2_long_block);
constexpr table_4x256 short_shift = make_shift_tables(log2_short_block);

std::uint32_t shift(const table_4x256& t, std::uint32_t c) noexcept {
    return t[0][c & 0xffu] ^ t[1][(c >> 8) & 0xffu] ^ t[2][(c >> 16) & 0xffu] ^ t[3][c >> 24];
}

// The crc32 instruction has a latency of three cycles and a throughput of one per cycle:
// three independent streams over adjacent blocks keep it busy, then the states are joined.
__attribute__((target("sse4.2"))) std::uint64_t update_three_way(std::uint64_t c, const std::uint8_t* p,
                                                                  std::size_t block,
                                                                  const table_4x256& t) noexcept {
    std::uint64_t c1 = 0;
    std::uint64_t c2 = 0;
    const std::uint8_t* end = p + block;
    for (; p < end; p += 8) {
        c = _mm_crc32_u64(c, load_le64(p));
        c1 = _mm_crc32_u64(c1, load_le64(p + block));
        c2 = _mm_crc32_u64(c2, load_le64(p + 2 * block));
    }
    const std::uint32_t ab = shift(t, static_cast<std::uint32_t>(c)) ^ static_cast<std::uint32_t>(c1);
    return shift(t, ab) ^ static_cast<std::uint32_t>(c2);
}

__attribute__((target("sse4.2"))) std::uint32_t update_hardware(std::uint32_t crc, const std::uint8_t* p,
                                                                 std::size_t n) noexcept {
    std::uint64_t c = crc;
    for (; n > 0 && (reinterpret_cast<std::uintptr_t>(p) & 7u) != 0; ++p, --n) c = _mm_crc32_u8(static_cast<std::uint32_t>(c), *p);
    for (; n >= 3 * long_block; p += 3 * long_block, n -= 3 * long_block) {
        c = update_three_way(c, p, long_block, long_shift);
    }
    for (; n >= 3 * short_block; p += 3 * short_block, n -= 3 * short_block) {
        c = update_three_way(c, p, short_block, short_shift);
    }
    for (; n >= 8; p += 8, n -= 8) c = _mm_crc32_u64(c, load_le64(p));
    for (; n > 0; ++p, --n) c = _mm_crc32_u8(static_cast<std::uint32_t>(c), *p);
    return static_cast<std::uint32_t>(c);
}

bool detect_hardware() noexcept {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") != 0;
}

#else

bool detect_hardware() noexcept { return false; }
std::uint32_t update_hardware(std::uint32_t c, const std::uint8_t* p, std::size_t n) noexcept {
    return update_software(c, p, n);
}

#endif

using update_fn = std::uint32_t (*)(std::uint32_t, const std::uint8_t*, std::size_t) noexcept;

update_fn select_update() noexcept { return detect_hardware() ? &update_hardware : &update_software; }

} // namespace

std::uint32_t crc32c(bytes_view data, std::uint32_t crc) noexcept {
    static const update_fn update = select_update();
    return ~update(~crc, data.data(), data.size());
}

std::uint32_t crc32c_software(bytes_view data, std::uint32_t crc) noexcept {
    return ~update_software(~crc, data.data(), data.size());
}

bool crc32c_hardware_available() noexcept {
    static const bool available = detect_hardware();
    return available;
}

std::uint32_t crc32(bytes_view data, std::uint32_t crc) noexcept {
    if (data.empty()) return crc;
    return static_cast<std::uint32_t>(::crc32_z(crc, data.data(), data.size()));
}

} // namespace kafkit::protocol
