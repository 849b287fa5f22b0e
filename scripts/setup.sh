#!/usr/bin/env bash
# Installs what Quiver needs on a Debian machine, skipping what is already there. Idempotent and quick when
# nothing is missing. Run as root (as CI does) or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libzookeeper-mt-dev libreadline-dev zookeeper)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
command -v swift >/dev/null 2>&1 || { echo "setup: swift is not installed (expected in /opt/swift)" >&2; exit 1; }

# The project's Python tools: the TPC-H data generator, pyarrow (the Arrow oracle) and DuckDB (the benchmark peer).
if [ ! -x .venv/bin/tpchgen-cli ]; then
  echo "setup: creating .venv with tpchgen-cli"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check tpchgen-cli==4.0.0
fi
if ! .venv/bin/python -c 'import pyarrow, duckdb' >/dev/null 2>&1 \
   || [ "$(.venv/bin/python -c 'import duckdb; print(duckdb.__version__)')" != "2.0.1" ]; then
  echo "setup: installing pyarrow and duckdb into .venv"
  .venv/bin/pip install -q --disable-pip-version-check pyarrow duckdb==2.0.1
fi
