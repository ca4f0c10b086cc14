#include "json_text.hpp"

#include <charconv>

namespace kafkit::cli {
namespace {

/// The escape yajl writes for byte `c`, or an empty view when it writes the byte itself.
std::string_view short_escape(unsigned char c) noexcept {
    switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return {};
    }
}

bool needs_escape(unsigned char c) noexcept { return c < 0x20 || c == '"' || c == '\\'; }

} // namespace

void append_json_string(std::string& out, std::string_view bytes) {
    static constexpr char hex[] = "0123456789ABCDEF";
    out.push_back('"');
    std::size_t run = 0; // start of the bytes not yet appended
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (!needs_escape(c)) continue;
        out.append(bytes.data() + run, i - run);
        run = i + 1;
        if (const auto esc = short_escape(c); !esc.empty()) {
            out.append(esc);
        } else {
            const char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0x0f]};
            out.append(u, sizeof u);
        }
    }
    out.append(bytes.data() + run, bytes.size() - run);
    out.push_back('"');
}

void append_json_c_string(std::string& out, std::string_view text) {
    append_json_string(out, c_string_prefix(text));
}

void append_decimal(std::string& out, std::int64_t value) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, res.ptr);
}

std::string_view c_string_prefix(std::string_view text) noexcept {
    return text.substr(0, text.find('\0'));
}

} // namespace kafkit::cli
