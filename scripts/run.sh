#!/usr/bin/env bash
# Runs the WirelessNet network server with its zero-configuration defaults: embedded MQTT broker on
# 127.0.0.1:1883, HTTP on 127.0.0.1:8080, gRPC (HTTP/2 cleartext) on 127.0.0.1:8081, in-memory store.
# Configuration (appsettings.json, environment variables such as Store__Kind=Redis, or --Key=Value arguments
# passed to this script) switches to Redis and an external broker: see docs/configuration.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet restore lns/WirelessNet.Lns
dotnet run --no-restore -c Release --project lns/WirelessNet.Lns -- "$@"
