#include "kcat_format.hpp"

#include "c_number.hpp"
#include "json_text.hpp"

namespace kafkit::cli {
namespace {

/// kcat's KC_FMT_MAX_SIZE: the most parts (tokens and literal texts) a format may have.
constexpr std::size_t max_parts = 128;

/// kcat's snprintf buffer for the format it builds from -D/-K holds 63 characters.
constexpr std::size_t default_format_max = 63;

/// The escape processing kcat's fmt_add applies to the text between two tokens.
std::string unescape_literal(std::string_view seg) {
    std::string out;
    out.reserve(seg.size());
    for (std::size_t i = 0; i < seg.size(); ++i) {
        if (seg[i] != '\\' || i + 1 == seg.size()) {
            out.push_back(seg[i]);
            continue;
        }
        ++i;
        int base = 0;
        switch (seg[i]) {
        case 't': out.push_back('\t'); continue;
        case 'n': out.push_back('\n'); continue;
        case 'r': out.push_back('\r'); continue;
        case 'x':
            ++i;
            base = 16;
            break;
        default: break;
        }
        if (i == seg.size()) {
            // "\x" at the very end: kcat copies the terminating NUL, which ends the text.
            out.push_back('\0');
            break;
        }
        if (seg[i] >= '0' && seg[i] <= '9') {
            const auto n = c_strtoul(seg.substr(i), base);
            out.push_back(static_cast<char>(n.value & 0xff));
            i += n.consumed - 1; // a digit is there, so at least one character was read
        } else {
            out.push_back(seg[i]);
        }
    }
    // kcat keeps the text's strlen(): a NUL from an escape ends it.
    out.resize(c_string_prefix(out).size());
    return out;
}

/// Collects parts as kcat's fmt_add does (counting toward KC_FMT_MAX_SIZE), merging
/// adjacent literals and dropping everything after an empty literal from rendering.
struct part_builder {
    std::vector<format_part> parts;
    std::string json_trailer;
    std::size_t count = 0; ///< parts as kcat counts them (unmerged)
    bool fails = false;    ///< an empty literal was added

    /// Adds one kcat part; fails past KC_FMT_MAX_SIZE.
    std::optional<kcat_failure> add(format_field field, std::string text = {}) {
        if (count == max_parts) return kcat_fatal("Too many formatters & strings (KC_FMT_MAX_SIZE=128)");
        if (count++ == 0 && field == format_field::literal) json_trailer = text;
        if (fails) return std::nullopt;
        if (field != format_field::literal) {
            parts.push_back(format_part{field, {}});
        } else if (text.empty()) {
            fails = true; // kcat's fwrite of 0 bytes counts as a write error
        } else if (!parts.empty() && parts.back().field == format_field::literal) {
            parts.back().text += text;
        } else {
            parts.push_back(format_part{field, std::move(text)});
        }
        return std::nullopt;
    }
};

std::optional<format_field> token_field(char c) noexcept {
    switch (c) {
    case 'o': return format_field::offset;
    case 'k': return format_field::key;
    case 'K': return format_field::key_length;
    case 's': return format_field::value;
    case 'S': return format_field::value_length;
    case 'R': return format_field::value_length_be32;
    case 't': return format_field::topic;
    case 'p': return format_field::partition;
    case 'T': return format_field::timestamp;
    case 'h': return format_field::headers;
    default: return std::nullopt;
    }
}

/// Appends a key or value as %k/%s print it.
void append_payload(std::string& out, const std::optional<bytes_ref>& bytes, null_rendering nulls) {
    if (bytes && !bytes->empty()) out.append(*bytes);
    else if (nulls == null_rendering::null_string) out.append("NULL");
}

std::int64_t length_or_null(const std::optional<bytes_ref>& bytes) noexcept {
    return bytes ? static_cast<std::int64_t>(bytes->size()) : -1;
}

void append_headers(std::string& out, std::span<const header> headers) {
    for (std::size_t i = 0; i < headers.size(); ++i) {
        if (i > 0) out.push_back(',');
        out.append(c_string_prefix(headers[i].key));
        out.push_back('=');
        // kcat prints the value with "%.*s": up to its first NUL.
        if (!headers[i].value) out.append("NULL");
        else out.append(c_string_prefix(*headers[i].value));
    }
}

void append_be32(std::string& out, std::int64_t length) {
    const auto v = static_cast<std::uint32_t>(length);
    const char bytes[] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                          static_cast<char>(v)};
    out.append(bytes, sizeof bytes);
}

} // namespace

