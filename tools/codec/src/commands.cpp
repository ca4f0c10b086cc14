#include "kafkit/codec/commands.hpp"

#include "kafkit/codec/roundtrip.hpp"
#include "kafkit/protocol/messages/api_table.hpp"

#include <iomanip>
#include <istream>
#include <iterator>
#include <ostream>

namespace kafkit::codec {
namespace {

std::string api_label(std::int16_t api_key) {
    const protocol::api_info* api = protocol::find_api(api_key);
    const std::string name = api != nullptr ? std::string(api->name) : std::string("Unknown");
    return name + "(" + std::to_string(api_key) + ")";
}

// In `refused` mode a frame passes only when the decoder refused it: a frame that decoded
// (whatever came next) was read although it breaks its schema.
std::optional<std::string> judge(const roundtrip_outcome& outcome, corpus_expectation expect) {
    if (expect == corpus_expectation::conforms) {
        if (outcome.passed()) return std::nullopt;
        return outcome.reason;
    }
    if (outcome.status == frame_status::decode_failed) return std::nullopt;
    if (outcome.passed()) return std::string("decoded and re-encoded although nonconformant");
    return "decoded although nonconformant, then: " + outcome.reason;
}

void check_file(const std::string& path, corpus_expectation expect, roundtrip_totals& totals, std::ostream& out) {
    auto file = read_corpus_file(path);
    if (!file) {
        out << path << ": cannot read: " << file.error().message() << '\n';
        ++totals.failed;
        return;
    }
    for (const auto& problem : file->problems) {
        out << problem << '\n';
        ++totals.failed;
    }
    for (const auto& frame : file->frames) {
        const roundtrip_outcome outcome = check_corpus_frame(frame);
        if (auto why = judge(outcome, expect)) {
            out << frame.file << ':' << frame.line << ": " << api_label(frame.api_key) << " v" << frame.api_version
                << ' ' << to_string(frame.dir) << ": " << *why << '\n';
            ++totals.failed;
            continue;
        }
        ++totals.passed;
        totals.batches += outcome.records.batches;
        totals.records += outcome.records.records;
        if (outcome.v0_fallback) ++totals.v0_fallbacks;
    }
}

} // namespace

roundtrip_totals run_roundtrip(const roundtrip_options& options, std::ostream& out) {
    roundtrip_totals totals;
    for (const auto& path : options.files) check_file(path, options.expect, totals, out);
    out << totals.passed << " passed, " << totals.failed << " failed\n";
    out << totals.batches << " record batches, " << totals.records << " records decoded";
    if (totals.v0_fallbacks > 0) out << "; " << totals.v0_fallbacks << " ApiVersions v0 fallbacks";
    out << '\n';
    return totals;
}

int roundtrip_command(const roundtrip_options& options, std::ostream& out) {
    const roundtrip_totals totals = run_roundtrip(options, out);
    return totals.failed == 0 ? 0 : 1;
}

int decode_command(const decode_options& options, std::istream& in, std::ostream& out, std::ostream& err) {
    std::string text = options.hex;
    if (text.empty() || text == "-") text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    auto bytes = parse_hex(text);
    if (!bytes) {
        err << "kafkit-codec decode: the input is not hex (" << bytes.error().message() << ")\n";
        return 2;
    }
    const auto rendered = render_frame(options.dir, options.api_key, options.api_version,
                                       protocol::bytes_view(bytes->data(), bytes->size()), options.part);
    if (!rendered.json) {
        err << "kafkit-codec decode: " << api_label(options.api_key) << " v" << options.api_version << ' '
            << to_string(options.dir) << ": " << rendered.reason << '\n';
        return 1;
    }
    out << rendered.json->dump(options.compact ? -1 : 2) << '\n';
    return 0;
}

int apis_command(std::ostream& out) {
    out << std::left << std::setw(5) << "KEY" << std::setw(30) << "NAME" << std::setw(10) << "VERSIONS"
        << "FIRST FLEXIBLE\n";
    for (const protocol::api_info& api : protocol::api_table()) {
        const std::string versions = std::to_string(api.min_version) + "-" + std::to_string(api.max_version);
        std::string flexible =
            api.first_flexible_version < 0 ? std::string("-") : std::to_string(api.first_flexible_version);
        if (api.response_first_flexible_version != api.first_flexible_version) {
            flexible += " (response " + std::to_string(api.response_first_flexible_version) + ")";
        }
        out << std::setw(5) << api.key << std::setw(30) << api.name << std::setw(10) << versions << flexible << '\n';
    }
    return 0;
}

} // namespace kafkit::codec
