#pragma once
// cluster_description <-> the JSON object of the control protocol's `describe` (the
// reference broker writes it in tools/broker/src/control/broker_control.cpp).

#include "kafkit/testcontainers/faults.hpp"

#include <nlohmann/json.hpp>

namespace kafkit::testcontainers {

/// Reads a describe response (extra fields ignored; missing ones keep their defaults).
/// Throws cluster_error when a field has the wrong type.
cluster_description description_from_json(const nlohmann::json& j);

/// Writes a description as the describe response's fields (without "ok").
nlohmann::json description_to_json(const cluster_description& d);

} // namespace kafkit::testcontainers
