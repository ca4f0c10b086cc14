// libFuzzer target: the `records` blob of a Produce request or Fetch response. Walks every
// batch (v2 and legacy, decompressing), touches every byte the records view, parses control
// records, and rebuilds each v2 batch with record_batch_builder to check that the builder
// writes what the reader read.

#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

using namespace kafkit::protocol;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz property broken: %s\n", what);
    std::abort();
}

// Reads every byte a view points at, so ASan sees a view that outlived its buffer.
std::uint32_t touch(std::optional<bytes_view> bytes) {
    std::uint32_t sum = 0;
    if (bytes) {
        for (std::uint8_t b : *bytes) sum += b;
    }
    return sum;
}

bool same_records(std::span<const record> a, std::span<const record> b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const record& x = a[i];
        const record& y = b[i];
        if (x.offset != y.offset || x.timestamp != y.timestamp || x.key != y.key || x.value != y.value ||
            x.attributes != y.attributes || x.headers.size() != y.headers.size()) {
            return false;
        }
        for (std::size_t h = 0; h < x.headers.size(); ++h) {
            if (!(x.headers[h] == y.headers[h])) return false;
        }
    }
    return true;
}

// A v2 batch written again from its decoded header and records must read back the same.
void check_rebuild(const record_batch& batch) {
    record_batch_builder builder(options_from(batch.header()));
    for (const record& r : batch.records()) builder.append(r);
    auto bytes = builder.finish();
    if (!bytes) fail("a decoded batch does not encode");
    auto again = read_record_batches(*bytes, {crc_check::verify});
    if (!again) fail("a rebuilt batch does not decode");
    if (again->size() != 1) fail("a rebuilt batch reads as another number of batches");
    const record_batch_header& h = (*again)[0].header();
    const record_batch_header& o = batch.header();
    if (h.base_offset != o.base_offset || h.attributes != o.attributes || h.producer_id != o.producer_id ||
        h.producer_epoch != o.producer_epoch || h.base_sequence != o.base_sequence ||
        h.record_count != static_cast<std::int32_t>(batch.records().size())) {
        fail("a rebuilt batch has another header");
    }
    if (!same_records(batch.records(), (*again)[0].records())) fail("a rebuilt batch has other records");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const bytes_view input(data, size);
    (void)read_record_batch_header(input);

    // CRCs are skipped so the fuzzer gets past them; each batch is then read once more
    // with verification, which must agree on everything but the checksum.
    record_batch_reader reader(input, {crc_check::skip, 16u << 20});
    record_batch batch;
    std::uint32_t sum = 0;
    for (;;) {
        auto more = reader.next(batch);
        if (!more || !*more) break;
        for (const record& r : batch.records()) {
            sum += touch(r.key) + touch(r.value);
            for (const record_header& h : r.headers) sum += touch(h.value) + static_cast<std::uint32_t>(h.key.size());
            if (batch.header().is_control()) (void)read_control_record(r);
        }
        auto verified = read_record_batches(batch.raw(), {crc_check::verify, 16u << 20});
        if (!verified && verified.error() != kafkit::errc::crc_mismatch) fail("verifying the CRC changed the outcome");
        if (batch.header().magic == 2) check_rebuild(batch);
    }
    if (reader.position() > size) fail("the reader went past its input");
    return static_cast<int>(sum & 0);
}
