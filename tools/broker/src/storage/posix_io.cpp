// POSIX file helpers of the file log (see posix_io.hpp).

#include "storage/posix_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace kafkit::broker {

namespace {
std::error_code last_error() { return {errno, std::generic_category()}; }
} // namespace

unique_fd& unique_fd::operator=(unique_fd&& other) noexcept {
    if (this != &other) {
        reset();
        fd_ = other.release();
    }
    return *this;
}

void unique_fd::reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

std::error_code open_file(const std::filesystem::path& path, int flags, unique_fd& out, unsigned mode) {
    int fd = -1;
    do {
        fd = ::open(path.c_str(), flags | O_CLOEXEC, static_cast<mode_t>(mode));
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return last_error();
    out = unique_fd(fd);
    return {};
}

std::error_code write_all(int fd, const std::uint8_t* data, std::size_t size) {
    while (size > 0) {
        const ::ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return last_error();
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return {};
}

std::error_code pread_all(int fd, std::uint8_t* data, std::size_t size, std::uint64_t position) {
    while (size > 0) {
        const ::ssize_t n = ::pread(fd, data, size, static_cast<::off_t>(position));
        if (n < 0) {
            if (errno == EINTR) continue;
            return last_error();
        }
        if (n == 0) return std::make_error_code(std::errc::io_error); // the file ended first
        data += n;
        size -= static_cast<std::size_t>(n);
        position += static_cast<std::uint64_t>(n);
    }
    return {};
}

std::error_code file_size(int fd, std::uint64_t& out) {
    struct ::stat st {};
    if (::fstat(fd, &st) != 0) return last_error();
    out = static_cast<std::uint64_t>(st.st_size);
    return {};
}

std::error_code sync_data(int fd) {
    // fdatasync also writes the metadata needed to read the data back, the size among it.
    while (::fdatasync(fd) != 0) {
        if (errno != EINTR) return last_error();
    }
    return {};
}

std::error_code sync_directory(const std::filesystem::path& dir) {
    unique_fd fd;
    if (auto ec = open_file(dir, O_RDONLY | O_DIRECTORY, fd)) return ec;
    while (::fsync(fd.get()) != 0) {
        if (errno != EINTR) return last_error();
    }
    return {};
}

std::error_code write_file_durably(const std::filesystem::path& path, std::string_view content) {
    auto tmp = path;
    tmp += ".tmp";
    {
        unique_fd fd;
        if (auto ec = open_file(tmp, O_WRONLY | O_CREAT | O_TRUNC, fd)) return ec;
        if (auto ec = write_all(fd.get(), reinterpret_cast<const std::uint8_t*>(content.data()), content.size()))
            return ec;
        while (::fsync(fd.get()) != 0) {
            if (errno != EINTR) return last_error();
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) return last_error();
    return sync_directory(path.parent_path());
}

std::optional<std::string> read_small_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return text.str();
}

} // namespace kafkit::broker
