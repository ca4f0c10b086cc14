#include "storage/chunked_bytes.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <iterator>

namespace kafkit::broker {

chunked_bytes::chunked_bytes(std::size_t first_chunk, std::size_t max_chunk)
    : first_chunk_(std::max<std::size_t>(first_chunk, 1)), max_chunk_(std::max(max_chunk, first_chunk_)) {}

void chunked_bytes::append(protocol::bytes_view bytes) {
    const std::uint8_t* from = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        if (chunks_.empty() || size_ == chunks_.back().start + chunks_.back().capacity) {
            const std::size_t capacity = chunks_.empty() ? first_chunk_ : std::min(chunks_.back().capacity * 2, max_chunk_);
            // Default-initialized, not zeroed: pages are touched only as bytes arrive.
            chunks_.push_back({std::unique_ptr<std::uint8_t[]>(new std::uint8_t[capacity]), size_, capacity});
        }
        auto& last = chunks_.back();
        const std::size_t used = size_ - last.start;
        const std::size_t n = std::min(left, last.capacity - used);
        std::memcpy(last.data.get() + used, from, n);
        from += n;
        left -= n;
        size_ += n;
    }
}

void chunked_bytes::copy_to(std::size_t position, std::size_t size, std::vector<std::uint8_t>& out) const {
    assert(position + size <= size_);
    if (size == 0) return;
    // The chunk holding `position`: the last one starting at or before it.
    auto it = std::prev(std::upper_bound(chunks_.begin(), chunks_.end(), position,
                                         [](std::size_t p, const chunk& c) { return p < c.start; }));
    const std::size_t at = out.size();
    out.resize(at + size);
    std::uint8_t* to = out.data() + at;
    while (size > 0) {
        const std::size_t offset = position - it->start;
        const std::size_t n = std::min(size, it->capacity - offset);
        std::memcpy(to, it->data.get() + offset, n);
        to += n;
        position += n;
        size -= n;
        ++it;
    }
}

std::size_t chunked_bytes::capacity() const noexcept {
    std::size_t total = 0;
    for (const auto& c : chunks_) total += c.capacity;
    return total;
}

} // namespace kafkit::broker
