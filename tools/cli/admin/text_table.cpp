#include "text_table.hpp"

#include <algorithm>

namespace kafkit::admin_cli {

text_table::text_table(std::vector<std::string> headers, std::vector<std::size_t> min_widths)
    : headers_(std::move(headers)), widths_(headers_.size(), 0) {
    for (std::size_t i = 0; i < headers_.size(); ++i)
        widths_[i] = std::max(headers_[i].size(), i < min_widths.size() ? min_widths[i] : 0);
}

void text_table::add(std::vector<std::string> row) {
    row.resize(headers_.size());
    for (std::size_t i = 0; i < row.size(); ++i) widths_[i] = std::max(widths_[i], row[i].size());
    rows_.push_back(std::move(row));
}

std::string text_table::render() const {
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            out += cells[i];
            if (i + 1 < cells.size()) out.append(widths_[i] - cells[i].size() + 1, ' ');
        }
        out += '\n';
    };
    line(headers_);
    for (const auto& row : rows_) line(row);
    return out;
}

} // namespace kafkit::admin_cli
