#!/usr/bin/env bash
# Regenerates the protocol codec (protocol/generated/) and docs/protocol.md from Apache
# Kafka's message schemas. Usage: scripts/regenerate.sh [SCHEMA_DIR] (default:
# ../shared/kafka-message-schemas beside the checkout).
set -euo pipefail
cd "$(dirname "$0")/.."
schemas="${1:-../shared/kafka-message-schemas}"
cmake -S . -B build -DKAFKIT_SCHEMA_DIR="$(realpath "$schemas")" >/dev/null
cmake --build build --target regenerate
