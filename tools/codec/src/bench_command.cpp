#include "kafkit/codec/commands.hpp"

#include "kafkit/protocol/codec_bench.hpp"

#include <iomanip>
#include <ostream>

namespace kafkit::codec {

int bench_command(std::chrono::milliseconds per_case, std::ostream& out) {
    const auto results = protocol::run_codec_benchmarks(per_case);
    out << std::left << std::setw(32) << "CASE" << std::right << std::setw(12) << "MB/s" << std::setw(16)
        << "items/s" << '\n';
    out << std::fixed;
    for (const auto& r : results) {
        out << std::left << std::setw(32) << r.name << std::right << std::setw(12) << std::setprecision(1)
            << r.bytes_per_second / 1e6 << std::setw(16) << std::setprecision(0) << r.items_per_second << '\n';
    }
    return 0;
}

} // namespace kafkit::codec
