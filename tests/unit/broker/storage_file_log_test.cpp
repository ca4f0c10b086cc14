// The file log's own behaviour: Kafka-named segment and index files, recovery on open
// (same offsets and bytes; a torn or corrupted tail cut off; a missing or damaged index
// rebuilt), the persisted log start offset, and destroy.

#include "storage_fixture.hpp"

#include <fstream>
#include <iterator>

using namespace kafkit;
using namespace kafkit::testing;
namespace fs = std::filesystem;

namespace {

fs::path segment_path(const fs::path& dir, std::int64_t base, const char* extension) {
    char name[32];
    std::snprintf(name, sizeof name, "%020lld%s", static_cast<long long>(base), extension);
    return dir / name;
}

std::vector<std::uint8_t> file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void flip_byte(const fs::path& path, std::uint64_t position) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(f);
    f.seekg(static_cast<std::streamoff>(position));
    char c = 0;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(position));
    f.put(static_cast<char>(c ^ 0x5A));
}

/// A mix of batches: plain, idempotent, gzip-compressed with a max timestamp inside.
std::vector<std::vector<std::uint8_t>> fill(test_log& log, int count) {
    std::vector<std::vector<std::uint8_t>> batches;
    for (int i = 0; i < count; ++i) {
        batch_spec spec;
        spec.records = 1 + i % 3;
        spec.value_size = 40;
        spec.timestamp = 1000 + i * 100;
        if (i % 3 == 1) {
            spec.producer_id = 9;
            spec.producer_epoch = 1;
            spec.base_sequence = i;
        }
        if (i % 3 == 2) {
            spec.codec = protocol::compression_codec::gzip;
            spec.timestamps = {5000 + i, 7000 + i, 6000 + i}; // max at the second record
        }
        batches.push_back(append_batch(*log, spec));
    }
    return batches;
}

std::vector<std::uint8_t> concat(const std::vector<std::vector<std::uint8_t>>& batches, std::size_t count) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < count; ++i) out.insert(out.end(), batches[i].begin(), batches[i].end());
    return out;
}

void check_same_summaries(const std::vector<broker::batch_summary>& a, const std::vector<broker::batch_summary>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CAPTURE(i);
        check_same_summary(a[i], b[i]);
    }
}

} // namespace

TEST_CASE("file log: segments and indexes are Kafka-named files, one index entry per batch") {
    test_log log(log_kind::file, 1 << 20);
    auto batches = fill(log, 4);
    CHECK(fs::exists(log.dir() / "00000000000000000000.log"));
    CHECK(fs::exists(log.dir() / "00000000000000000000.index"));
    CHECK(fs::file_size(log.dir() / "00000000000000000000.log") == concat(batches, 4).size());
    CHECK(fs::file_size(log.dir() / "00000000000000000000.index") == 4 * 12);
    CHECK(file_bytes(log.dir() / "00000000000000000000.log") == concat(batches, 4));
    CHECK_FALSE(log->flush());
}

TEST_CASE("file log: reopening recovers the same offsets, bytes and summaries, and appends continue") {
    test_log log(log_kind::file, 300);
    auto batches = fill(log, 9);
    REQUIRE(segment_files(log.dir()).size() > 2);
    CHECK(log->batches()[2].offset_of_max_timestamp == log->batches()[2].base_offset + 1);
    const auto summaries = log->batches();
    const auto bytes = read_all(*log, 0);
    const auto end = log->log_end_offset();
    const auto size = log->size_bytes();
    CHECK_FALSE(log->flush());

    log.reopen();
    CHECK(log->log_start_offset() == 0);
    CHECK(log->log_end_offset() == end);
    CHECK(log->size_bytes() == size);
    CHECK(read_all(*log, 0) == bytes);
    check_same_summaries(log->batches(), summaries);

    auto more = append_batch(*log);
    CHECK(log->batches().back().base_offset == end);
    log.reopen();
    CHECK(log->log_end_offset() == end + 1);
    CHECK(read_all(*log, end) == more);
}

