// kafkit-config-docs [--output FILE]: prints docs/configuration.md (to FILE with --output).

#include "markdown.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string_view>

int main(int argc, char** argv) {
    const std::string text = kafkit::configdoc::render_markdown(kafkit::config_properties());
    if (argc == 1) {
        std::cout << text;
        return std::cout.good() ? 0 : 1;
    }
    if (argc != 3 || std::string_view(argv[1]) != "--output") {
        std::fprintf(stderr, "usage: kafkit-config-docs [--output FILE]\n");
        return 2;
    }
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        std::fprintf(stderr, "kafkit-config-docs: cannot write %s\n", argv[2]);
        return 1;
    }
    return 0;
}
