#include "outcome.hpp"

#include "kafka_names.hpp"

#include "kafkit/protocol/error.hpp"

#include <cstdio>

namespace kafkit::admin_cli {

exit_status exit_status_for(std::error_code code) noexcept {
    if (code == errc::timed_out || code == errc::connection_failed || code == errc::disconnected)
        return exit_unreachable;
    return exit_operation_failed;
}

namespace {

/// The admin client's errors read "topic orders (broker's message): CODE: explanation";
/// under "kafkit: orders: " that becomes "CODE: explanation (broker's message)".
std::string without_entity(std::string_view entity, std::string_view message) {
    const auto at = message.find(entity);
    const auto head = message.substr(0, at);
    if (at == std::string_view::npos || (at > 0 && (head.back() != ' ' || head.find(' ') != head.size() - 1)))
        return std::string(message);
    std::string_view rest = message.substr(at + entity.size());
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == ':')) rest.remove_prefix(1);
    if (rest.starts_with("(")) {
        if (const auto close = rest.find("): "); close != std::string_view::npos)
            return std::string(rest.substr(close + 3)) + " " + std::string(rest.substr(0, close + 1));
    }
    return rest.empty() ? std::string(message) : std::string(rest);
}

} // namespace

void outcome::failed(std::string_view entity, std::error_code code, std::string_view full_message) {
    const std::string message = without_entity(entity, full_message);
    std::fprintf(stderr, "kafkit: %.*s: %.*s\n", static_cast<int>(entity.size()), entity.data(),
                 static_cast<int>(message.size()), message.data());
    failures_.push_back({std::string(entity), code, std::string(message)});
}

bool outcome::unreachable() const noexcept {
    for (const auto& f : failures_)
        if (f.code && exit_status_for(f.code) == exit_unreachable) return true;
    return false;
}

int outcome::status() const noexcept {
    if (failures_.empty()) return exit_success;
    return unreachable() ? exit_unreachable : exit_operation_failed;
}

nlohmann::json outcome::to_json() const {
    auto out = nlohmann::json::array();
    for (const auto& f : failures_) {
        nlohmann::json code = nullptr;
        if (f.code) code = error_code_name(f.code);
        out.push_back({{"entity", f.entity}, {"error", f.message}, {"code", code}});
    }
    return out;
}

} // namespace kafkit::admin_cli
