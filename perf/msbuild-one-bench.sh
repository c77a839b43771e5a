#!/usr/bin/env bash
# One-project web build with one token: what ResolveConfigTokens costs in the MSBuild node (cold node every build),
# per package variant, against the same build with ConfigManagerEnabled=false. Rounds interleave the variants.
# Usage: perf/msbuild-one-bench.sh ROUNDS FEED VERSION...   (FEED: folder holding ConfigManager.MSBuild.VERSION.nupkg)
# Loopback only: the feed is the only package source. Plugin: the Go test plugin (artifacts/go/testplugin, plugins/go/build.sh) as prefix GOTEST, AutoMTLS on.
set -euo pipefail
rounds=$1; feed=$2; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cm-one-bench.XXXXXX")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1
export NUGET_PACKAGES="$work/nuget-packages"
unset CONFIGMANAGER_DIR
plugin=${BENCH_PLUGIN:-$root/artifacts/go/testplugin}
[ -x "$plugin" ] || sh "$root/plugins/go/build.sh" >/dev/null
for v in "$@"; do
  p="$work/$v"
  mkdir -p "$p/.configmanager/plugins/gotest"
  ln -s "$plugin" "$p/.configmanager/plugins/gotest/gotest-linux-amd64"
  cat > "$p/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="bench" value="$feed" /></packageSources></configuration>
XML
  cat > "$p/Web.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><ConfigManagerExtraPrefixes>GOTEST</ConfigManagerExtraPrefixes></PropertyGroup>
  <ItemGroup><PackageReference Include="ConfigManager.MSBuild" Version="$v" PrivateAssets="all" /></ItemGroup>
</Project>
XML
  echo 'var app = WebApplication.CreateBuilder(args).Build(); app.Run();' > "$p/Program.cs"
  echo '{ "Name": "GOTEST://echo/one" }' > "$p/appsettings.json"
  dotnet restore "$p/Web.csproj" -v:q >/dev/null
done
build() { # $1 dir, $2 enabled; prints "wall_ms task_ms"
  local s e t
  s=$(date +%s%N)
  dotnet build "$1/Web.csproj" --no-restore --no-incremental -m:1 -nr:false -v:q -nologo -flp:"PerformanceSummary;Verbosity=quiet;LogFile=$work/last.log" "-p:ConfigManagerEnabled=$2" >"$work/console.log" 2>&1 || { cat "$work/console.log"; exit 1; }
  e=$(date +%s%N)
  t=$(awk '/Task Performance Summary/ {f=1} f && /ResolveConfigTokens/ {print $1; exit}' "$work/last.log")
  echo "$(( (e - s) / 1000000 )) ${t:-0}"
}
first=$1
build "$work/$first" false >/dev/null; for v in "$@"; do build "$work/$v" true >/dev/null; done   # warm-up
for r in $(seq 1 "$rounds"); do
  echo "round $r load $(cut -d' ' -f1 /proc/loadavg): off $(build "$work/$first" false)"
  for v in "$@"; do echo "round $r $v: $(build "$work/$v" true)"; done
done

grep -q '"Name": "one"' "$work/$1/bin/Debug/net10.0/appsettings.json" || { echo "bench output not resolved" >&2; exit 1; }
rm -rf "$work"
