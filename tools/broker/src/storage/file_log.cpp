// Placeholder until the segment-file log lands (being written now).
#include "storage/partition_log.hpp"

#include <stdexcept>

namespace kafkit::broker {

std::unique_ptr<partition_log> open_file_log(const std::filesystem::path& dir, std::int64_t) {
    throw std::runtime_error("persistent logs are not implemented yet: " + dir.string());
}

} // namespace kafkit::broker
