#!/usr/bin/env bash
# MSBuild benchmark: wall time of building a 20-project solution whose appsettings.json files hold tokens,
# with ConfigManager enabled vs. ConfigManagerEnabled=false (same solution, same package, same machine).
# Usage: perf/msbuild-bench.sh [REPETITIONS=3] [NODES=2]
# Plugin: the Go test plugin (artifacts/go/testplugin, built with plugins/go/build.sh) as prefix GOTEST;
# set BENCH_PLUGIN=/path/to/plugin to use another go-plugin binary that answers echo/... and json/... paths.
set -euo pipefail

reps=${1:-3}
nodes=${2:-2}
projects=20
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cm-msbuild-bench.XXXXXX")
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1
export NUGET_PACKAGES="$work/nuget-packages"
unset CONFIGMANAGER_DIR

plugin=${BENCH_PLUGIN:-$root/artifacts/go/testplugin}
if [ ! -x "$plugin" ]; then
  echo "==> building the Go test plugin"
  sh "$root/plugins/go/build.sh" >/dev/null
fi

version="0.1.0-bench.$(date -u +%Y%m%d%H%M%S)"
echo "==> packing ConfigManager.MSBuild $version"
dotnet pack "$root/src/ConfigManager.Tasks/ConfigManager.Tasks.csproj" -c Release -o "$work/feed" "-p:Version=$version" -v:q -nologo >/dev/null

mkdir -p "$work/sln/.configmanager/plugins/gotest"
ln -s "$plugin" "$work/sln/.configmanager/plugins/gotest/gotest-linux-amd64"
cat > "$work/sln/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="bench" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
XML
echo "<Solution>" > "$work/sln/Bench.slnx"
for i in $(seq -w 1 $projects); do
  p="$work/sln/App$i"
  mkdir -p "$p"
  cat > "$p/App$i.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ConfigManagerExtraPrefixes>GOTEST</ConfigManagerExtraPrefixes>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ConfigManager.MSBuild" Version="$version" PrivateAssets="all" />
    <None Update="appsettings*.json" CopyToOutputDirectory="PreserveNewest" />
  </ItemGroup>
</Project>
XML
  echo 'System.Console.WriteLine("hello");' > "$p/Program.cs"
  cat > "$p/appsettings.json" <<JSON
{
  "Name": "GOTEST://echo/app$i",
  "Database": { "User": "GOTEST://json/db|user", "Password": "GOTEST://json/db|password", "Port": "GOTEST://json/db|nested.port" },
  "Shared": "GOTEST://echo/shared-value",
  "Plain": "not a token"
}
JSON
  echo "  <Project Path=\"App$i/App$i.csproj\" />" >> "$work/sln/Bench.slnx"
done
echo "</Solution>" >> "$work/sln/Bench.slnx"

echo "==> restoring $projects projects"
dotnet restore "$work/sln/Bench.slnx" -v:q >/dev/null

build() { # $1 = true|false ; $2 = extra args ; prints seconds
  local start end
  start=$(date +%s.%N)
  dotnet build "$work/sln/Bench.slnx" --no-restore "-m:$nodes" -nr:false -v:q -nologo "-clp:NoSummary;PerformanceSummary" "-p:ConfigManagerEnabled=$1" $2 >"$work/last.log" 2>&1 \
    || { cat "$work/last.log"; exit 1; }
  end=$(date +%s.%N)
  # MSBuild's own accounting of the task (all nodes, all projects), immune to the machine's other load.
  task_ms=$(awk '/Task Performance Summary/ {t=1} t && /ResolveConfigTokens/ {print $1; exit}' "$work/last.log")
  [ -n "$task_ms" ] && [ "$1" = true ] && [ "$2" = --no-incremental ] && echo "$task_ms" >> "$work/task-ms.txt"
  echo "$end - $start" | bc
}

# Warm-up (JIT, disk cache), not measured.
build false --no-incremental >/dev/null
build true --no-incremental >/dev/null

declare -a on off on_noop off_noop
for r in $(seq 1 "$reps"); do
  # Alternate the order so drift on this shared machine hits both sides alike.
  if [ $((r % 2)) -eq 1 ]; then
    off+=("$(build false --no-incremental)"); on+=("$(build true --no-incremental)")
  else
    on+=("$(build true --no-incremental)"); off+=("$(build false --no-incremental)")
  fi
  build true "" >/dev/null; on_noop+=("$(build true "")")
  build false "" >/dev/null; off_noop+=("$(build false "")")
done

# Check the output really is resolved (the benchmark must measure the real thing).
grep -q '"Password": "s3cr3t-json"' "$work/sln/App01/bin/Debug/net10.0/appsettings.json" || { echo "bench output not resolved" >&2; exit 1; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m_on=$(median "${on[@]}"); m_off=$(median "${off[@]}")
m_on_noop=$(median "${on_noop[@]}"); m_off_noop=$(median "${off_noop[@]}")
echo
echo "projects=$projects tokens/project=6 (3 distinct store paths) nodes=$nodes repetitions=$reps cores=$(nproc)"
echo "full build (--no-incremental), ConfigManager disabled: ${off[*]}  median ${m_off}s"
echo "full build (--no-incremental), ConfigManager enabled:  ${on[*]}  median ${m_on}s"
echo "added: $(echo "scale=1; ($m_on - $m_off) * 100 / $m_off" | bc)%"
echo "ResolveConfigTokens total per enabled full build (MSBuild performance summary, ms): $(tr '\n' ' ' < "$work/task-ms.txt")"
echo "no-op build, disabled: ${off_noop[*]}  median ${m_off_noop}s"
echo "no-op build, enabled:  ${on_noop[*]}  median ${m_on_noop}s"
echo "added: $(echo "scale=1; ($m_on_noop - $m_off_noop) * 100 / $m_off_noop" | bc)%"
rm -rf "$work"
