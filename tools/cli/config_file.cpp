#include "config_file.hpp"

#include "c_number.hpp"
#include "json_text.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace kafkit::cli {
namespace {

/// kcat's fgets buffer: a line is read in pieces of at most 511 bytes.
constexpr std::size_t line_buffer_max = 511;

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && c_isspace(s.front())) s.remove_prefix(1);
    while (s.size() > 1 && c_isspace(s.back())) s.remove_suffix(1);
    return s;
}

/// Removes the backslash of every `escaped` pair ("\:" -> ":"), searching from the start
/// again after each, as kcat's strstr loop does ("\\:" becomes ":").
void strip_escape(std::string& s, std::string_view escaped) {
    for (std::size_t at = s.find(escaped); at != std::string::npos; at = s.find(escaped)) s.erase(at, 1);
}

/// sscanf(value, "org.apache.kafka.common.security.plain.PlainLoginModule required
/// username=\"%[^\"]\" password=\"%[^\"]\"", user, pass) == 2: each space of the pattern
/// matches any run of white space (none included), each %[^"] one or more non-quotes.
class jaas_matcher {
public:
    explicit jaas_matcher(std::string_view in) : in_(in) {}

    std::optional<std::pair<std::string, std::string>> match() {
        if (!literal("org.apache.kafka.common.security.plain.PlainLoginModule")) return std::nullopt;
        spaces();
        if (!literal("required")) return std::nullopt;
        spaces();
        if (!literal("username=\"")) return std::nullopt;
        auto user = unquoted();
        if (!user || !literal("\"")) return std::nullopt;
        spaces();
        if (!literal("password=\"")) return std::nullopt;
        auto pass = unquoted();
        // Two conversions made: what follows the password does not matter to sscanf's count.
        if (!pass) return std::nullopt;
        return std::pair{std::move(*user), std::move(*pass)};
    }

private:
    bool literal(std::string_view text) {
        if (!in_.starts_with(text)) return false;
        in_.remove_prefix(text.size());
        return true;
    }
    void spaces() {
        while (!in_.empty() && c_isspace(in_.front())) in_.remove_prefix(1);
    }
    std::optional<std::string> unquoted() {
        const std::size_t n = std::min(in_.find('"'), in_.size());
        if (n == 0) return std::nullopt;
        std::string out(in_.substr(0, n));
        in_.remove_prefix(n);
        return out;
    }

    std::string_view in_;
};

/// Adds the properties of one `name`=`value` line, as kcat's try_java_conf_set and
/// try_conf_set take them.
void add_property(std::vector<config_entry>& out, std::string name, std::string value, int line) {
    if (name == "ssl.endpoint.identification.algorithm") return;
    if (name == "sasl.jaas.config") {
        if (auto creds = jaas_matcher(value).match()) {
            out.push_back(config_entry{"sasl.username", std::move(creds->first), line});
            out.push_back(config_entry{"sasl.password", std::move(creds->second), line});
            return;
        }
    }
    out.push_back(config_entry{std::move(name), std::move(value), line});
}

} // namespace

parse_result<std::vector<config_entry>> parse_config_file(std::string_view contents, std::string_view path) {
    std::vector<config_entry> out;
    int line = 0;
    while (!contents.empty()) {
        std::size_t len = std::min(contents.find('\n'), contents.size() - 1) + 1;
        len = std::min(len, line_buffer_max);
        const std::string_view piece = contents.substr(0, len);
        contents.remove_prefix(len);
        ++line;

        const std::string_view trimmed = trim(c_string_prefix(piece));
        if (trimmed.empty() || trimmed.front() == '#') continue;
        std::string text(trimmed);
        strip_escape(text, "\\:");
        strip_escape(text, "\\=");
        const std::size_t eq = text.find('=');
        if (eq == std::string::npos || eq == 0) return config_file_failure(path, line, "expected property=value");
        add_property(out, text.substr(0, eq), text.substr(eq + 1), line);
    }
    return out;
}

kcat_failure config_file_failure(std::string_view path, int line, std::string_view reason) {
    std::string message(path);
    message.push_back(':');
    message.append(std::to_string(line));
    message.append(": ");
    message.append(reason);
    // kcat's message ends in a newline of its own, before KC_FATAL's.
    message.push_back('\n');
    return kcat_fatal(message);
}

kcat_failure config_file_open_failure(std::string_view path, std::string_view reason) {
    std::string message = "Failed to open ";
    message.append(path);
    message.append(": ");
    message.append(reason);
    return kcat_fatal(message);
}

} // namespace kafkit::cli
