#!/usr/bin/env bash
# Runs WirelessNet's main job. Until the network server lands (lns/WirelessNet.Lns), that is the LoRaWAN codec
# demo: an OTAA join and a confirmed uplink, device and network side, built from the protocol core.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet restore lns/WirelessNet.LoRaWan.Cli
dotnet run --no-restore -c Release --project lns/WirelessNet.LoRaWan.Cli -- demo "$@"
