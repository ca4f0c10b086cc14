#pragma once
// JSON text as kcat writes it: kcat builds its JSON with yajl, whose string escaping differs
// from most JSON libraries' (upper-case \u00XX, no check of UTF-8, '/' left alone), so
// the -J outputs write their strings through these instead of a JSON library.

#include <cstdint>
#include <string>
#include <string_view>

namespace kafkit::cli {

/// Appends `bytes` as a quoted JSON string the way yajl_gen_string writes it: \" \\ \b \f
/// \n \r \t, every other byte below 0x20 as \u00XX with upper-case hex digits, and every
/// other byte (0x7f, bytes that are not UTF-8) unchanged. Embedded NULs are kept (\u0000).
void append_json_string(std::string& out, std::string_view bytes);

/// The same for a name kcat hands yajl as a C string (strlen): `text` up to its first NUL.
void append_json_c_string(std::string& out, std::string_view text);

/// Appends `value` in decimal ("%lld", as yajl_gen_integer and kcat's printf write it).
void append_decimal(std::string& out, std::int64_t value);

/// `text` up to its first NUL, as C's "%s" and strlen see it.
[[nodiscard]] std::string_view c_string_prefix(std::string_view text) noexcept;

} // namespace kafkit::cli
