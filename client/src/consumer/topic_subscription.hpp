#pragma once
// What a subscribed consumer asked for: topic names and, as librdkafka writes them, regular
// expressions (an entry starting with '^', ECMAScript syntax, matched against the whole
// name). Patterns are resolved against the cluster's topics; internal topics ("__"-prefixed,
// or flagged so by the broker) match only by name when exclude.internal.topics is set.

#include "net/metadata_cache.hpp"

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

namespace kafkit::detail {

class topic_subscription {
public:
    topic_subscription() = default;
    /// Throws std::regex_error for a pattern that does not compile.
    explicit topic_subscription(const std::vector<std::string>& entries) {
        for (const auto& e : entries) {
            if (!e.empty() && e.front() == '^') {
                patterns_.emplace_back(e, std::regex(e, std::regex::ECMAScript | std::regex::optimize));
            } else {
                names_.push_back(e);
            }
        }
        std::sort(names_.begin(), names_.end());
        names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
    }

    [[nodiscard]] bool has_patterns() const noexcept { return !patterns_.empty(); }
    /// The topics named outright, sorted.
    [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
    /// The patterns as written, in the order given.
    [[nodiscard]] std::vector<std::string> patterns() const {
        std::vector<std::string> out;
        for (const auto& p : patterns_) out.push_back(p.first);
        return out;
    }

    /// Whether `topic` is subscribed (named, or matched by a pattern unless it is internal
    /// and internal topics are excluded).
    [[nodiscard]] bool matches(const std::string& topic, bool internal, bool exclude_internal) const {
        if (std::binary_search(names_.begin(), names_.end(), topic)) return true;
        if (exclude_internal && (internal || topic.rfind("__", 0) == 0)) return false;
        return std::any_of(patterns_.begin(), patterns_.end(),
                           [&](const auto& p) { return std::regex_match(topic, p.second); });
    }

    /// The topics subscribed now, sorted, once each: those named, and those of `cache` that
    /// a pattern matches (topics without an error only).
    [[nodiscard]] std::vector<std::string> resolve(const metadata_cache& cache, bool exclude_internal) const {
        std::vector<std::string> topics = names_;
        if (patterns_.empty()) return topics;
        for (const auto* t : cache.topics())
            if (t->error_code == 0 && matches(t->name, t->internal, exclude_internal)) topics.push_back(t->name);
        std::sort(topics.begin(), topics.end());
        topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
        return topics;
    }

private:
    std::vector<std::string> names_;
    std::vector<std::pair<std::string, std::regex>> patterns_;
};

} // namespace kafkit::detail
