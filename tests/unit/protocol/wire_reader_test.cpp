#include "kafkit/protocol/wire_reader.hpp"
#include "kafkit/protocol/wire_writer.hpp"

#include <doctest/doctest.h>

#include <ostream>
#include <string>
#include <vector>

using namespace kafkit::protocol;

namespace {
wire_reader reader_of(const std::vector<std::uint8_t>& bytes) { return wire_reader({bytes.data(), bytes.size()}); }
} // namespace

TEST_CASE("wire_reader: reads big-endian integers and stops, sticky, at the end") {
    const std::vector<std::uint8_t> bytes = {0x01, 0x02, 0xff, 0xff, 0xff, 0xfe, 0x07};
    auto r = reader_of(bytes);
    CHECK(r.read_int16() == 0x0102);
    CHECK(r.read_int32() == -2);
    CHECK(r.read_int16() == 0); // one byte left: truncated
    CHECK(r.error() == kafkit::errc::truncated);
    CHECK(r.error_offset() == 6);
    CHECK(r.read_int8() == 0); // still failed: the remaining byte is not handed out
    CHECK(r.error() == kafkit::errc::truncated);
}

TEST_CASE("wire_reader: varints round-trip through the writer, overlong ones are refused") {
    for (std::int64_t v : std::initializer_list<std::int64_t>{0, 1, -1, 63, -64, 300, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN}) {
        std::vector<std::uint8_t> out(16);
        wire_writer w(out.data(), out.size());
        w.write_varlong(v);
        out.resize(w.written());
        auto r = reader_of(out);
        CHECK(r.read_varlong() == v);
        CHECK(r.at_end());
    }
    const std::vector<std::uint8_t> overlong = {0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    auto r = reader_of(overlong);
    (void)r.read_uvarint();
    CHECK(r.error() == kafkit::errc::malformed_frame);
}

TEST_CASE("wire_reader: a length past the end or below -1 fails at the length, without allocating") {
    const std::vector<std::uint8_t> huge = {0x00, 0x00, 0x7f, 0xff, 0xff, 0xff, 'a'};
    auto r = reader_of(huge);
    (void)r.read_int16();
    (void)r.read_nullable_bytes(false); // the value after a failure is a placeholder
    CHECK(r.error() == kafkit::errc::truncated);
    CHECK(r.error_offset() == 2);

    const std::vector<std::uint8_t> negative = {0xff, 0xfe};
    auto n = reader_of(negative);
    (void)n.read_nullable_string(false);
    CHECK(n.error() == kafkit::errc::malformed_frame);
    CHECK(n.error_offset() == 0);
}

TEST_CASE("wire_reader: null is allowed only where asked for") {
    const std::vector<std::uint8_t> null_string = {0xff, 0xff};
    auto nullable = reader_of(null_string);
    CHECK_FALSE(nullable.read_nullable_string(false).has_value());
    CHECK(nullable.ok());
    auto required = reader_of(null_string);
    (void)required.read_string(false);
    CHECK(required.error() == kafkit::errc::malformed_frame);
    const std::vector<std::uint8_t> compact_null = {0x00};
    auto compact = reader_of(compact_null);
    CHECK_FALSE(compact.read_nullable_bytes(true).has_value());
    CHECK(compact.ok());
}

TEST_CASE("wire_writer: refuses to overrun its buffer and a classic string over 32767 bytes") {
    std::vector<std::uint8_t> out(3);
    wire_writer w(out.data(), out.size());
    w.write_int32(1);
    CHECK(w.error() == kafkit::errc::too_large);
    size_counter counter;
    counter.write_string(std::string(40000, 'x'), false);
    CHECK(counter.error() == kafkit::errc::invalid_field_value);
    size_counter compact;
    compact.write_string(std::string(40000, 'x'), true);
    CHECK(compact.ok());
    CHECK(compact.size() == 40000 + uvarint_size(40001));
}
