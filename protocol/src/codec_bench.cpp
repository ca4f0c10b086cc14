#include "kafkit/protocol/codec_bench.hpp"

#include "kafkit/protocol/compression.hpp"
#include "kafkit/protocol/crc32c.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>

namespace kafkit::protocol {
namespace {

using bench_clock = std::chrono::steady_clock;

constexpr std::size_t buffer_size = std::size_t{1} << 20;
constexpr int records_per_batch = 1000;
constexpr std::size_t value_size = 100;

// Tells the compiler the pointed-to memory is read and written, so the work that produced
// it cannot be removed.
void keep(const void* p) noexcept { asm volatile("" : : "r"(p) : "memory"); }
template <class T>
void keep_value(T v) noexcept {
    asm volatile("" : : "r"(v) : "memory");
}

// Runs `step` (which processes `bytes` bytes and `items` items) until `duration` passes.
template <class Step>
bench_result measure(std::string name, std::chrono::milliseconds duration, double bytes, double items, Step step) {
    step(); // warm caches, contexts and buffers
    std::uint64_t iterations = 0;
    const auto start = bench_clock::now();
    auto now = start;
    do {
        step();
        ++iterations;
        now = bench_clock::now();
    } while (now - start < duration);
    const double seconds = std::chrono::duration<double>(now - start).count();
    const double n = static_cast<double>(iterations);
    return {std::move(name), bytes * n / seconds, items * n / seconds};
}

// Values that compress like typical event payloads: JSON-ish text with varying fields.
std::vector<std::string> make_values() {
    static constexpr std::array<const char*, 6> events = {"click", "view", "purchase", "scroll", "login", "logout"};
    std::mt19937 rng(42);
    std::vector<std::string> values;
    values.reserve(records_per_batch);
    for (int i = 0; i < records_per_batch; ++i) {
        std::string v = "{\"id\":" + std::to_string(rng() % 1000000) + ",\"user\":\"user_" +
                        std::to_string(rng() % 5000) + "\",\"event\":\"" + events[rng() % events.size()] +
                        "\",\"ts\":" + std::to_string(1700000000000ull + rng() % 100000) + ",\"pad\":\"";
        while (v.size() < value_size - 2) v.push_back(static_cast<char>('a' + rng() % 26));
        v += "\"}";
        values.push_back(std::move(v));
    }
    return values;
}

void add_crc_and_memcpy_cases(std::vector<bench_result>& results, std::chrono::milliseconds per_case) {
    std::vector<std::uint8_t> data(buffer_size);
    std::mt19937 rng(7);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    const bytes_view view(data.data(), data.size());
    const auto bytes = static_cast<double>(buffer_size);
    if (crc32c_hardware_available()) {
        results.push_back(measure("crc32c/hardware/1MiB", per_case, bytes, 1, [&] { keep_value(crc32c(view)); }));
    }
    results.push_back(
        measure("crc32c/software/1MiB", per_case, bytes, 1, [&] { keep_value(crc32c_software(view)); }));
    std::vector<std::uint8_t> copy(buffer_size);
    results.push_back(measure("memcpy/1MiB", per_case, bytes, 1, [&] {
        std::memcpy(copy.data(), data.data(), buffer_size);
        keep(copy.data());
    }));
}

void add_batch_cases(std::vector<bench_result>& results, std::chrono::milliseconds per_case,
                     compression_codec codec, const std::vector<std::string>& values) {
    record_batch_options options;
    options.codec = codec;
    options.producer_id = 1000;
    options.producer_epoch = 0;
    options.base_sequence = 0;
    record_batch_builder builder;
    const std::int64_t timestamp = 1700000000000;
    auto encode = [&] {
        builder.reset(options);
        for (int i = 0; i < records_per_batch; ++i) {
            builder.append(timestamp + i, std::nullopt, bytes_view::of(values[static_cast<std::size_t>(i)]));
        }
        auto batch = builder.finish();
        keep(batch ? batch->data() : nullptr);
    };
    encode();
    const auto bytes = static_cast<double>(builder.uncompressed_size());
    const std::string suffix(to_string(codec));
    results.push_back(measure("batch_encode/" + suffix, per_case, bytes, records_per_batch, encode));

    std::vector<std::uint8_t> encoded;
    builder.reset(options);
    for (int i = 0; i < records_per_batch; ++i) {
        builder.append(timestamp + i, std::nullopt, bytes_view::of(values[static_cast<std::size_t>(i)]));
    }
    if (!builder.finish(encoded)) return;
    record_batch batch;
    results.push_back(measure("batch_decode/" + suffix, per_case, bytes, records_per_batch, [&] {
        record_batch_reader reader({encoded.data(), encoded.size()});
        std::size_t total = 0;
        while (true) {
            auto more = reader.next(batch);
            if (!more || !*more) break;
            for (const record& r : batch.records()) total += r.value ? r.value->size() : 0;
        }
        keep_value(total);
    }));
}

} // namespace

std::vector<bench_result> run_codec_benchmarks(std::chrono::milliseconds per_case) {
    std::vector<bench_result> results;
    add_crc_and_memcpy_cases(results, per_case);
    const std::vector<std::string> values = make_values();
    for (compression_codec codec : {compression_codec::none, compression_codec::gzip, compression_codec::snappy,
                                    compression_codec::lz4, compression_codec::zstd}) {
        add_batch_cases(results, per_case, codec, values);
    }
    return results;
}

} // namespace kafkit::protocol
