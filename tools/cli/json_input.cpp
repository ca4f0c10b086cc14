#include "json_input.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <limits>

namespace kafkit::cli {
namespace {

using nlohmann::json;

kcat_failure input_error(const std::string& reason) { return kcat_fatal("JSON input: " + reason); }

enum class encoding { text, base64, hex };

/// A string or null field decoded as `how`; `field` names it in errors.
parse_result<std::optional<std::string>> bytes_of(const json& v, encoding how, const std::string& field) {
    if (v.is_null()) return std::optional<std::string>{};
    if (!v.is_string()) return input_error("\"" + field + "\" must be a string or null");
    const auto& s = v.get_ref<const std::string&>();
    if (how == encoding::text) return std::optional<std::string>(s);
    auto decoded = how == encoding::base64 ? decode_base64(s) : decode_hex(s);
    if (!decoded) return input_error("\"" + field + "\" is not valid " + (how == encoding::base64 ? "base64" : "hex"));
    return std::optional<std::string>(std::move(*decoded));
}

/// The first of `names` the object has, or nullptr.
const json* field(const json& object, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (auto it = object.find(n); it != object.end()) return &*it;
    return nullptr;
}

int base64_digit(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

std::optional<std::string> decode_base64(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int d = base64_digit(c);
        if (d < 0) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(d);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    return out;
}

std::optional<std::string> decode_hex(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
}

parse_result<json_input_record> parse_json_input(std::string_view text) {
    json object;
    try {
        object = json::parse(text);
    } catch (const json::parse_error& e) {
        return input_error(std::string("not JSON: ") + e.what());
    }
    if (!object.is_object()) return input_error("each record must be a JSON object");
    encoding how = encoding::text;
    if (const json* e = field(object, {"encoding"})) {
        const std::string name = e->is_string() ? e->get<std::string>() : "";
        if (name == "base64") how = encoding::base64;
        else if (name == "hex") how = encoding::hex;
        else if (name != "utf8" && name != "text") return input_error("\"encoding\" must be \"base64\", \"hex\" or \"text\"");
    }
    json_input_record r;
    if (const json* k = field(object, {"key"})) {
        auto key = bytes_of(*k, how, "key");
        if (!key) return kcat_failure{key.error()};
        r.key = std::move(*key);
    }
    if (const json* v = field(object, {"payload", "value"})) {
        auto value = bytes_of(*v, how, "payload");
        if (!value) return kcat_failure{value.error()};
        r.value = std::move(*value);
    }
    if (const json* h = field(object, {"headers"})) {
        auto add = [&](const json& name, const json& value) -> std::optional<kcat_failure> {
            if (!name.is_string()) return input_error("header names must be strings");
            auto bytes = bytes_of(value, how, "headers");
            if (!bytes) return kcat_failure{bytes.error()};
            r.headers.emplace_back(name.get<std::string>(), std::move(*bytes));
            return std::nullopt;
        };
        if (h->is_array()) {
            if (h->size() % 2 != 0) return input_error("\"headers\" must list name, value pairs");
            for (std::size_t i = 0; i < h->size(); i += 2)
                if (auto f = add((*h)[i], (*h)[i + 1])) return std::move(*f);
        } else if (h->is_object()) {
            for (const auto& [name, value] : h->items())
                if (auto f = add(json(name), value)) return std::move(*f);
        } else if (!h->is_null()) {
            return input_error("\"headers\" must be an array or an object");
        }
    }
    if (const json* p = field(object, {"partition"})) {
        if (!p->is_number_integer() || p->get<std::int64_t>() < -1 ||
            p->get<std::int64_t>() > std::numeric_limits<std::int32_t>::max())
            return input_error("\"partition\" must be a partition number");
        if (p->get<std::int64_t>() >= 0) r.partition = p->get<std::int32_t>();
    }
    if (const json* t = field(object, {"ts", "timestamp"})) {
        if (!t->is_number_integer()) return input_error("\"ts\" must be milliseconds since the epoch");
        if (t->get<std::int64_t>() >= 0) r.timestamp_ms = t->get<std::int64_t>();
    }
    return r;
}

} // namespace kafkit::cli
