#pragma once
// Thin POSIX file helpers for the file log: whole writes and reads that retry on EINTR and
// short counts, fsync of files and directories, and small files replaced atomically.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace kafkit::broker {

/// An owned file descriptor, closed on destruction. Move-only.
class unique_fd {
public:
    /// Holds nothing (-1).
    unique_fd() noexcept = default;
    /// Takes ownership of `fd` (-1 for none).
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    /// Takes the other's descriptor; it is left holding none.
    unique_fd(unique_fd&& other) noexcept : fd_(other.release()) {}
    /// Closes what this held and takes the other's descriptor.
    unique_fd& operator=(unique_fd&& other) noexcept;
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    /// Closes the descriptor (errors ignored: nothing throws from a destructor).
    ~unique_fd() { reset(); }

    /// The descriptor, -1 when none.
    [[nodiscard]] int get() const noexcept { return fd_; }
    /// True when a descriptor is held.
    explicit operator bool() const noexcept { return fd_ >= 0; }
    /// Gives the descriptor up without closing it.
    int release() noexcept {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    /// Closes the descriptor now.
    void reset() noexcept;

private:
    int fd_ = -1;
};

/// Opens `path` with open(2) `flags` (and `mode` when creating). Errors: errno's.
std::error_code open_file(const std::filesystem::path& path, int flags, unique_fd& out, unsigned mode = 0644);

/// Writes all `size` bytes at the file's offset (or its end under O_APPEND), retrying short
/// writes and EINTR. Errors: errno's (some bytes may have been written).
std::error_code write_all(int fd, const std::uint8_t* data, std::size_t size);

/// Reads exactly `size` bytes at `position` with pread(2). Errors: errno's, or
/// std::errc::io_error when the file ends first.
std::error_code pread_all(int fd, std::uint8_t* data, std::size_t size, std::uint64_t position);

/// Size of the open file. Errors: errno's.
std::error_code file_size(int fd, std::uint64_t& out);

/// Flushes the file's data (and the metadata needed to read it back: its size) to disk.
std::error_code sync_data(int fd);

/// fsyncs a directory, making entries created, renamed or removed in it durable.
std::error_code sync_directory(const std::filesystem::path& dir);

/// Replaces `path` with `content` so that a crash leaves either the old or the new file:
/// writes `path`.tmp, fsyncs it, renames it over `path`, fsyncs the directory.
std::error_code write_file_durably(const std::filesystem::path& path, std::string_view content);

/// The whole content of a small file; nullopt when it cannot be read (missing, say).
std::optional<std::string> read_small_file(const std::filesystem::path& path);

} // namespace kafkit::broker
