// Behaviour both partition logs share, run against the memory log and the file log alike:
// appends and reads across segment rolls, KIP-74's at_least_one, reads from inside a batch,
// DeleteRecords, retention by time and by size, and the batch summaries.

#include "storage_fixture.hpp"

using namespace kafkit;
using namespace kafkit::testing;

namespace {

const std::vector<log_kind> both = {log_kind::memory, log_kind::file};

/// Concatenation of the given batches.
std::vector<std::uint8_t> concat(const std::vector<std::vector<std::uint8_t>>& batches, std::size_t from = 0,
                                 std::size_t to = SIZE_MAX) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = from; i < std::min(to, batches.size()); ++i)
        out.insert(out.end(), batches[i].begin(), batches[i].end());
    return out;
}

} // namespace

TEST_CASE("storage: appends across segment rolls and reads every batch back byte for byte") {
    for (auto kind : both) {
        test_log log(kind, 250);
        CAPTURE(log.name());
        std::vector<std::vector<std::uint8_t>> batches;
        std::vector<std::int64_t> expected_segments;
        std::uint64_t active = 0;
        for (int i = 0; i < 10; ++i) {
            batch_spec spec;
            spec.records = 3;
            spec.value_size = 10;
            const auto base = log->log_end_offset();
            batches.push_back(append_batch(*log, spec));
            // Kafka's roll rule: a non-empty segment that this batch would take past 250 bytes.
            if (expected_segments.empty() || (active > 0 && active + batches.back().size() > 250)) {
                expected_segments.push_back(base);
                active = 0;
            }
            active += batches.back().size();
        }
        CHECK(log->log_start_offset() == 0);
        CHECK(log->log_end_offset() == 30);
        CHECK(log->size_bytes() == concat(batches).size());
        REQUIRE(log->batches().size() == 10);
        CHECK(log->batches()[4].base_offset == 12);
        CHECK(log->batches()[4].last_offset == 14);
        CHECK(expected_segments.size() > 3);
        if (kind == log_kind::file) CHECK(segment_files(log.dir()) == expected_segments);

        CHECK(read_all(*log, 0) == concat(batches));
        // Every offset reads from the start of the batch holding it, across segments.
        for (std::int64_t offset = 0; offset < 30; ++offset)
            CHECK(read_all(*log, offset) == concat(batches, static_cast<std::size_t>(offset / 3)));
        std::vector<std::uint8_t> out{1, 2, 3};
        CHECK(log->read(30, 1000, true, out) == 0);
        CHECK(log->read(99, 1000, true, out) == 0);
        CHECK(out == std::vector<std::uint8_t>{1, 2, 3});
    }
}

TEST_CASE("storage: reads stop at max_bytes on whole batches, and at_least_one lets one big batch through (KIP-74)") {
    for (auto kind : both) {
        test_log log(kind, 1 << 20);
        CAPTURE(log.name());
        std::vector<std::vector<std::uint8_t>> batches;
        for (int i = 0; i < 4; ++i) {
            batch_spec spec;
            spec.records = 2;
            spec.value_size = 100;
            batches.push_back(append_batch(*log, spec));
        }
        const std::size_t one = batches[0].size();
        // Smaller than the first batch: nothing, unless at_least_one.
        CHECK(read_all(*log, 0, one - 1, false).empty());
        CHECK(read_all(*log, 0, one - 1, true) == batches[0]);
        CHECK(read_all(*log, 0, 0, true) == batches[0]);
        CHECK(read_all(*log, 0, 0, false).empty());
        // Exactly two batches, or a bit more: two; at_least_one changes nothing then.
        const std::size_t two = batches[0].size() + batches[1].size();
        CHECK(read_all(*log, 0, two, false) == concat(batches, 0, 2));
        CHECK(read_all(*log, 0, two + one / 2, true) == concat(batches, 0, 2));
        // From the middle of batch 2's offsets (4, 5): batch 2 whole, then batch 3.
        const auto from_middle = read_all(*log, 5, 1 << 20, false);
        CHECK(base_offsets(from_middle) == std::vector<std::int64_t>{4, 6});
        CHECK(from_middle == concat(batches, 2));
    }
}

