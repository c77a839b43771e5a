#!/usr/bin/env bash
# ConfigManager quick start: on a fresh clone with only the .NET SDK,
#   1. packs ConfigManager.MSBuild and ConfigManager.Plugin.Env into artifacts/packages (a version unique to this
#      run, so no cache is stale),
#   2. builds samples/HelloConfig, which references both from that local feed: `dotnet restore` delivers the ENV
#      plugin, no binary is copied by hand and no .configmanager folder is needed,
#   3. prints the resolved bin/.../appsettings.json and runs the app.
# The source samples/HelloConfig/appsettings.json is never modified.
# QUICKSTART_AOT=1 packs the plugin with NativeAOT (needs clang); the default (self-contained single-file,
# trimmed) needs nothing but the SDK.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sample="$root/samples/HelloConfig"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1

case "$(uname -s)" in
  Linux|Darwin) ;;
  *) echo "quickstart.sh runs on Linux or macOS; on Windows follow docs/msbuild.md" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64|amd64|aarch64|arm64) ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
echo "==> Packing ConfigManager.MSBuild and ConfigManager.Plugin.Env $version into artifacts/packages"
mkdir -p "$root/artifacts/packages"
rm -f "$root"/artifacts/packages/ConfigManager.MSBuild.0.1.0-local.*.nupkg "$root"/artifacts/packages/ConfigManager.Plugin.Env.0.1.0-local.*.nupkg
dotnet pack "$root/src/ConfigManager.Tasks/ConfigManager.Tasks.csproj" -c Release -o "$root/artifacts/packages" \
  "-p:Version=$version" -v:q -nologo
aot=false
[ "${QUICKSTART_AOT:-0}" = "1" ] && aot=true
dotnet pack "$root/plugins/Env/Env.csproj" -c Release -o "$root/artifacts/packages" "-p:Version=$version" "-p:PublishAot=$aot" -v:q -nologo
# Before plugins came as packages this script copied the binary into the sample; the package needs no such folder.
rm -rf "$sample/.configmanager"

# The values the ENV plugin hands to the build (override any of them before running this script).
export HELLO_GREETING="${HELLO_GREETING:-Hello from the environment, resolved at build time}"
export HELLO_DB_PASSWORD="${HELLO_DB_PASSWORD:-correct-horse-battery-staple}"
export HELLO_FEATURES="${HELLO_FEATURES:-{\"beta\":\"on\",\"gamma\":\"off\"\}}"

echo "==> Building samples/HelloConfig (restores both packages from artifacts/packages)"
dotnet build "$sample/HelloConfig.csproj" "-p:ConfigManagerPackageVersion=$version" -v:q -nologo -clp:NoSummary

echo "==> Source samples/HelloConfig/appsettings.json (unchanged):"
cat "$sample/appsettings.json"
echo "==> Resolved samples/HelloConfig/bin/Debug/net10.0/appsettings.json:"
cat "$sample/bin/Debug/net10.0/appsettings.json"
echo "==> dotnet samples/HelloConfig/bin/Debug/net10.0/HelloConfig.dll"
dotnet "$sample/bin/Debug/net10.0/HelloConfig.dll"
