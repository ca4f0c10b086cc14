// The memory log and the file log driven by the same random sequence of calls must answer
// every query alike: offsets, sizes, summaries and the bytes of reads. The file log is also
// reopened now and then, so recovery must rebuild exactly the state it had.

#include "storage_fixture.hpp"

using namespace kafkit;
using namespace kafkit::testing;

namespace {

void check_same_state(test_log& memory, test_log& file, std::mt19937& rng) {
    REQUIRE(memory->log_start_offset() == file->log_start_offset());
    REQUIRE(memory->log_end_offset() == file->log_end_offset());
    REQUIRE(memory->size_bytes() == file->size_bytes());
    REQUIRE(memory->batches().size() == file->batches().size());
    for (std::size_t i = 0; i < memory->batches().size(); ++i) check_same_summary(memory->batches()[i], file->batches()[i]);
    const std::int64_t end = memory->log_end_offset();
    for (int probe = 0; probe < 4; ++probe) {
        const std::int64_t offset = std::uniform_int_distribution<std::int64_t>(0, end + 1)(rng);
        const std::size_t max_bytes = std::uniform_int_distribution<std::size_t>(0, 1500)(rng);
        const bool at_least_one = (rng() & 1) != 0;
        CAPTURE(offset);
        CAPTURE(max_bytes);
        CAPTURE(at_least_one);
        const auto a = read_all(*memory, offset, max_bytes, at_least_one);
        const auto b = read_all(*file, offset, max_bytes, at_least_one);
        REQUIRE(a == b);
        if (!a.empty()) {
            // Whole batches, the first holding `offset` (or the first after it); past
            // max_bytes only as a single batch under at_least_one (KIP-74).
            const auto bases = base_offsets(a);
            REQUIRE_FALSE(bases.empty());
            if (a.size() > max_bytes) {
                CHECK(at_least_one);
                CHECK(bases.size() == 1);
            }
            const auto& batches = memory->batches();
            auto holder = std::find_if(batches.begin(), batches.end(),
                                       [&](const broker::batch_summary& s) { return s.last_offset >= offset; });
            REQUIRE(holder != batches.end());
            CHECK(bases.front() == holder->base_offset);
        }
    }
}

} // namespace

TEST_CASE("storage: the memory and file logs stay identical under the same random calls") {
    for (std::uint32_t seed : {1u, 2u, 3u}) {
        CAPTURE(seed);
        std::mt19937 rng(seed);
        const std::int64_t segment_bytes = std::uniform_int_distribution<std::int64_t>(100, 900)(rng);
        test_log memory(log_kind::memory, segment_bytes);
        test_log file(log_kind::file, segment_bytes);
        std::int64_t now = 10'000;
        for (int step = 0; step < 300; ++step) {
            CAPTURE(step);
            const int op = std::uniform_int_distribution<int>(0, 99)(rng);
            if (op < 70) {
                batch_spec spec;
                spec.records = std::uniform_int_distribution<std::int32_t>(1, 5)(rng);
                spec.value_size = std::uniform_int_distribution<std::size_t>(0, 200)(rng);
                spec.timestamp = now;
                spec.codec = (rng() % 4 == 0) ? protocol::compression_codec::gzip : protocol::compression_codec::none;
                auto batch = make_batch(memory->log_end_offset(), spec);
                auto summary = broker::summarize_batch(protocol::bytes_view(batch.data(), batch.size()));
                REQUIRE(summary.has_value());
                const protocol::bytes_view view(batch.data(), batch.size());
                REQUIRE_FALSE(memory->append(view, *summary));
                REQUIRE_FALSE(file->append(view, *summary));
                now += std::uniform_int_distribution<std::int64_t>(0, 50)(rng);
            } else if (op < 78) {
                const std::int64_t start = memory->log_start_offset();
                const std::int64_t end = memory->log_end_offset();
                const std::int64_t to = std::uniform_int_distribution<std::int64_t>(start, end)(rng);
                CHECK(memory->delete_before(to) == file->delete_before(to));
            } else if (op < 86) {
                const std::int64_t retention_ms = (rng() & 1) ? std::uniform_int_distribution<std::int64_t>(0, 400)(rng) : -1;
                const std::int64_t retention_bytes = (rng() & 1) ? std::uniform_int_distribution<std::int64_t>(0, 4000)(rng) : -1;
                CHECK(memory->apply_retention(now, retention_ms, retention_bytes) ==
                      file->apply_retention(now, retention_ms, retention_bytes));
            } else if (op < 92) {
                REQUIRE_FALSE(file->flush());
                file.reopen();
            } else {
                REQUIRE_FALSE(file->flush());
            }
            check_same_state(memory, file, rng);
        }
        CHECK(memory->log_end_offset() > 100);
    }
}
