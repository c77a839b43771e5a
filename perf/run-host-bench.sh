#!/bin/sh
# One benchmark run of the plugin host: gohost (go-plugin v1.0.1) vs hostbench (.NET) on the same Go
# test plugin, alternating the two hosts round by round so both see the same machine load.
# Usage: perf/run-host-bench.sh [ROUNDS] [HOSTBENCH]   (default 5 rounds; HOSTBENCH default: the NativeAOT build)
# The .NET host runs twice per round: as is, and with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1.
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
  for variant in go dotnet dotnet-inline; do
    host=$dotnet_host inline=0
    [ "$variant" = go ] && host=$go_host
    [ "$variant" = dotnet-inline ] && inline=1
    for args in "launch -n 20" "launch -n 20 -mtls" "seq -n 1000" "conc -n 10000 -c 16"; do
      # shellcheck disable=SC2086 # args are several flags on purpose
      DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=$inline "$host" -plugin "$plugin" -bench $args >>"$raw"
    done
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
print("| measurement | Go host | .NET host | .NET/Go | .NET, inline socket completions | ratio |")
print("|---|---|---|---|---|---|")
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
    g, d, i = (med(h, kind, mtls, field) for h in ("go", "dotnet", "dotnet-inline"))
    scale = 1000.0 if unit == "ms" else 1.0
    print(f"| {label} | {g/scale:,.1f} {unit} | {d/scale:,.1f} {unit} | {d/g:.2f} | {i/scale:,.1f} {unit} | {i/g:.2f} |")
for kind, label in (("sequential", "(b) sequential"), ("concurrent", "(c) 16 in flight")):
    cpu = [r[kind]["host_cpu_us_per_call"] for r in rows if r["host"] == "dotnet" and kind in r and "host_cpu_us_per_call" in r[kind]]
    if cpu:
        print(f"\n.NET host process CPU per call, {label}, median: {statistics.median(cpu):.1f} µs", end="")
alloc = [r["sequential"]["host_alloc_bytes_per_call"] for r in rows if r["host"] == "dotnet" and "sequential" in r and "host_alloc_bytes_per_call" in r["sequential"]]
if alloc:
    print(f"\n.NET bytes allocated per call, (b) sequential, median: {statistics.median(alloc):,.0f} B", end="")
for mtls in (False, True):
    cold = [r["launch"]["first_us"] for r in rows if r["host"] == "dotnet" and "launch" in r and r["mtls"] == mtls]
    print(f"\n.NET first (cold) launch of the process, {'AutoMTLS' if mtls else 'plain'}, median: {statistics.median(cold)/1000:.1f} ms", end="")
print()
PY