TEST_CASE("file log: a torn tail is cut after the last whole batch, in the log and its index") {
    for (std::uint64_t keep : {std::uint64_t{10}, std::uint64_t{30}, std::uint64_t{70}}) {
        CAPTURE(keep); // bytes of the last batch left: inside its header, or inside its records
        test_log log(log_kind::file, 1 << 20);
        auto batches = fill(log, 5);
        const auto summaries = log->batches();
        log.close();
        const auto path = segment_path(log.dir(), 0, ".log");
        fs::resize_file(path, concat(batches, 4).size() + keep);

        log.reopen();
        const std::int64_t cut_at = summaries[4].base_offset;
        CHECK(log->log_end_offset() == cut_at);
        CHECK(fs::file_size(path) == concat(batches, 4).size());
        CHECK(fs::file_size(segment_path(log.dir(), 0, ".index")) == 4 * 12);
        CHECK(read_all(*log, 0) == concat(batches, 4));
        check_same_summaries(log->batches(), {summaries.begin(), summaries.begin() + 4});

        // The next append takes the offset the torn batch had, and survives a reopen.
        auto next = append_batch(*log);
        log.reopen();
        CHECK(log->log_end_offset() == cut_at + 1);
        CHECK(read_all(*log, cut_at) == next);
    }
}

TEST_CASE("file log: a corrupted byte in the last batch fails its CRC and cuts it off") {
    test_log log(log_kind::file, 1 << 20);
    auto batches = fill(log, 4);
    const auto summaries = log->batches();
    log.close();
    // A byte inside the last batch's records, covered by its CRC32C.
    flip_byte(segment_path(log.dir(), 0, ".log"), concat(batches, 3).size() + batches[3].size() - 5);

    log.reopen();
    CHECK(log->log_end_offset() == summaries[3].base_offset);
    CHECK(log->batches().size() == 3);
    CHECK(read_all(*log, 0) == concat(batches, 3));
    CHECK(fs::file_size(segment_path(log.dir(), 0, ".log")) == concat(batches, 3).size());
}

TEST_CASE("file log: damage in an earlier segment cuts there and deletes the segments after it") {
    test_log log(log_kind::file, 200);
    auto batches = fill(log, 8);
    const auto segments = segment_files(log.dir());
    REQUIRE(segments.size() >= 4);
    log.close();
    // Corrupt the first batch of the second segment: the log ends where that segment began.
    flip_byte(segment_path(log.dir(), segments[1], ".log"), 40);

    log.reopen();
    CHECK(log->log_end_offset() == segments[1]);
    CHECK(segment_files(log.dir()) == std::vector<std::int64_t>{segments[0], segments[1]});
    CHECK_FALSE(fs::exists(segment_path(log.dir(), segments[2], ".index")));
    CHECK(fs::file_size(segment_path(log.dir(), segments[1], ".log")) == 0);
    CHECK(log->batches().back().last_offset + 1 == segments[1]);
    auto next = append_batch(*log);
    CHECK(read_all(*log, segments[1]) == next);
}

TEST_CASE("file log: a segment that does not continue the offsets before it is dropped with those after") {
    test_log log(log_kind::file, 200);
    fill(log, 8);
    const auto segments = segment_files(log.dir());
    REQUIRE(segments.size() >= 4);
    log.close();
    // Pretend segment 2 starts 5 offsets later: a gap that recovery must not paper over.
    fs::rename(segment_path(log.dir(), segments[2], ".log"), segment_path(log.dir(), segments[2] + 5, ".log"));

    log.reopen();
    CHECK(log->log_end_offset() == segments[2]);
    CHECK(segment_files(log.dir()) == std::vector<std::int64_t>{segments[0], segments[1]});
}

TEST_CASE("file log: a missing, short or garbled index is rebuilt from the log, byte for byte") {
    test_log log(log_kind::file, 1 << 20);
    fill(log, 6);
    const auto summaries = log->batches();
    const auto bytes = read_all(*log, 0);
    log.close();
    const auto index = segment_path(log.dir(), 0, ".index");
    const auto original = file_bytes(index);
    REQUIRE(original.size() == 6 * 12);

    SUBCASE("missing") { fs::remove(index); }
    SUBCASE("short, with a partial entry") { fs::resize_file(index, 2 * 12 + 5); }
    SUBCASE("a wrong position") { flip_byte(index, 3 * 12 + 7); }
    SUBCASE("a max timestamp offset outside its batch") { flip_byte(index, 2 * 12 + 8); }
    SUBCASE("longer than the log") {
        std::ofstream(index, std::ios::binary | std::ios::app) << std::string(24, '\0');
    }

    log.reopen();
    CHECK(file_bytes(index) == original);
    check_same_summaries(log->batches(), summaries);
    CHECK(read_all(*log, 0) == bytes);
}

