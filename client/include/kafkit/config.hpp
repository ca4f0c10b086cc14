#pragma once
// A client's configuration as the application writes it: Kafka's property names and string
// values (`bootstrap.servers`, `linger.ms`), plus the objects a string cannot carry (the
// log sink, a custom partitioner). Nothing is checked here: a producer or consumer built
// from it validates every property against kafkit's property table (docs/configuration.md)
// and throws kafkit::exception naming the first bad one.

#include "kafkit/log.hpp"

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace kafkit {

class partitioner;

/// Receives the client's statistics as one JSON object every `statistics.interval.ms`, on
/// the client's I/O thread. It must not block for long and must not throw.
using stats_sink = std::function<void(std::string_view json)>;

/// Property names and values, in the order of the names; the last set() of a name wins.
/// A plain value type: copy it, pass it between threads, reuse it for several clients.
class config {
public:
    /// An empty configuration (every property at its default).
    config() = default;
    /// `config{{"bootstrap.servers", "localhost:9092"}, {"linger.ms", "5"}}`.
    config(std::initializer_list<std::pair<std::string, std::string>> properties) {
        for (const auto& [name, value] : properties) set(name, value);
    }

    /// Sets `name` to `value`, replacing an earlier value. Returns *this for chaining.
    config& set(std::string_view name, std::string_view value) {
        values_.insert_or_assign(std::string(name), std::string(value));
        return *this;
    }
    /// The value set for `name`, or nullopt when it was never set (its default applies).
    [[nodiscard]] std::optional<std::string> get(std::string_view name) const {
        auto it = values_.find(name);
        if (it == values_.end()) return std::nullopt;
        return it->second;
    }
    /// Removes `name`, so its default applies again.
    config& unset(std::string_view name) {
        if (auto it = values_.find(name); it != values_.end()) values_.erase(it);
        return *this;
    }
    /// Every property that was set, by name.
    [[nodiscard]] const std::map<std::string, std::string, std::less<>>& values() const noexcept { return values_; }

    /// Where the client's log lines go; without a sink they are dropped.
    config& set_log_sink(log_sink sink) {
        log_sink_ = std::move(sink);
        return *this;
    }
    /// The sink set with set_log_sink (may be empty).
    [[nodiscard]] const log_sink& sink() const noexcept { return log_sink_; }

    /// A partitioner of the application's own, used instead of the `partitioner` property.
    config& set_partitioner(std::shared_ptr<partitioner> custom) {
        partitioner_ = std::move(custom);
        return *this;
    }
    /// The partitioner set with set_partitioner, or nullptr.
    [[nodiscard]] const std::shared_ptr<partitioner>& custom_partitioner() const noexcept { return partitioner_; }

    /// Where statistics go when `statistics.interval.ms` is above 0.
    config& set_stats_sink(stats_sink sink) {
        stats_sink_ = std::move(sink);
        return *this;
    }
    /// The sink set with set_stats_sink (may be empty).
    [[nodiscard]] const stats_sink& statistics_sink() const noexcept { return stats_sink_; }

private:
    std::map<std::string, std::string, std::less<>> values_;
    log_sink log_sink_;
    std::shared_ptr<partitioner> partitioner_;
    stats_sink stats_sink_;
};

} // namespace kafkit
