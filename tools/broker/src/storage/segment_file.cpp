// The .log and .index files of one segment (see segment_file.hpp).

#include "storage/segment_file.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace kafkit::broker {

namespace {

constexpr std::size_t offset_digits = 20; ///< Kafka's file names: the offset in 20 digits

void put_u32(std::uint8_t* p, std::uint32_t v) noexcept {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

std::uint32_t get_u32(const std::uint8_t* p) noexcept {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

std::array<std::uint8_t, index_entry_size> encode(const index_entry& e) noexcept {
    std::array<std::uint8_t, index_entry_size> bytes{};
    put_u32(bytes.data(), e.relative_offset);
    put_u32(bytes.data() + 4, e.position);
    put_u32(bytes.data() + 8, e.max_timestamp_delta);
    return bytes;
}

std::error_code truncate_fd(int fd, std::uint64_t size) {
    while (::ftruncate(fd, static_cast<::off_t>(size)) != 0) {
        if (errno != EINTR) return {errno, std::generic_category()};
    }
    return {};
}

} // namespace

std::string segment_file_name(std::int64_t base_offset, std::string_view extension) {
    std::array<char, 32> digits{};
    std::snprintf(digits.data(), digits.size(), "%020lld", static_cast<long long>(base_offset));
    return std::string(digits.data()) + std::string(extension);
}

std::optional<std::int64_t> parse_segment_file_name(std::string_view name, std::string_view extension) {
    if (name.size() != offset_digits + extension.size() || name.substr(offset_digits) != extension)
        return std::nullopt;
    std::int64_t value = 0;
    const char* end = name.data() + offset_digits;
    auto [ptr, ec] = std::from_chars(name.data(), end, value);
    if (ec != std::errc{} || ptr != end || value < 0) return std::nullopt;
    return value;
}

std::error_code segment_file::open(const std::filesystem::path& dir, std::int64_t base_offset, mode how,
                                   segment_file& out) {
    segment_file s;
    s.base_offset_ = base_offset;
    s.log_path_ = dir / segment_file_name(base_offset, ".log");
    s.index_path_ = dir / segment_file_name(base_offset, ".index");
    // O_APPEND: every write lands at the end, also after a truncation by recovery.
    const int create = how == mode::create ? (O_CREAT | O_TRUNC) : 0;
    if (auto ec = open_file(s.log_path_, O_RDWR | O_APPEND | create, s.log_)) return ec;
    if (auto ec = open_file(s.index_path_, O_RDWR | O_APPEND | O_CREAT | create, s.index_)) return ec;
    if (auto ec = file_size(s.log_.get(), s.log_size_)) return ec;
    if (auto ec = file_size(s.index_.get(), s.index_size_)) return ec;
    s.dirty_ = how == mode::create;
    out = std::move(s);
    return {};
}

std::error_code segment_file::append(protocol::bytes_view batch, const index_entry& entry) {
    dirty_ = true;
    if (auto ec = write_all(log_.get(), batch.data(), batch.size())) {
        (void)truncate_fd(log_.get(), log_size_); // keep whole batches only
        return ec;
    }
    const auto bytes = encode(entry);
    if (auto ec = write_all(index_.get(), bytes.data(), bytes.size())) {
        (void)truncate_fd(log_.get(), log_size_);
        (void)truncate_fd(index_.get(), index_size_);
        return ec;
    }
    log_size_ += batch.size();
    index_size_ += bytes.size();
    return {};
}

std::error_code segment_file::read(std::uint64_t position, std::size_t size, std::uint8_t* out) const {
    return pread_all(log_.get(), out, size, position);
}

std::error_code segment_file::read_index(std::vector<index_entry>& out) const {
    out.clear();
    const std::size_t count = static_cast<std::size_t>(index_size_ / index_entry_size);
    std::vector<std::uint8_t> bytes(count * index_entry_size);
    if (auto ec = pread_all(index_.get(), bytes.data(), bytes.size(), 0)) return ec;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint8_t* p = bytes.data() + i * index_entry_size;
        out.push_back(index_entry{get_u32(p), get_u32(p + 4), get_u32(p + 8)});
    }
    return {};
}

std::error_code segment_file::rewrite_index(const std::vector<index_entry>& entries) {
    dirty_ = true;
    if (auto ec = truncate_fd(index_.get(), 0)) return ec;
    index_size_ = 0;
    std::vector<std::uint8_t> bytes;
    bytes.reserve(entries.size() * index_entry_size);
    for (const auto& e : entries) {
        const auto encoded = encode(e);
        bytes.insert(bytes.end(), encoded.begin(), encoded.end());
    }
    if (auto ec = write_all(index_.get(), bytes.data(), bytes.size())) return ec;
    index_size_ = bytes.size();
    return {};
}

std::error_code segment_file::truncate_log(std::uint64_t size) {
    dirty_ = true;
    if (auto ec = truncate_fd(log_.get(), size)) return ec;
    log_size_ = size;
    return {};
}

std::error_code segment_file::sync() {
    if (!dirty_) return {};
    if (auto ec = sync_data(log_.get())) return ec;
    if (index_) {
        if (auto ec = sync_data(index_.get())) return ec;
    } else {
        unique_fd sealed;
        if (auto ec = open_file(index_path_, O_RDONLY, sealed)) return ec;
        if (auto ec = sync_data(sealed.get())) return ec;
    }
    dirty_ = false;
    return {};
}

std::error_code segment_file::remove() {
    log_.reset();
    index_.reset();
    dirty_ = false;
    std::error_code result;
    for (const auto* path : {&log_path_, &index_path_}) {
        if (::unlink(path->c_str()) != 0 && errno != ENOENT) result = {errno, std::generic_category()};
    }
    return result;
}

} // namespace kafkit::broker
