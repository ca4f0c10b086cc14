#pragma once
// Compile-time walks over generated messages through their for_each_field reflection.

#include "kafkit/protocol/message.hpp"

#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

namespace kafkit::codec {

using protocol::is_optional;
using protocol::is_vector;

/// A generated message or nested struct: every one carries its unknown tagged fields.
template <class T>
concept generated_struct = requires(const T& t) {
    { t.unknown_tags } -> std::convertible_to<const protocol::unknown_tagged_fields&>;
};

namespace detail {

template <class F>
struct records_field_visitor {
    std::int16_t version;
    F& f;

    template <class T>
    void operator()(const protocol::field_info& info, const T& value) const {
        if constexpr (std::is_same_v<T, protocol::bytes_view>) {
            if (info.records) f(info, value);
        } else if constexpr (std::is_same_v<T, std::optional<protocol::bytes_view>>) {
            if (info.records && value) f(info, *value);
        } else if constexpr (is_optional<T>::value) {
            if (value) (*this)(info, *value);
        } else if constexpr (is_vector<T>::value) {
            if constexpr (generated_struct<typename T::value_type>) {
                for (const auto& item : value) (*this)(info, item);
            }
        } else if constexpr (generated_struct<T>) {
            T::for_each_field(value, version, *this);
        }
    }
};

} // namespace detail

/// Calls `f(field_info, bytes_view)` for every present field of schema type `records` in
/// `message` at `version`, nested structs and arrays included, in wire order.
template <class M, class F>
void for_each_records_field(const M& message, std::int16_t version, F&& f) {
    detail::records_field_visitor<std::remove_reference_t<F>> visitor{version, f};
    M::for_each_field(message, version, visitor);
}

} // namespace kafkit::codec
