// gzip through zlib: Kafka's gzip codec is the gzip file format (RFC 1952), as written by
// java.util.zip.GZIPOutputStream.

#include "compression_codecs.hpp"
#include "kafkit/protocol/error.hpp"

#include <zlib.h>

#include <climits>

namespace kafkit::protocol::detail {
namespace {

constexpr int gzip_window_bits = 15 + 16;      // 32 KiB window, gzip wrapper
constexpr int auto_detect_window_bits = 15 + 32; // accept a gzip or zlib wrapper

// zlib counts in uInt: feeds a larger input in pieces.
class input_feeder {
public:
    explicit input_feeder(bytes_view in) noexcept : pos_(in.data()), left_(in.size()) {}
    void refill(z_stream& zs) noexcept {
        if (zs.avail_in != 0 || left_ == 0) return;
        const std::size_t n = std::min<std::size_t>(left_, UINT_MAX);
        zs.next_in = const_cast<Bytef*>(pos_); // zlib's API is not const-correct; it only reads
        zs.avail_in = static_cast<uInt>(n);
        pos_ += n;
        left_ -= n;
    }
    [[nodiscard]] std::size_t left(const z_stream& zs) const noexcept { return left_ + zs.avail_in; }

private:
    const std::uint8_t* pos_;
    std::size_t left_;
};

struct deflate_stream {
    z_stream zs{};
    bool ready = false;
    ~deflate_stream() {
        if (ready) deflateEnd(&zs);
    }
};

struct inflate_stream {
    z_stream zs{};
    bool ready = false;
    ~inflate_stream() {
        if (ready) inflateEnd(&zs);
    }
};

bool starts_gzip_member(const z_stream& zs) noexcept {
    return zs.avail_in >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b;
}

} // namespace

result<void> gzip_compress(bytes_view in, std::vector<std::uint8_t>& out, int level) {
    deflate_stream d;
    const int zlevel = level == 0 ? Z_DEFAULT_COMPRESSION : std::clamp(level, 1, 9);
    if (deflateInit2(&d.zs, zlevel, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return unexpected(errc::compression_failed);
    }
    d.ready = true;
    input_feeder feeder(in);
    const std::size_t start = out.size();
    std::size_t written = 0;
    out.resize(start + deflateBound(&d.zs, static_cast<uLong>(in.size())));
    for (;;) {
        feeder.refill(d.zs);
        if (written == out.size() - start) out.resize(out.size() + 64 * 1024);
        const std::size_t room = std::min<std::size_t>(out.size() - start - written, UINT_MAX);
        d.zs.next_out = out.data() + start + written;
        d.zs.avail_out = static_cast<uInt>(room);
        const int rc = deflate(&d.zs, feeder.left(d.zs) == d.zs.avail_in ? Z_FINISH : Z_NO_FLUSH);
        written += room - d.zs.avail_out;
        if (rc == Z_STREAM_END) break;
        if (rc != Z_OK && rc != Z_BUF_ERROR) return unexpected(errc::compression_failed);
    }
    out.resize(start + written);
    return {};
}

result<void> gzip_decompress(bytes_view in, output_sink& sink) {
    inflate_stream s;
    if (inflateInit2(&s.zs, auto_detect_window_bits) != Z_OK) return unexpected(errc::compression_failed);
    s.ready = true;
    input_feeder feeder(in);
    for (;;) {
        feeder.refill(s.zs);
        const std::span<std::uint8_t> space = sink.space();
        if (space.empty()) return {}; // past the limit: the caller reports too_large
        const std::size_t room = std::min<std::size_t>(space.size(), UINT_MAX);
        s.zs.next_out = space.data();
        s.zs.avail_out = static_cast<uInt>(room);
        const int rc = inflate(&s.zs, Z_NO_FLUSH);
        sink.commit(room - s.zs.avail_out);
        if (rc == Z_STREAM_END) {
            feeder.refill(s.zs);
            // GZIPInputStream reads concatenated members; bytes that do not start another
            // member are ignored as it ignores them.
            if (!starts_gzip_member(s.zs)) return {};
            if (inflateReset(&s.zs) != Z_OK) return unexpected(errc::compression_failed);
            continue;
        }
        if (rc == Z_BUF_ERROR && feeder.left(s.zs) == 0 && s.zs.avail_out != 0) {
            return unexpected(errc::compression_failed); // the stream ends mid-member
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) return unexpected(errc::compression_failed);
    }
}

} // namespace kafkit::protocol::detail
