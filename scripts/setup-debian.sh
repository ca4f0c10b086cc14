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
    doctest-dev python3-pytest librdkafka-dev kcat python3-kafka python3-confluent-kafka
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-debian: all ${#packages[@]} packages present"
    exit 0
fi
echo "setup-debian: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
