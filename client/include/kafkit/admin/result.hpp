#pragma once
// What an admin operation returns: a future per entity it names (a topic, a group, a
// config resource, a partition) and one future for all of them, as the Java client's
// *Result classes hold KafkaFutures. A future's get() returns the entity's value or throws
// kafkit::exception carrying the Kafka error (kafka_errc) or errc::timed_out.

#include <future>
#include <map>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace kafkit::admin {

template <class Key, class Value>
class keyed_result {
public:
    /// What all() gives: every entity's value, or nothing when entities have no value.
    using all_type = std::conditional_t<std::is_void_v<Value>, void, std::map<Key, Value>>;

    keyed_result() = default;
    keyed_result(std::map<Key, std::shared_future<Value>> values, std::shared_future<all_type> all)
        : values_(std::move(values)), all_(std::move(all)) {}

    /// One future per entity, by key.
    [[nodiscard]] const std::map<Key, std::shared_future<Value>>& values() const noexcept { return values_; }
    /// The future of `key`; throws std::out_of_range for a key the operation did not name.
    [[nodiscard]] const std::shared_future<Value>& value(const Key& key) const {
        auto it = values_.find(key);
        if (it == values_.end()) throw std::out_of_range("the operation did not name this entity");
        return it->second;
    }
    /// Completes once every entity's future has: with all values, or with the error of the
    /// first failed entity in key order.
    [[nodiscard]] const std::shared_future<all_type>& all() const noexcept { return all_; }

private:
    std::map<Key, std::shared_future<Value>> values_;
    std::shared_future<all_type> all_;
};

} // namespace kafkit::admin
