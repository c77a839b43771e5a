#!/bin/sh
# One benchmark run of the plugin host: gohost (go-plugin v1.0.1) vs hostbench (.NET) on the same Go
# test plugin, alternating the two hosts round by round so both see the same machine load.
# Usage: perf/run-host-bench.sh [ROUNDS] [HOSTBENCH]   (default 5 rounds; HOSTBENCH default: the NativeAOT build)
# Prints every raw JSON line, then a table of medians over rounds and the .NET/Go ratios.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
dotnet_host=${2:-$root/artifacts/hostbench-aot/hostbench}
go_host=$root/artifacts/go/gohost
plugin=$root/artifacts/go/testplugin
[ -x "$go_host" ] && [ -x "$plugin" ] || "$root/plugins/go/build.sh" >/dev/null
if [ ! -x "$dotnet_host" ]; then
  dotnet publish "$root/perf/ConfigManager.HostBench" -c Release -r linux-x64 -p:PublishAot=true -o "$root/artifacts/hostbench-aot" -m:1 >/dev/null
fi
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
i=0
while [ "$i" -lt "$rounds" ]; do
  for host in "$go_host" "$dotnet_host"; do
    "$host" -plugin "$plugin" -bench launch -n 20 >>"$raw"
    "$host" -plugin "$plugin" -bench launch -n 20 -mtls >>"$raw"
    "$host" -plugin "$plugin" -bench seq -n 1000 >>"$raw"
    "$host" -plugin "$plugin" -bench conc -n 10000 -c 16 >>"$raw"
  done
  i=$((i + 1))
done
cat "$raw"
python3 - "$raw" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def med(host, kind, mtls, field):
    vals = [r[kind][field] for r in rows if r["host"] == host and kind in r and r["mtls"] == mtls]
    return statistics.median(vals) if vals else float("nan")
print()
print("| measurement | Go host | .NET host | .NET/Go |")
print("|---|---|---|---|")
for label, kind, mtls, field, unit in [
    ("(a) launch → first value → shutdown, plain, p50", "launch", False, "p50_us", "ms"),
    ("(a) same, plain, mean of 20", "launch", False, "mean_us", "ms"),
    ("(a) launch → first value → shutdown, AutoMTLS, p50", "launch", True, "p50_us", "ms"),
    ("(a) same, AutoMTLS, mean of 20", "launch", True, "mean_us", "ms"),
    ("(b) sequential call, mean", "sequential", False, "mean_us", "µs"),
    ("(b) sequential call, p50", "sequential", False, "p50_us", "µs"),
    ("(b) sequential call, p99", "sequential", False, "p99_us", "µs"),
    ("(c) 10,000 calls, 16 in flight", "concurrent", False, "calls_per_sec", "calls/s"),
]:
    g, d = med("go", kind, mtls, field), med("dotnet", kind, mtls, field)
    scale = 1000.0 if unit == "ms" else 1.0
    print(f"| {label} | {g/scale:,.1f} {unit} | {d/scale:,.1f} {unit} | {d/g:.2f} |")
cold = [r["launch"]["first_us"] for r in rows if r["host"] == "dotnet" and "launch" in r]
print(f"\n.NET first (cold) launch in each process, median: {statistics.median(cold)/1000:.1f} ms")
PY
