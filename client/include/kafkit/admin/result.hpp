#pragma once
// What an admin operation returns: a future per entity it names (a topic, a group, a
// config resource, a partition) and one future for all of them, as the Java client's
// *Result classes hold KafkaFutures. A future's get() returns the entity's value or throws
// kafkit::exception carrying the Kafka error (kafka_errc) or errc::timed_out.
//
// admin::future<T> is a std::shared_future whose get() returns a copy of the value, so that
// `for (auto& p : admin.describe_topics({"t"}).value("t").get().partitions)` is safe (the
// value outlives the temporary future); shared() gives the std::shared_future itself.

#include <chrono>
#include <future>
#include <map>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace kafkit::admin {

template <class T>
class future {
public:
    future() = default;
    explicit future(std::shared_future<T> f) noexcept : f_(std::move(f)) {}

    /// Waits for the outcome: returns a copy of the value, or throws kafkit::exception.
    T get() const { return f_.get(); }
    void wait() const { f_.wait(); }
    template <class Rep, class Period>
    std::future_status wait_for(const std::chrono::duration<Rep, Period>& timeout) const {
        return f_.wait_for(timeout);
    }
    /// True when the outcome is there (get() will not block).
    [[nodiscard]] bool ready() const { return f_.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }
    [[nodiscard]] bool valid() const noexcept { return f_.valid(); }
    [[nodiscard]] const std::shared_future<T>& shared() const noexcept { return f_; }

private:
    std::shared_future<T> f_;
};

template <class Key, class Value>
class keyed_result {
public:
    /// What all() gives: every entity's value, or nothing when entities have no value.
    using all_type = std::conditional_t<std::is_void_v<Value>, void, std::map<Key, Value>>;

    keyed_result() = default;
    keyed_result(std::map<Key, future<Value>> values, future<all_type> all)
        : values_(std::move(values)), all_(std::move(all)) {}

    /// One future per entity, by key.
    [[nodiscard]] const std::map<Key, future<Value>>& values() const noexcept { return values_; }
    /// The future of `key`; throws std::out_of_range for a key the operation did not name.
    [[nodiscard]] const future<Value>& value(const Key& key) const {
        auto it = values_.find(key);
        if (it == values_.end()) throw std::out_of_range("the operation did not name this entity");
        return it->second;
    }
    /// Completes once every entity's future has: with all values, or with the error of the
    /// first failed entity in key order.
    [[nodiscard]] const future<all_type>& all() const noexcept { return all_; }

private:
    std::map<Key, future<Value>> values_;
    future<all_type> all_;
};

} // namespace kafkit::admin
