#include "naming.hpp"

#include <cctype>
#include <set>

namespace kafkit::codegen {

std::string snake_case(const std::string& camel) {
    static const std::set<std::string> keywords = {
        "auto", "bool", "break", "case", "catch", "char", "class", "const", "continue",
        "default", "delete", "do", "double", "else", "enum", "explicit", "export", "extern",
        "false", "float", "for", "friend", "goto", "if", "inline", "int", "long", "mutable",
        "namespace", "new", "operator", "private", "protected", "public", "register", "return",
        "short", "signed", "sizeof", "static", "struct", "switch", "template", "this", "throw",
        "true", "try", "typedef", "typename", "union", "unsigned", "using", "virtual", "void",
        "volatile", "while", "and", "or", "not", "xor", "concept", "requires"};
    std::string out;
    for (std::size_t i = 0; i < camel.size(); ++i) {
        const char c = camel[i];
        if (std::isupper(static_cast<unsigned char>(c))) {
            const bool after_lower = i > 0 && (std::islower(static_cast<unsigned char>(camel[i - 1])) ||
                                               std::isdigit(static_cast<unsigned char>(camel[i - 1])));
            const bool acronym_end = i > 0 && std::isupper(static_cast<unsigned char>(camel[i - 1])) &&
                                     i + 1 < camel.size() &&
                                     std::islower(static_cast<unsigned char>(camel[i + 1]));
            if (after_lower || acronym_end) out += '_';
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            out += c;
        }
    }
    if (keywords.count(out)) out += '_';
    return out;
}

std::string file_stem(const std::string& message_name, bool is_api) {
    std::string name = message_name;
    if (is_api) {
        for (const std::string suffix : {"Request", "Response"}) {
            if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
                name.resize(name.size() - suffix.size());
                break;
            }
        }
    }
    return snake_case(name);
}

} // namespace kafkit::codegen
