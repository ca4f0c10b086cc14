#!/usr/bin/env bash
# Installs every system package kafkit needs to build and test, from Debian 12's archive.
# Idempotent: safe to run again; apt-get skips what is already installed.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
    # libraries the code uses
    zlib1g-dev libzstd-dev liblz4-dev libsnappy-dev libssl-dev libsasl2-dev
    libasio-dev libcli11-dev nlohmann-json3-dev pybind11-dev python3-dev
    # tests and the independent Kafka peers they run against
    doctest-dev python3-pytest librdkafka-dev kcat python3-kafka python3-confluent-kafka tshark
    # the shell `kafkit completion zsh` is tested in
    zsh
)
# Node.js runs kafkajs; a machine that already has a node (e.g. NodeSource's) keeps it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-debian: all ${#packages[@]} packages present"
else
    echo "setup-debian: installing ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# kafkajs, an independent peer for the interop tests, from the npm registry (pinned by the
# committed package-lock.json).
js_dir="$(dirname "$0")/../tests/interop/js"
if [ ! -d "$js_dir/node_modules/kafkajs" ]; then
    echo "setup-debian: installing kafkajs into tests/interop/js"
    (cd "$js_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
