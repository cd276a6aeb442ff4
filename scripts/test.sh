#!/usr/bin/env bash
# Installs what the tests need (Debian packages, NuGet restore), builds the solution and runs every test.
# Ends with one summary line: "Tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt.sh

# Integration tests start real redis-server and mosquitto processes on free loopback ports, and page tests
# open pages in headless chromium.
ensure_apt_packages redis-server:redis-server mosquitto:mosquitto chromium:chromium

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration="${CONFIGURATION:-Release}"
results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet restore WirelessNet.sln
dotnet build WirelessNet.sln -c "$configuration" --no-restore -nologo
status=0
dotnet test WirelessNet.sln -c "$configuration" --no-build --nologo \
  --logger "trx" --results-directory "$results" "$@" \
  | tee "$results/console.log" || status=$?

# Sum the per-assembly lines ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12") into one line.
awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") { gsub(",", "", $(i+1)); f += $(i+1) }
      if ($i == "Passed:") { gsub(",", "", $(i+1)); p += $(i+1) }
      if ($i == "Skipped:") { gsub(",", "", $(i+1)); s += $(i+1) }
    }
    assemblies++
  }
  END { printf "Test assemblies: %d\nTests: %d passed, %d failed, %d skipped\n", assemblies, p, f, s }
' "$results/console.log"
exit "$status"
