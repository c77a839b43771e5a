#!/bin/sh
# Publishes every first-party C# plugin for one platform into configmanager's layout:
#   artifacts/plugins/.configmanager/plugins/<prefix>/<prefix>-<goos>-<goarch>
# Usage: plugins/publish.sh [RID]   (default linux-x64; e.g. osx-arm64, win-x64)
# A plugin is every plugins/<Name>/<Name>.csproj that sets PluginPrefix; each project says whether it is
# NativeAOT or self-contained single-file (see its csproj and docs/plugins-*.md).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rid=${1:-linux-x64}
for project in "$root"/plugins/*/*.csproj; do
  grep -q '<PluginPrefix>' "$project" || continue
  dotnet publish "$project" -c Release -r "$rid" -m:1 -nologo
done