parse_result<kcat_format> kcat_format::parse(std::string_view format, null_rendering nulls) {
    format = c_string_prefix(format);
    part_builder builder;
    std::size_t pos = 0;
    while (pos < format.size()) {
        const std::size_t pct = format.find('%', pos);
        if (pct == std::string_view::npos) {
            if (auto err = builder.add(format_field::literal, unescape_literal(format.substr(pos)))) return *err;
            break;
        }
        if (pct > pos) {
            if (auto err = builder.add(format_field::literal, unescape_literal(format.substr(pos, pct - pos))))
                return *err;
        }
        if (pct + 1 == format.size()) return kcat_fatal("Empty formatter");
        const char c = format[pct + 1];
        std::optional<kcat_failure> err;
        if (c == '%') err = builder.add(format_field::literal, "%");
        else if (const auto field = token_field(c)) err = builder.add(*field);
        else return kcat_fatal(std::string("Unsupported formatter: %") + c);
        if (err) return *err;
        pos = pct + 2;
    }
    kcat_format out;
    out.parts_ = std::move(builder.parts);
    out.json_trailer_ = std::move(builder.json_trailer);
    out.nulls_ = nulls;
    out.fails_on_write_ = builder.fails;
    return out;
}

std::string kcat_format::default_format_text(std::string_view delimiter,
                                             std::optional<std::string_view> key_delimiter) {
    std::string text;
    if (key_delimiter) {
        text = "%k";
        text.append(c_string_prefix(*key_delimiter));
    }
    text.append("%s");
    text.append(c_string_prefix(delimiter));
    if (text.size() > default_format_max) text.resize(default_format_max);
    return text;
}

parse_result<kcat_format> kcat_format::from_delimiters(std::string_view delimiter,
                                                       std::optional<std::string_view> key_delimiter,
                                                       null_rendering nulls) {
    return parse(default_format_text(delimiter, key_delimiter), nulls);
}

bool kcat_format::render(const consumer_record& record, std::string& out) const {
    for (const format_part& part : parts_) {
        switch (part.field) {
        case format_field::literal: out.append(part.text); break;
        case format_field::value: append_payload(out, record.value, nulls_); break;
        case format_field::value_length: append_decimal(out, length_or_null(record.value)); break;
        case format_field::value_length_be32: append_be32(out, length_or_null(record.value)); break;
        case format_field::key: append_payload(out, record.key, nulls_); break;
        case format_field::key_length: append_decimal(out, length_or_null(record.key)); break;
        case format_field::topic: out.append(c_string_prefix(record.topic)); break;
        case format_field::partition: append_decimal(out, record.partition.value()); break;
        case format_field::offset: append_decimal(out, record.offset.value()); break;
        case format_field::timestamp:
            append_decimal(out, record.timestamp_kind == timestamp_type::not_available ? -1 : record.timestamp_ms);
            break;
        case format_field::headers: append_headers(out, record.headers); break;
        }
    }
    return !fails_on_write_;
}

std::string write_error_message(const consumer_record& record, std::string_view reason) {
    std::string out = "Write error for message of ";
    append_decimal(out, record.value ? static_cast<std::int64_t>(record.value->size()) : 0);
    out.append(" bytes in ");
    out.append(c_string_prefix(record.topic));
    out.append(" [");
    append_decimal(out, record.partition.value());
    out.append("] at offset ");
    append_decimal(out, record.offset.value());
    out.append(": ");
    out.append(reason);
    return out;
}

} // namespace kafkit::cli
