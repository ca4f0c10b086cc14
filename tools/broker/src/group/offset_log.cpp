#include "group/offset_log.hpp"

#include "kafkit/protocol/crc32c.hpp"
#include "kafkit/protocol/wire_reader.hpp"

#include <cerrno>
#include <cstdio>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kafkit::broker {
namespace {

/// Bytes before a record's payload: its size and its checksum.
constexpr std::size_t frame_header = 8;
/// No record is larger than this: a bigger size field means a corrupt frame.
constexpr std::uint32_t max_payload = 64u << 20;

void put_u8(std::vector<std::uint8_t>& out, std::uint8_t v) { out.push_back(v); }

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void put_u64(std::vector<std::uint8_t>& out, std::uint64_t v) {
    put_u32(out, static_cast<std::uint32_t>(v >> 32));
    put_u32(out, static_cast<std::uint32_t>(v));
}

void put_string(std::vector<std::uint8_t>& out, const std::string& s) {
    put_u32(out, static_cast<std::uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
}

std::string get_string(protocol::wire_reader& in) {
    const auto size = in.read_uint32();
    return std::string(in.read_raw(size).as_string());
}

/// Decodes one payload; false when it is malformed.
bool decode_payload(protocol::bytes_view payload, offset_record& out) {
    protocol::wire_reader in(payload);
    const auto kind = in.read_int8();
    if (kind < 1 || kind > 3) return false;
    out.kind = static_cast<offset_record_kind>(kind);
    out.group = get_string(in);
    const auto count = in.read_uint32();
    for (std::uint32_t i = 0; in.ok() && i < count; ++i) {
        topic_partition tp;
        tp.topic = get_string(in);
        tp.partition = in.read_int32();
        committed_offset value;
        if (out.kind == offset_record_kind::commit) {
            value.offset = in.read_int64();
            value.leader_epoch = in.read_int32();
            value.metadata = get_string(in);
            value.commit_timestamp_ms = in.read_int64();
            value.expire_timestamp_ms = in.read_int64();
        }
        out.offsets.emplace_back(std::move(tp), std::move(value));
    }
    return in.ok() && in.at_end();
}

std::system_error io_error(const std::string& what, const std::filesystem::path& path) {
    return {errno, std::generic_category(), what + " " + path.string()};
}

/// Reads the whole file (it is compacted, so it stays small).
std::vector<std::uint8_t> read_whole(int fd, const std::filesystem::path& path) {
    std::vector<std::uint8_t> data;
    std::uint8_t chunk[65536];
    for (;;) {
        const auto n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw io_error("cannot read", path);
        if (n == 0) break;
        data.insert(data.end(), chunk, chunk + n);
    }
    return data;
}

/// Parses the records of `data` into `out`; returns the length of the valid prefix.
std::size_t parse_records(const std::vector<std::uint8_t>& data, std::vector<offset_record>& out) {
    std::size_t pos = 0;
    while (data.size() - pos >= frame_header) {
        protocol::wire_reader header(protocol::bytes_view(data.data() + pos, frame_header));
        const auto size = header.read_uint32();
        const auto crc = header.read_uint32();
        if (size > max_payload || data.size() - pos - frame_header < size) break; // torn tail
        const protocol::bytes_view payload(data.data() + pos + frame_header, size);
        if (protocol::crc32c(payload) != crc) break;
        offset_record record;
        if (!decode_payload(payload, record)) break;
        out.push_back(std::move(record));
        pos += frame_header + size;
    }
    return pos;
}

} // namespace

std::vector<std::uint8_t> offset_log::encode(const offset_record& record) {
    std::vector<std::uint8_t> payload;
    put_u8(payload, static_cast<std::uint8_t>(record.kind));
    put_string(payload, record.group);
    put_u32(payload, static_cast<std::uint32_t>(record.offsets.size()));
    for (const auto& [tp, value] : record.offsets) {
        put_string(payload, tp.topic);
        put_u32(payload, static_cast<std::uint32_t>(tp.partition));
        if (record.kind != offset_record_kind::commit) continue;
        put_u64(payload, static_cast<std::uint64_t>(value.offset));
        put_u32(payload, static_cast<std::uint32_t>(value.leader_epoch));
        put_string(payload, value.metadata);
        put_u64(payload, static_cast<std::uint64_t>(value.commit_timestamp_ms));
        put_u64(payload, static_cast<std::uint64_t>(value.expire_timestamp_ms));
    }
    std::vector<std::uint8_t> framed;
    framed.reserve(frame_header + payload.size());
    put_u32(framed, static_cast<std::uint32_t>(payload.size()));
    put_u32(framed, protocol::crc32c(protocol::bytes_view(payload.data(), payload.size())));
    framed.insert(framed.end(), payload.begin(), payload.end());
    return framed;
}

offset_log::offset_log(std::filesystem::path file, bool sync, std::vector<offset_record>& replayed)
    : path_(std::move(file)), sync_(sync) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw io_error("cannot open", path_);
    const auto data = read_whole(fd_, path_);
    const auto valid = parse_records(data, replayed);
    if (valid != data.size() && ::ftruncate(fd_, static_cast<off_t>(valid)) != 0) {
        const auto error = io_error("cannot truncate", path_);
        ::close(fd_);
        throw error;
    }
    if (::lseek(fd_, static_cast<off_t>(valid), SEEK_SET) < 0) {
        const auto error = io_error("cannot seek", path_);
        ::close(fd_);
        throw error;
    }
    size_ = valid;
    size_after_rewrite_ = valid;
}

offset_log::~offset_log() {
    if (fd_ >= 0) {
        if (sync_) ::fdatasync(fd_);
        ::close(fd_);
    }
}

bool offset_log::write_all(int fd, const std::vector<std::uint8_t>& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

bool offset_log::append(const offset_record& record) {
    const auto framed = encode(record);
    if (!write_all(fd_, framed) || (sync_ && ::fdatasync(fd_) != 0)) {
        // Cut a partial record off so later appends stay readable.
        if (::ftruncate(fd_, static_cast<off_t>(size_)) == 0) ::lseek(fd_, static_cast<off_t>(size_), SEEK_SET);
        return false;
    }
    size_ += framed.size();
    return true;
}

bool offset_log::wants_compaction() const noexcept { return size_ > threshold_ && size_ > 2 * size_after_rewrite_; }

bool offset_log::rewrite(const std::vector<offset_record>& snapshot) {
    const auto tmp = path_.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    std::uint64_t written = 0;
    bool ok = true;
    for (const auto& record : snapshot) {
        const auto framed = encode(record);
        if (!write_all(fd, framed)) {
            ok = false;
            break;
        }
        written += framed.size();
    }
    // The new file must be on disk before it replaces the old one, whatever `sync` says:
    // a crash between the rename and a later flush would otherwise lose every offset.
    if (!ok || ::fsync(fd) != 0 || std::rename(tmp.c_str(), path_.c_str()) != 0) {
        ::close(fd);
        std::remove(tmp.c_str());
        return false;
    }
    const int dir = ::open(path_.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    ::close(fd_);
    fd_ = fd;
    ::lseek(fd_, 0, SEEK_END);
    size_ = written;
    size_after_rewrite_ = written;
    return true;
}

} // namespace kafkit::broker
