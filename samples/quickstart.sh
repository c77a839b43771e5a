#!/usr/bin/env bash
# ConfigManager quick start: on a fresh clone with only the .NET SDK,
#   1. packs ConfigManager.MSBuild into artifacts/packages (a version unique to this run, so no cache is stale),
#   2. publishes the ENV plugin into samples/HelloConfig/.configmanager/plugins/env/env-<os>-<arch>,
#   3. builds samples/HelloConfig, whose appsettings.json holds ENV://... tokens,
#   4. prints the resolved bin/.../appsettings.json and runs the app.
# The source samples/HelloConfig/appsettings.json is never modified.
# QUICKSTART_AOT=1 publishes the plugin with NativeAOT (needs clang); the default needs nothing but the SDK.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sample="$root/samples/HelloConfig"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1

case "$(uname -s)" in
  Linux) goos=linux; ridos=linux ;;
  Darwin) goos=darwin; ridos=osx ;;
  *) echo "quickstart.sh runs on Linux or macOS; on Windows follow docs/msbuild.md" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) goarch=amd64; ridarch=x64 ;;
  aarch64|arm64) goarch=arm64; ridarch=arm64 ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac

# A framework-dependent plugin finds the runtime through DOTNET_ROOT when dotnet is not installed system-wide.
if [ -z "${DOTNET_ROOT:-}" ]; then
  DOTNET_ROOT=$(dirname "$(readlink -f "$(command -v dotnet)")")
  export DOTNET_ROOT
fi

version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
echo "==> Packing ConfigManager.MSBuild $version into artifacts/packages"
mkdir -p "$root/artifacts/packages"
rm -f "$root"/artifacts/packages/ConfigManager.MSBuild.0.1.0-local.*.nupkg
dotnet pack "$root/src/ConfigManager.Tasks/ConfigManager.Tasks.csproj" -c Release -o "$root/artifacts/packages" \
  "-p:Version=$version" -v:q -nologo

plugin="$sample/.configmanager/plugins/env/env-$goos-$goarch"
echo "==> Publishing the ENV plugin to ${plugin#"$root"/}"
publish_dir="$root/artifacts/quickstart/env-plugin"
rm -rf "$publish_dir"
if [ "${QUICKSTART_AOT:-0}" = "1" ]; then
  dotnet publish "$root/plugins/Env/Env.csproj" -c Release -r "$ridos-$ridarch" -o "$publish_dir" -v:q -nologo
else
  dotnet publish "$root/plugins/Env/Env.csproj" -c Release -r "$ridos-$ridarch" -o "$publish_dir" -v:q -nologo \
    -p:PublishAot=false -p:PublishSingleFile=true --self-contained false
fi
mkdir -p "$(dirname "$plugin")"
cp "$publish_dir/Env" "$plugin.tmp" && chmod +x "$plugin.tmp" && mv "$plugin.tmp" "$plugin"

# The values the ENV plugin hands to the build (override any of them before running this script).
export HELLO_GREETING="${HELLO_GREETING:-Hello from the environment, resolved at build time}"
export HELLO_DB_PASSWORD="${HELLO_DB_PASSWORD:-correct-horse-battery-staple}"
export HELLO_FEATURES="${HELLO_FEATURES:-{\"beta\":\"on\",\"gamma\":\"off\"\}}"

echo "==> Building samples/HelloConfig"
dotnet build "$sample/HelloConfig.csproj" "-p:ConfigManagerPackageVersion=$version" -v:q -nologo -clp:NoSummary

echo "==> Source samples/HelloConfig/appsettings.json (unchanged):"
cat "$sample/appsettings.json"
echo "==> Resolved samples/HelloConfig/bin/Debug/net10.0/appsettings.json:"
cat "$sample/bin/Debug/net10.0/appsettings.json"
echo "==> dotnet samples/HelloConfig/bin/Debug/net10.0/HelloConfig.dll"
dotnet "$sample/bin/Debug/net10.0/HelloConfig.dll"