TEST_CASE("storage: reads that span segments keep to max_bytes and to whole batches") {
    for (auto kind : both) {
        test_log log(kind, 200); // about one 3-record batch per segment
        CAPTURE(log.name());
        std::vector<std::vector<std::uint8_t>> batches;
        for (int i = 0; i < 6; ++i) {
            batch_spec spec;
            spec.records = 3;
            spec.value_size = 30;
            batches.push_back(append_batch(*log, spec));
        }
        const std::size_t three = concat(batches, 1, 4).size();
        CHECK(read_all(*log, 3, three, false) == concat(batches, 1, 4));
        CHECK(read_all(*log, 3, three - 1, false) == concat(batches, 1, 3));
        CHECK(read_all(*log, 17, 1, false).empty());
        CHECK(read_all(*log, 17, 1, true) == batches[5]);
    }
}

TEST_CASE("storage: an append whose base offset is not the log end offset is refused") {
    for (auto kind : both) {
        test_log log(kind, 1 << 20);
        CAPTURE(log.name());
        append_batch(*log);
        auto wrong = make_batch(5);
        auto summary = broker::summarize_batch(protocol::bytes_view(wrong.data(), wrong.size()));
        REQUIRE(summary.has_value());
        CHECK(log->append(protocol::bytes_view(wrong.data(), wrong.size()), *summary) ==
              std::make_error_code(std::errc::invalid_argument));
        CHECK(log->log_end_offset() == 1);
        CHECK(log->batches().size() == 1);
    }
}

TEST_CASE("storage: delete_before moves the start offset and drops the segments wholly below it") {
    for (auto kind : both) {
        test_log log(kind, 200);
        CAPTURE(log.name());
        std::vector<std::vector<std::uint8_t>> batches;
        for (int i = 0; i < 6; ++i) {
            batch_spec spec;
            spec.records = 3;
            spec.value_size = 30; // one batch per segment
            batches.push_back(append_batch(*log, spec));
        }
        const auto full = log->size_bytes();
        CHECK_FALSE(log->delete_before(7));
        CHECK(log->log_start_offset() == 7);
        // Batches 0-2 and 3-5 are below 7: their segments go; 6-8 holds 7 and stays.
        REQUIRE(log->batches().size() == 4);
        CHECK(log->batches().front().base_offset == 6);
        CHECK(log->size_bytes() == full - batches[0].size() - batches[1].size());
        CHECK(base_offsets(read_all(*log, 7)).front() == 6);
        if (kind == log_kind::file) CHECK(segment_files(log.dir()).front() == 6);

        // Backwards is a no-op; past the end is an error.
        CHECK_FALSE(log->delete_before(3));
        CHECK(log->log_start_offset() == 7);
        CHECK(log->delete_before(19) == std::make_error_code(std::errc::invalid_argument));
        CHECK(log->log_start_offset() == 7);

        // Up to the end: nothing readable stays; appends carry on at the end.
        CHECK_FALSE(log->delete_before(18));
        CHECK(log->log_start_offset() == 18);
        CHECK(log->log_end_offset() == 18);
        CHECK(log->batches().empty());
        CHECK(log->size_bytes() == 0);
        CHECK(read_all(*log, 18).empty());
        const auto next = append_batch(*log);
        CHECK(log->log_end_offset() == 19);
        CHECK(read_all(*log, 18) == next);
        CHECK(log->log_start_offset() == 18);
    }
}

