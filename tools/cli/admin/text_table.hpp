#pragma once
// Column-aligned text as Kafka's shell tools print their tables: a header row, each column
// left-aligned and as wide as its widest cell (or a minimum width, as kafka-consumer-groups.sh
// gives PARTITION 10 and the offsets 15), one space between columns, the last unpadded.

#include <cstddef>
#include <string>
#include <vector>

namespace kafkit::admin_cli {

class text_table {
public:
    /// A table with these column headers; `min_widths[i]` (when given) is column i's least width.
    explicit text_table(std::vector<std::string> headers, std::vector<std::size_t> min_widths = {});
    /// Appends a row; missing cells are empty, extra cells are dropped.
    void add(std::vector<std::string> row);
    [[nodiscard]] bool empty() const noexcept { return rows_.empty(); }
    /// The header and the rows, each line ending in '\n'.
    [[nodiscard]] std::string render() const;

private:
    std::vector<std::string> headers_;
    std::vector<std::size_t> widths_;
    std::vector<std::vector<std::string>> rows_;
};

} // namespace kafkit::admin_cli
