#pragma once
// The promises behind an admin::keyed_result: one per entity and one for all, completed
// on the I/O thread as answers arrive. all() completes when the last entity does.

#include "kafkit/admin/result.hpp"
#include "kafkit/exception.hpp"

#include <cstddef>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace kafkit::detail {

template <class Key, class Value>
class keyed_promises {
public:
    using result_type = admin::keyed_result<Key, Value>;

    explicit keyed_promises(const std::vector<Key>& keys) {
        for (const auto& key : keys) entries_.try_emplace(key);
        if (entries_.empty()) finish_all();
    }

    /// The futures, taken once, before any entity completes.
    [[nodiscard]] result_type result() {
        std::map<Key, admin::future<Value>> futures;
        for (auto& [key, e] : entries_) futures.emplace(key, admin::future<Value>(e.promise.get_future().share()));
        return result_type(std::move(futures), admin::future<typename result_type::all_type>(all_.get_future().share()));
    }

    /// Runs `fn` (on the I/O thread) once every entity is complete: at once if they are. For
    /// operations built on others, which then read the inner result's futures, all ready.
    void on_all(std::function<void()> fn) {
        if (finished_) fn();
        else then_ = std::move(fn);
    }

    [[nodiscard]] bool done(const Key& key) const {
        auto it = entries_.find(key);
        return it == entries_.end() || it->second.done;
    }
    /// The keys not completed yet.
    [[nodiscard]] std::vector<Key> pending() const {
        std::vector<Key> out;
        for (const auto& [key, e] : entries_)
            if (!e.done) out.push_back(key);
        return out;
    }

    template <class V = Value>
        requires(!std::is_void_v<V>)
    void succeed(const Key& key, V value) {
        auto* e = open_entry(key);
        if (e == nullptr) return;
        e->promise.set_value(value);
        e->value = std::move(value);
        completed(*e);
    }
    void succeed(const Key& key)
        requires std::is_void_v<Value>
    {
        auto* e = open_entry(key);
        if (e == nullptr) return;
        e->promise.set_value();
        completed(*e);
    }
    /// Fails `key` with kafkit::exception(code, context).
    void fail(const Key& key, std::error_code code, const std::string& context) {
        auto* e = open_entry(key);
        if (e == nullptr) return;
        e->error = std::make_exception_ptr(exception(code, context));
        e->promise.set_exception(e->error);
        completed(*e);
    }
    /// The keys among `keys` not completed yet.
    [[nodiscard]] std::vector<Key> pending_among(const std::vector<Key>& keys) const {
        std::vector<Key> out;
        for (const auto& key : keys)
            if (!done(key)) out.push_back(key);
        return out;
    }
    /// Fails every key still open, each with the context `context_of(key)` gives.
    template <class Context>
    void fail_pending(std::error_code code, Context context_of) {
        fail_among(pending(), code, context_of);
    }
    /// Fails the open keys among `keys`.
    template <class Context>
    void fail_among(const std::vector<Key>& keys, std::error_code code, Context context_of) {
        for (const auto& key : keys) fail(key, code, context_of(key));
    }

private:
    struct entry {
        std::promise<Value> promise;
        std::optional<std::conditional_t<std::is_void_v<Value>, char, Value>> value;
        std::exception_ptr error;
        bool done = false;
    };

    entry* open_entry(const Key& key) {
        auto it = entries_.find(key);
        if (it == entries_.end() || it->second.done) return nullptr;
        return &it->second;
    }
    void completed(entry& e) {
        e.done = true;
        if (++completed_ == entries_.size()) finish_all();
    }
    void finish_all() {
        set_all();
        finished_ = true;
        if (then_) std::exchange(then_, nullptr)();
    }
    void set_all() {
        for (auto& [key, e] : entries_) {
            if (e.error) {
                all_.set_exception(e.error);
                return;
            }
        }
        if constexpr (std::is_void_v<Value>) {
            all_.set_value();
        } else {
            std::map<Key, Value> values;
            for (auto& [key, e] : entries_) values.emplace(key, std::move(*e.value));
            all_.set_value(std::move(values));
        }
    }

    std::map<Key, entry> entries_;
    std::promise<typename result_type::all_type> all_;
    std::size_t completed_ = 0;
    bool finished_ = false;
    std::function<void()> then_;
};

} // namespace kafkit::detail