TEST_CASE("file log: the log start offset moved by delete_before survives a restart") {
    test_log log(log_kind::file, 200);
    fill(log, 8);
    const auto end = log->log_end_offset();
    const std::int64_t middle = log->batches()[4].base_offset + 1; // inside batch 4
    CHECK_FALSE(log->delete_before(middle));
    const auto start_file = file_bytes(log.dir() / "log-start-offset");
    CHECK(std::string(start_file.begin(), start_file.end()) == std::to_string(middle) + "\n");
    const auto summaries = log->batches();
    log.reopen();
    CHECK(log->log_start_offset() == middle);
    CHECK(log->log_end_offset() == end);
    check_same_summaries(log->batches(), summaries);

    // Everything deleted: no segment left, and the offsets carry on after a restart.
    CHECK_FALSE(log->delete_before(end));
    CHECK(segment_files(log.dir()).empty());
    log.reopen();
    CHECK(log->log_start_offset() == end);
    CHECK(log->log_end_offset() == end);
    CHECK(log->batches().empty());
    auto next = append_batch(*log);
    CHECK(log->batches().front().base_offset == end);
    log.reopen();
    CHECK(log->log_start_offset() == end);
    CHECK(read_all(*log, end) == next);
}

TEST_CASE("file log: a start offset persisted before its segments were deleted is finished on open") {
    test_log log(log_kind::file, 200);
    fill(log, 8);
    const auto segments = segment_files(log.dir());
    REQUIRE(segments.size() >= 3);
    log.close();
    // As if the broker died between writing log-start-offset and deleting the segments.
    std::ofstream(log.dir() / "log-start-offset") << segments[2] << "\n";
    std::ofstream(log.dir() / "log-start-offset.tmp") << "garbage";
    log.reopen();
    CHECK(log->log_start_offset() == segments[2]);
    CHECK(segment_files(log.dir()).front() == segments[2]);
    CHECK_FALSE(fs::exists(log.dir() / "log-start-offset.tmp"));
}

TEST_CASE("file log: retention deletes segment files and its start offset holds after a restart") {
    test_log log(log_kind::file, 150);
    for (int i = 0; i < 4; ++i) {
        batch_spec spec;
        spec.records = 2;
        spec.value_size = 30;
        spec.timestamp = 1000 * (i + 1);
        append_batch(*log, spec);
    }
    REQUIRE(segment_files(log.dir()).size() == 4);
    CHECK(log->apply_retention(8000, 5000, -1)); // newest 1001 and 2001: too old; 3001 not
    CHECK(segment_files(log.dir()) == std::vector<std::int64_t>{4, 6});
    CHECK_FALSE(fs::exists(segment_path(log.dir(), 0, ".index")));
    CHECK_FALSE(log->flush());
    log.reopen();
    CHECK(log->log_start_offset() == 4);
    CHECK(log->log_end_offset() == 8);
    CHECK(log->batches().size() == 2);
}

TEST_CASE("file log: a batch larger than segment_bytes gets a segment of its own") {
    test_log log(log_kind::file, 100);
    append_batch(*log); // ~90 bytes
    batch_spec big;
    big.value_size = 500;
    auto large = append_batch(*log, big);
    append_batch(*log);
    CHECK(segment_files(log.dir()) == std::vector<std::int64_t>{0, 1, 2});
    log.reopen();
    CHECK(read_all(*log, 1, 10, true) == large);
}

TEST_CASE("file log: destroy removes the partition directory") {
    test_log log(log_kind::file, 1 << 20);
    fill(log, 3);
    REQUIRE(fs::exists(log.dir()));
    log->destroy();
    CHECK_FALSE(fs::exists(log.dir()));
    CHECK(log->batches().empty());
    CHECK_FALSE(log->flush());
}

TEST_CASE("file log: a directory that is not a log directory is an error at open") {
    temp_dir temp;
    std::ofstream(temp.path() / "plain-file") << "x";
    CHECK_THROWS_AS(broker::open_file_log(temp.path() / "plain-file", 1 << 20), std::system_error);
}

TEST_CASE("file log: only the active segment keeps its index open, and flush syncs sealed ones") {
    const auto open_fds = [] {
        return std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator{});
    };
    test_log log(log_kind::file, 100); // one batch per segment
    log.close();
    const auto before = open_fds();
    log.reopen();
    for (int i = 0; i < 20; ++i) append_batch(*log);
    REQUIRE(segment_files(log.dir()).size() == 20);
    CHECK(open_fds() - before == 21); // 20 .log files and the active .index
    CHECK_FALSE(log->flush());
    log.reopen();
    CHECK(open_fds() - before == 21);
    CHECK(log->log_end_offset() == 20);
}
