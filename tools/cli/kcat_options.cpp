#include "kcat_options.hpp"

#include "json_text.hpp"

namespace kafkit::cli {

parse_result<header_arg> parse_header_arg(std::string_view arg) {
    arg = c_string_prefix(arg);
    const std::size_t eq = arg.find('=');
    if (arg.empty() || eq == 0) return kcat_fatal("Expected -H \"name=value..\" or -H \"name\"");
    if (eq == std::string_view::npos) return header_arg{std::string(arg), std::nullopt};
    return header_arg{std::string(arg.substr(0, eq)), std::string(arg.substr(eq + 1))};
}

parse_result<property_arg> parse_property_arg(std::string_view arg) {
    arg = c_string_prefix(arg);
    if (arg == "list" || arg == "help") return property_arg{property_arg_kind::list, {}, {}};
    if (arg == "dump") return property_arg{property_arg_kind::dump, {}, {}};
    const std::size_t eq = arg.find('=');
    if (eq == std::string_view::npos) {
        std::string text = "% Expected -X property=value, not ";
        text.append(arg);
        text.append(", use -X list to display available properties\n");
        return kcat_failure{std::move(text)};
    }
    return property_arg{property_arg_kind::set, std::string(arg.substr(0, eq)), std::string(arg.substr(eq + 1))};
}

} // namespace kafkit::cli
