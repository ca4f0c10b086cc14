#pragma once
// A non-owning view of bytes inside a frame or buffer, compared by content.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace kafkit::protocol {

/// A read-only view of bytes owned elsewhere (usually the frame a message was decoded from).
/// Unlike std::span it compares by content, so messages holding views compare with `==`.
class bytes_view {
public:
    constexpr bytes_view() noexcept = default;
    constexpr bytes_view(const std::uint8_t* data, std::size_t size) noexcept
        : data_(data), size_(size) {}
    constexpr bytes_view(std::span<const std::uint8_t> span) noexcept // NOLINT(google-explicit-constructor)
        : data_(span.data()), size_(span.size()) {}
    /// Views the characters of a string as bytes.
    static bytes_view of(std::string_view text) noexcept {
        return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
    }

    [[nodiscard]] constexpr const std::uint8_t* data() const noexcept { return data_; }
    [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
    [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] constexpr const std::uint8_t* begin() const noexcept { return data_; }
    [[nodiscard]] constexpr const std::uint8_t* end() const noexcept { return data_ + size_; }
    [[nodiscard]] constexpr std::uint8_t operator[](std::size_t i) const noexcept { return data_[i]; }
    [[nodiscard]] constexpr bytes_view subview(std::size_t offset, std::size_t count) const noexcept {
        return {data_ + offset, count};
    }
    [[nodiscard]] constexpr bytes_view subview(std::size_t offset) const noexcept {
        return {data_ + offset, size_ - offset};
    }
    [[nodiscard]] constexpr std::span<const std::uint8_t> span() const noexcept {
        return {data_, size_};
    }
    [[nodiscard]] std::string_view as_string() const noexcept {
        return {reinterpret_cast<const char*>(data_), size_};
    }

    friend bool operator==(bytes_view a, bytes_view b) noexcept {
        return a.size_ == b.size_ && (a.size_ == 0 || std::memcmp(a.data_, b.data_, a.size_) == 0);
    }

private:
    const std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

} // namespace kafkit::protocol
