#!/bin/sh
# Publishes every first-party C# plugin for one platform into configmanager's layout:
#   artifacts/plugins/.configmanager/plugins/<prefix>/<prefix>-<goos>-<goarch>
# Usage: plugins/publish.sh [RID]   (default linux-x64; e.g. osx-arm64, win-x64)
# ENV and the C# test plugin are NativeAOT; AZTABLESTORE is self-contained single-file (see docs/plugins-azure-table.md).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rid=${1:-linux-x64}
for project in Env AzTableStore TestPlugin; do
  dotnet publish "$root/plugins/$project" -c Release -r "$rid" -m:1 -nologo
done
