#include "properties_file.hpp"

#include "usage_error.hpp"

#include <fstream>

namespace kafkit::admin_cli {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\r'; }

std::string_view trim_front(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    return s;
}

/// True when `line` ends in an odd number of backslashes: the line goes on.
bool continues(std::string_view line) {
    std::size_t n = 0;
    while (n < line.size() && line[line.size() - 1 - n] == '\\') ++n;
    return n % 2 == 1;
}

char unescaped(char c) {
    switch (c) {
    case 't': return '\t';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'f': return '\f';
    default: return c;
    }
}

/// One logical line (continuations joined) as a name and a value.
property parse_logical_line(std::string_view line) {
    property out;
    std::size_t i = 0;
    for (; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '\\' && i + 1 < line.size()) {
            out.first += unescaped(line[++i]);
            continue;
        }
        if (c == '=' || c == ':' || is_blank(c)) break;
        out.first += c;
    }
    // The separator: white space, then at most one '=' or ':', then white space.
    while (i < line.size() && is_blank(line[i])) ++i;
    if (i < line.size() && (line[i] == '=' || line[i] == ':')) ++i;
    while (i < line.size() && is_blank(line[i])) ++i;
    for (; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) out.second += unescaped(line[++i]);
        else out.second += line[i];
    }
    return out;
}

} // namespace

property split_property(std::string_view text, std::string_view flag) {
    const auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        throw usage_error(std::string(flag) + " takes NAME=VALUE, not '" + std::string(text) + "'");
    return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

std::map<std::string, std::string> property_map(const std::vector<std::string>& texts, std::string_view flag) {
    std::map<std::string, std::string> out;
    for (const auto& t : texts) {
        auto [name, value] = split_property(t, flag);
        out.insert_or_assign(std::move(name), std::move(value));
    }
    return out;
}

std::vector<property> read_properties_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw usage_error("--command-config: cannot read " + path);
    std::vector<property> out;
    std::string logical;
    bool joining = false;
    for (std::string raw; std::getline(in, raw);) {
        std::string_view line = trim_front(raw);
        if (!joining && (line.empty() || line.front() == '#' || line.front() == '!')) continue;
        if (continues(line)) {
            logical.append(line.substr(0, line.size() - 1));
            joining = true;
            continue;
        }
        logical.append(line);
        joining = false;
        out.push_back(parse_logical_line(logical));
        logical.clear();
    }
    if (!logical.empty()) out.push_back(parse_logical_line(logical));
    return out;
}

} // namespace kafkit::admin_cli
