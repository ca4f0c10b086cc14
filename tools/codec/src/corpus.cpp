#include "kafkit/codec/corpus.hpp"

#include "kafkit/protocol/error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <limits>

namespace kafkit::codec {
namespace {

using protocol::result;
using protocol::unexpected;

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// An integer member that fits int16; nullopt when absent, not an integer or out of range.
std::optional<std::int16_t> int16_member(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) return std::nullopt;
    const auto value = it->get<std::int64_t>();
    if (value < std::numeric_limits<std::int16_t>::min() || value > std::numeric_limits<std::int16_t>::max()) {
        return std::nullopt;
    }
    return static_cast<std::int16_t>(value);
}

std::int64_t int_member_or(const nlohmann::json& object, const char* key, std::int64_t fallback) {
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

expected_records parse_expected_records(const nlohmann::json& object) {
    expected_records out;
    out.records = int_member_or(object, "records", 0);
    out.crc_bad = int_member_or(object, "crc_bad", 0);
    if (auto it = object.find("magic"); it != object.end() && it->is_array()) {
        for (const auto& m : *it) {
            if (m.is_number_integer()) out.magic.push_back(m.get<int>());
        }
    }
    if (auto it = object.find("codecs"); it != object.end() && it->is_array()) {
        for (const auto& c : *it) {
            if (c.is_string()) out.codecs.push_back(c.get<std::string>());
        }
    }
    std::sort(out.magic.begin(), out.magic.end());
    std::sort(out.codecs.begin(), out.codecs.end());
    return out;
}

} // namespace

std::string_view to_string(direction d) noexcept {
    return d == direction::request ? "request" : "response";
}

result<std::vector<std::uint8_t>> parse_hex(std::string_view text) {
    std::vector<std::uint8_t> out;
    out.reserve(text.size() / 2);
    int high = -1;
    for (char c : text) {
        if (is_space(c)) continue;
        const int digit = hex_digit(c);
        if (digit < 0) return unexpected(errc::malformed_frame);
        if (high < 0) {
            high = digit;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | digit));
            high = -1;
        }
    }
    if (high >= 0) return unexpected(errc::malformed_frame);
    return out;
}

std::string to_hex(protocol::bytes_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0f]);
    }
    return out;
}

result<corpus_frame> parse_corpus_line(std::string_view json_line) {
    const auto object = nlohmann::json::parse(json_line, nullptr, false);
    if (object.is_discarded() || !object.is_object()) return unexpected(errc::malformed_frame);

    corpus_frame frame;
    const auto dir = object.find("direction");
    if (dir == object.end() || !dir->is_string()) return unexpected(errc::malformed_frame);
    if (dir->get<std::string>() == "request") {
        frame.dir = direction::request;
    } else if (dir->get<std::string>() == "response") {
        frame.dir = direction::response;
    } else {
        return unexpected(errc::malformed_frame);
    }

    const auto key = int16_member(object, "api_key");
    const auto version = int16_member(object, "api_version");
    if (!key || !version) return unexpected(errc::malformed_frame);
    frame.api_key = *key;
    frame.api_version = *version;

    const auto hex = object.find("hex");
    if (hex == object.end() || !hex->is_string()) return unexpected(errc::malformed_frame);
    auto bytes = parse_hex(hex->get<std::string>());
    if (!bytes) return unexpected(bytes.error());
    frame.bytes = std::move(*bytes);

    if (auto records = object.find("records"); records != object.end() && records->is_object()) {
        frame.records = parse_expected_records(*records);
    }
    return frame;
}

result<corpus_file> read_corpus_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return unexpected(std::make_error_code(std::errc::no_such_file_or_directory));

    corpus_file out;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (std::all_of(line.begin(), line.end(), is_space)) continue;
        auto frame = parse_corpus_line(line);
        if (!frame) {
            out.problems.push_back(path + ":" + std::to_string(number) + ": unreadable corpus line (" +
                                   frame.error().message() + ")");
            continue;
        }
        frame->file = path;
        frame->line = number;
        out.frames.push_back(std::move(*frame));
    }
    return out;
}

} // namespace kafkit::codec
