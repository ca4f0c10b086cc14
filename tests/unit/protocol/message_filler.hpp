#pragma once
// Test support: fills any generated message with non-default values in every field the
// version has, walking it through its generated for_each_field reflection.

#include "kafkit/protocol/message.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace kafkit::protocol::testing {

/// Gives every visited field a value unlike its default and unlike its neighbours.
/// Byte fields view buffers the filler owns, so it must outlive the filled message.
class message_filler {
public:
    explicit message_filler(std::int16_t version, std::size_t array_length = 2)
        : version_(version), array_length_(array_length) {}

    template <class M>
    void fill(M& message) {
        M::for_each_field(message, version_, *this);
    }

    template <class T>
    void operator()(const field_info&, T& value) {
        fill_value(value);
    }

private:
    template <class T>
    void fill_value(T& value) {
        ++counter_;
        if constexpr (std::is_same_v<T, bool>) {
            value = !value;
        } else if constexpr (std::is_integral_v<T>) {
            // Offsets from the default keep the value non-default whatever the default is.
            // Unsigned arithmetic wraps instead of overflowing (defaults include INT32_MAX).
            using unsigned_t = std::make_unsigned_t<T>;
            value = static_cast<T>(static_cast<unsigned_t>(static_cast<unsigned_t>(value) + 1u +
                                                           static_cast<unsigned_t>(counter_ % 90)));
        } else if constexpr (std::is_floating_point_v<T>) {
            value = value + 0.5 + counter_;
        } else if constexpr (std::is_same_v<T, std::string>) {
            value.assign(1, 's');
            value += std::to_string(counter_);
        } else if constexpr (std::is_same_v<T, bytes_view>) {
            auto& buffer = buffers_.emplace_back();
            for (int i = 0; i < 3 + counter_ % 5; ++i) buffer.push_back(static_cast<std::uint8_t>(counter_ + i));
            value = bytes_view(buffer.data(), buffer.size());
        } else if constexpr (std::is_same_v<T, uuid>) {
            for (std::size_t i = 0; i < value.bytes.size(); ++i)
                value.bytes[i] = static_cast<std::uint8_t>(counter_ * 7 + i + 1);
        } else if constexpr (is_optional<T>::value) {
            if (!value) value = typename T::value_type{}; // not emplace(): see the generator
            fill_value(*value);
        } else if constexpr (is_vector<T>::value) {
            value.resize(array_length_);
            for (auto& item : value) fill_value(item);
        } else {
            T::for_each_field(value, version_, *this);
        }
    }

    std::int16_t version_;
    std::size_t array_length_;
    int counter_ = 0;
    std::deque<std::vector<std::uint8_t>> buffers_; // deque: views stay valid as it grows
};

/// Whether the message, filled at version `from`, holds a field that `to` cannot carry
/// and may not drop: the encoder must then refuse it.
class absent_field_finder {
public:
    template <class M>
    static bool has_unwritable_field(const M& message, std::int16_t from, std::int16_t to) {
        std::vector<std::string> at_to;
        M::for_each_field(message, to, [&](const field_info& info, const auto&) { at_to.emplace_back(info.name); });
        bool found = false;
        M::for_each_field(message, from, [&](const field_info& info, const auto&) {
            bool present = false;
            for (const auto& name : at_to) present = present || name == info.name;
            found = found || (!present && !info.ignorable);
        });
        return found;
    }
};

} // namespace kafkit::protocol::testing