TEST_CASE("storage: retention by time drops old segments, never the active one") {
    for (auto kind : both) {
        test_log log(kind, 150); // one batch per segment
        CAPTURE(log.name());
        const std::vector<std::int64_t> times = {1000, 2000, 3000, 4000};
        for (auto t : times) {
            batch_spec spec;
            spec.records = 2;
            spec.value_size = 30;
            spec.timestamp = t - 10;
            spec.step = 10; // max timestamp of the batch: t
            append_batch(*log, spec);
        }
        REQUIRE(log->batches().size() == 4);
        CHECK(log->batches()[1].max_timestamp == 2000);
        // now 3500, retention 1000 ms: max timestamps 1000 and 2000 are more than 1000 ms old.
        CHECK(log->apply_retention(3500, 1000, -1));
        CHECK(log->log_start_offset() == 4);
        REQUIRE(log->batches().size() == 2);
        CHECK(log->batches().front().base_offset == 4);
        // Exactly retention_ms old is kept (Kafka: strictly older).
        CHECK_FALSE(log->apply_retention(4000, 1000, -1));
        // Everything old: all but the active segment go.
        CHECK(log->apply_retention(1'000'000, 1000, -1));
        CHECK(log->log_start_offset() == 6);
        CHECK(log->batches().size() == 1);
        CHECK(log->log_end_offset() == 8);
        CHECK_FALSE(log->apply_retention(1'000'000, -1, -1));
        if (kind == log_kind::file) CHECK(segment_files(log.dir()) == std::vector<std::int64_t>{6});
    }
}

TEST_CASE("storage: retention by size drops the oldest segments while the rest still reaches retention.bytes") {
    for (auto kind : both) {
        test_log log(kind, 150);
        CAPTURE(log.name());
        std::vector<std::vector<std::uint8_t>> batches;
        for (int i = 0; i < 5; ++i) {
            batch_spec spec;
            spec.records = 2;
            spec.value_size = 30;
            batches.push_back(append_batch(*log, spec));
        }
        const auto size = static_cast<std::int64_t>(batches[0].size()); // every batch has the same size
        for (const auto& b : batches) REQUIRE(static_cast<std::int64_t>(b.size()) == size);
        // 5 segments; keep at least 2.5 segments' worth: dropping 2 leaves 3 >= 2.5, a third would leave 2.
        CHECK(log->apply_retention(0, -1, size * 5 / 2));
        CHECK(log->log_start_offset() == 4);
        CHECK(log->size_bytes() == static_cast<std::uint64_t>(3 * size));
        // Exactly 2 segments' worth: one more goes (3 - 1 >= 2).
        CHECK(log->apply_retention(0, -1, 2 * size));
        CHECK(log->log_start_offset() == 6);
        CHECK_FALSE(log->apply_retention(0, -1, 2 * size));
        // Retention 0: everything but the active segment.
        CHECK(log->apply_retention(0, -1, 0));
        CHECK(log->log_start_offset() == 8);
        CHECK(log->size_bytes() == static_cast<std::uint64_t>(size));
        CHECK(read_all(*log, 8) == batches[4]);
    }
}

TEST_CASE("storage: batch summaries carry the header fields and the first offset of the max timestamp") {
    for (auto kind : both) {
        test_log log(kind, 1 << 20);
        CAPTURE(log.name());
        batch_spec idempotent;
        idempotent.records = 4;
        idempotent.timestamps = {50, 90, 90, 10};
        idempotent.producer_id = 77;
        idempotent.producer_epoch = 3;
        idempotent.base_sequence = 12;
        idempotent.leader_epoch = 5;
        idempotent.transactional = true;
        append_batch(*log); // offset 0
        append_batch(*log, idempotent);
        const auto& s = log->batches().at(1);
        CHECK(s.base_offset == 1);
        CHECK(s.last_offset == 4);
        CHECK(s.record_count == 4);
        CHECK(s.max_timestamp == 90);
        CHECK(s.offset_of_max_timestamp == 2); // offsets 2 and 3 hold 90: the first one
        CHECK(s.producer_id == 77);
        CHECK(s.producer_epoch == 3);
        CHECK(s.base_sequence == 12);
        CHECK(s.leader_epoch == 5);
        CHECK(s.transactional);
        CHECK_FALSE(s.control);
        const auto& plain = log->batches().at(0);
        CHECK(plain.producer_id == -1);
        CHECK(plain.offset_of_max_timestamp == 0);
    }
}
