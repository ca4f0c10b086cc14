#include "delimiters.hpp"

#include "c_number.hpp"
#include "json_text.hpp"

namespace kafkit::cli {

parse_result<std::string> parse_delimiter(std::string_view arg) {
    std::string s(c_string_prefix(arg));
    for (;;) {
        std::size_t at = s.find("\\n");
        if (at != std::string::npos) {
            s.replace(at, 2, 1, '\n');
            continue;
        }
        at = s.find("\\t");
        if (at != std::string::npos) {
            s.replace(at, 2, 1, '\t');
            continue;
        }
        at = s.find("\\x");
        if (at == std::string::npos) break;
        const auto n = c_strtoul(std::string_view(s).substr(at + 2), 16);
        if (n.consumed == 0) return kcat_fatal("Delimiter " + s.substr(at) + " expects hex number");
        s.replace(at, 2 + n.consumed, 1, static_cast<char>(n.value & 0xff));
        // kcat goes on with the C string: a NUL ends it.
        s.resize(c_string_prefix(s).size());
    }
    return s;
}

kcat_failure empty_produce_delimiter_failure() {
    return kcat_fatal("Message delimiter -D must not be empty when producing");
}

} // namespace kafkit::cli
