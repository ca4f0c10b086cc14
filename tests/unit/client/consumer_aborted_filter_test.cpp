// aborted_filter: which batches read_committed skips, from batches built with the protocol's
// writer: a producer's transactional batches from the first offset of its aborted
// transaction up to its ABORT marker; committed transactions, other producers and
// non-transactional batches pass.

#include "consumer/aborted_filter.hpp"

#include "kafkit/protocol/record_batch.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using kafkit::detail::aborted_filter;
namespace protocol = kafkit::protocol;

namespace {

struct batch_spec {
    std::int64_t base_offset;
    std::int64_t producer_id;
    bool transactional;
    std::optional<protocol::control_record_type> marker; ///< a control batch with this marker
    int records = 2;
};

/// The batches of `specs`, encoded and decoded back.
std::vector<protocol::record_batch> batches(const std::vector<batch_spec>& specs, std::vector<std::uint8_t>& storage) {
    storage.clear();
    for (const auto& s : specs) {
        protocol::record_batch_options o;
        o.base_offset = s.base_offset;
        o.producer_id = s.producer_id;
        o.producer_epoch = 0;
        o.transactional = s.transactional;
        o.control = s.marker.has_value();
        protocol::record_batch_builder b(o);
        if (s.marker) {
            const auto m = protocol::encode_end_txn_marker(*s.marker, 0);
            b.append(1, protocol::bytes_view(m.key.data(), m.key.size()), protocol::bytes_view(m.value.data(), m.value.size()), {});
        } else {
            for (int i = 0; i < s.records; ++i) b.append(1, std::nullopt, protocol::bytes_view::of(std::string_view("v")), {});
        }
        auto bytes = b.release();
        REQUIRE(bytes.has_value());
        storage.insert(storage.end(), bytes->begin(), bytes->end());
    }
    auto read = protocol::read_record_batches(protocol::bytes_view(storage.data(), storage.size()));
    REQUIRE(read.has_value());
    return std::move(*read);
}

std::vector<bool> skipped(aborted_filter filter, const std::vector<protocol::record_batch>& read) {
    std::vector<bool> out;
    for (const auto& b : read) out.push_back(filter.skip(b));
    return out;
}

} // namespace

TEST_CASE("aborted_filter: an aborted transaction's batches are skipped up to its marker, the rest pass") {
    using protocol::control_record_type;
    std::vector<std::uint8_t> storage;
    const auto read = batches({{0, 7, true, std::nullopt},                    // 0-1 committed later
                               {2, 7, true, std::nullopt},                    // 2-3
                               {4, 7, false, control_record_type::commit, 1}, // 4: commit marker
                               {5, 7, true, std::nullopt},                    // 5-6 aborted
                               {7, 9, true, std::nullopt},                    // 7-8 other producer, committed
                               {9, -1, false, std::nullopt},                  // 9-10 not transactional
                               {11, 7, true, std::nullopt},                   // 11-12 still aborted
                               {13, 7, false, control_record_type::abort, 1}, // 13: abort marker
                               {14, 9, false, control_record_type::commit, 1},
                               {15, 7, true, std::nullopt}},                  // 15-16 a new transaction
                              storage);
    const std::vector<bool> expected = {false, false, false, true, false, false, true, false, false, false};
    CHECK(skipped(aborted_filter({{7, 5}}), read) == expected);
    // Without aborted transactions listed (read_uncommitted, or none aborted) nothing is skipped.
    CHECK(skipped(aborted_filter(), read) == std::vector<bool>(read.size(), false));
}

TEST_CASE("aborted_filter: several aborted transactions of different producers, in offset order") {
    using protocol::control_record_type;
    std::vector<std::uint8_t> storage;
    const auto read = batches({{0, 1, true, std::nullopt},
                               {2, 2, true, std::nullopt},
                               {4, 1, false, control_record_type::abort, 1},
                               {5, 2, true, std::nullopt},
                               {7, 2, false, control_record_type::abort, 1},
                               {8, 1, true, std::nullopt},
                               {10, 1, false, control_record_type::abort, 1}},
                              storage);
    // Producer 1 aborted twice (from 0 and from 8), producer 2 once (from 2).
    CHECK(skipped(aborted_filter({{1, 0}, {2, 2}, {1, 8}}), read) ==
          std::vector<bool>{true, true, false, true, false, true, false});
}
