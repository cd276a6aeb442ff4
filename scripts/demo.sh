#!/usr/bin/env bash
# The newcomer's demo: starts the network server with its zero-configuration defaults (embedded MQTT broker,
# in-memory store) on ports of its own, runs a simulated city against it for a minute, and leaves behind in the
# output folder (default: demo-output/):
#   coverage-map.html  the coverage map with its data inside (open it in a browser; no server needed)
#   coverage-map.png   a picture of it (headless chromium)
#   coverage.geojson   the same coverage as GeoJSON
#   run-summary.txt    what the simulated city did (joins, uplinks, events, ACKs, PoC beacons and witnesses, the
#                      cheaters' made-up witnesses, the carrier radios' sessions, heartbeats and speed tests)
#   poc-rounds.json    the proof-of-coverage rounds verified during the run (beaconer, witnesses, verdicts; the
#                      cheaters' witnesses rejected for their cheats)
#   poc-hotspots.json  the PoC participants with their transmit scales
#   offload-statements.json, offload-statement-1.csv
#                      settlement statements for the test carrier whose radios sent signed data sessions meanwhile
#   server.log         the server's log
# The demo shortens the server's periods so that all of it happens within the minute: every hotspot is challenged once
# a minute (Poc:ChallengeWindow), rounds are verified 10 s after their first report, and carrier settlement periods are
# one minute long and close 5 s after they end.
# Usage: scripts/demo.sh [output-folder]. Environment: DEMO_DURATION (default 60s), DEMO_HOTSPOTS (60),
# DEMO_DEVICES (400), DEMO_SEED (7), DEMO_CHEATERS (5); DEMO_HTTP_PORT/DEMO_GRPC_PORT/DEMO_MQTT_PORT (18080/18081/11883).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# shellcheck source=scripts/lib/apt.sh
. scripts/lib/apt.sh
ensure_apt_packages chromium:chromium curl:curl

out="$(mkdir -p "${1:-demo-output}" && cd "${1:-demo-output}" && pwd)"
duration="${DEMO_DURATION:-60s}"
http_port="${DEMO_HTTP_PORT:-18080}"
grpc_port="${DEMO_GRPC_PORT:-18081}"
mqtt_port="${DEMO_MQTT_PORT:-11883}"
for port in "$http_port" "$grpc_port" "$mqtt_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port on 127.0.0.1 is in use; set DEMO_HTTP_PORT, DEMO_GRPC_PORT or DEMO_MQTT_PORT to free ones." >&2
    exit 2
  fi
done

echo "Building the server and the simulator …"
dotnet build -c Release -v quiet -nologo lns/WirelessNet.Lns/WirelessNet.Lns.csproj
dotnet build -c Release -v quiet -nologo simulators/WirelessNet.Simulators.Cli/WirelessNet.Simulators.Cli.csproj
sim() { dotnet simulators/WirelessNet.Simulators.Cli/bin/Release/net10.0/wirelessnet-sim.dll "$@"; }

# A fresh admin key for this run only; it never leaves this shell and the server process.
admin_key="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
http="http://127.0.0.1:$http_port"
echo "Starting the server (HTTP $http, gRPC :$grpc_port, MQTT :$mqtt_port, in-memory store) …"
Api__AdminKey="$admin_key" \
Kestrel__Endpoints__Http__Url="$http" \
Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:$grpc_port" \
Mqtt__Broker__Port="$mqtt_port" Mqtt__Gateway__Port="$mqtt_port" \
Poc__ChallengeWindow=00:01:00 Poc__ScheduleRefresh=00:00:10 Poc__RoundSettleDelay=00:00:10 \
Offload__Enabled=true Offload__SettlementPeriod=00:01:00 Offload__DataCompleteGrace=00:00:05 \
Offload__AutoCloseInterval=00:00:05 Offload__RequireHeartbeats=false \
  dotnet lns/WirelessNet.Lns/bin/Release/net10.0/WirelessNet.Lns.dll >"$out/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "$http/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "The server stopped; see $out/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "$http/healthz" >/dev/null || { echo "The server did not become healthy; see $out/server.log" >&2; exit 1; }

sim world new --hotspots "${DEMO_HOTSPOTS:-60}" --devices "${DEMO_DEVICES:-400}" --seed "${DEMO_SEED:-7}" \
  --radius-km 5 --carrier demo-carrier --carrier-radios 8 --cheaters "${DEMO_CHEATERS:-5}" -o "$out/city.json"
# The world's carrier radios (a test carrier's CBRS cells and Wi-Fi access points) send signed data sessions while the
# city runs, and its cheating hotspots try their tricks on proof of coverage.
sim run --world "$out/city.json" --duration "$duration" --uplink-interval 10s \
  --server "$http" --mqtt "127.0.0.1:$mqtt_port" --grpc "http://127.0.0.1:$grpc_port" --admin-key "$admin_key" \
  --summary-file "$out/run-summary.txt"

bbox="$(sim world bbox --world "$out/city.json")"
curl -sf "$http/api/coverage?bbox=$bbox&res=9" -o "$out/coverage.geojson"
curl -sf "$http/map/export?bbox=$bbox&res=9" -o "$out/coverage-map.html"
browser="$(command -v chromium || command -v chromium-browser)"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,900 \
  --virtual-time-budget=10000 --screenshot="$out/coverage-map.png" "file://$out/coverage-map.html" >/dev/null 2>&1

today="$(date -u +%Y-%m-%d)"
curl -sf "$http/api/poc/epochs/$today/rounds?limit=10000" -o "$out/poc-rounds.json"
curl -sf "$http/api/poc/hotspots" -o "$out/poc-hotspots.json"

# The carrier's partner view: a partner key of its own, then its statements (closed automatically once data-complete).
partner_key="$(curl -sf -X POST "$http/api/offload/carriers/demo-carrier/partner-keys" -H "Authorization: Bearer $admin_key" \
  -H 'Content-Type: application/json' -d '{"name":"demo"}' | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')"
for _ in $(seq 1 30); do
  curl -sf "$http/api/offload/carriers/demo-carrier/statements" -H "Authorization: Bearer $partner_key" -o "$out/offload-statements.json"
  grep -q '"sequence"' "$out/offload-statements.json" && break
  sleep 2
done
curl -sf "$http/api/offload/carriers/demo-carrier/statements/1?format=csv" -H "Authorization: Bearer $partner_key" \
  -o "$out/offload-statement-1.csv" || echo "No carrier statement was issued; see $out/server.log" >&2

echo
echo "Done. In $out:"
ls -1 "$out"
