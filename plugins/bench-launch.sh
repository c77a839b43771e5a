#!/bin/sh
# Launch -> handshake -> first value -> shutdown: the C# plugins (NativeAOT) against the Go test plugin,
# under the same host. Hosts: hostbench (our PluginHost, NativeAOT) and gohost (go-plugin v1.0.1).
# Rounds alternate plugins so all see the same machine load.
# Usage: plugins/bench-launch.sh [ROUNDS]   (default 5 rounds of 20 launches per plugin, host and TLS mode)
# CM_BENCH_BASELINE=DIR also runs DIR/env-linux-amd64 and DIR/cstest-linux-amd64 (e.g. copies published from an
# older commit) in the same interleaved rounds, for a before/after comparison under the same load.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5}
layout=$root/artifacts/plugins/.configmanager/plugins
hostbench=$root/artifacts/hostbench-aot/hostbench
gohost=$root/artifacts/go/gohost
goplugin=$root/artifacts/go/testplugin
[ -x "$gohost" ] && [ -x "$goplugin" ] || "$root/plugins/go/build.sh" >/dev/null
[ -x "$hostbench" ] || dotnet publish "$root/perf/ConfigManager.HostBench" -c Release -r linux-x64 -p:PublishAot=true -o "$root/artifacts/hostbench-aot" -m:1 >/dev/null
for project in Env TestPlugin; do
  dotnet publish "$root/plugins/$project" -c Release -r linux-x64 -m:1 -nologo >/dev/null
done
export CM_BENCH_VALUE=bench
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
i=0
while [ "$i" -lt "$rounds" ]; do
  for host in "$hostbench" "$gohost"; do
    for mtls in -mtls=false -mtls; do
      "$host" -plugin "$goplugin" -bench launch -n 20 "$mtls" -token echo/bench | sed 's/^/go-testplugin /' >>"$raw"
      "$host" -plugin "$layout/env/env-linux-amd64" -bench launch -n 20 "$mtls" -token CM_BENCH_VALUE | sed 's/^/cs-env /' >>"$raw"
      "$host" -plugin "$layout/cstest/cstest-linux-amd64" -bench launch -n 20 "$mtls" -token echo/bench | sed 's/^/cs-testplugin /' >>"$raw"
      if [ -n "${CM_BENCH_BASELINE:-}" ]; then
        "$host" -plugin "$CM_BENCH_BASELINE/env-linux-amd64" -bench launch -n 20 "$mtls" -token CM_BENCH_VALUE | sed 's/^/cs-env-baseline /' >>"$raw"
        "$host" -plugin "$CM_BENCH_BASELINE/cstest-linux-amd64" -bench launch -n 20 "$mtls" -token echo/bench | sed 's/^/cs-testplugin-baseline /' >>"$raw"
      fi
    done
  done
  i=$((i + 1))
done
cat "$raw"
python3 - "$raw" <<'PY'
import json, statistics, sys
rows = []
for line in open(sys.argv[1]):
    plugin, _, payload = line.strip().partition(" ")
    if payload:
        row = json.loads(payload)
        row["plugin"] = plugin
        rows.append(row)
def med(plugin, host, mtls, field):
    vals = [r["launch"][field] for r in rows if r["plugin"] == plugin and r["host"] == host and r["mtls"] == mtls]
    return statistics.median(vals) / 1000.0 if vals else float("nan")
print()
print("| host | TLS | Go test plugin | C# ENV plugin | C# test plugin | ENV/Go | C# test/Go |")
print("|---|---|---|---|---|---|---|")
for host in ("dotnet", "go"):
    for mtls in (False, True):
        for field in ("p50_us", "mean_us"):
            g, e, t = (med(p, host, mtls, field) for p in ("go-testplugin", "cs-env", "cs-testplugin"))
            name = "PluginHost (hostbench)" if host == "dotnet" else "go-plugin (gohost)"
            print(f"| {name} {field[:-3]} | {'AutoMTLS' if mtls else 'plain'} | {g:.1f} ms | {e:.1f} ms | {t:.1f} ms | {e/g:.2f} | {t/g:.2f} |")
if any(r["plugin"].endswith("-baseline") for r in rows):
    print()
    print("| host | TLS | Go test plugin | ENV baseline | ENV now | C# test baseline | C# test now | ENV baseline/Go | ENV now/Go | C# test baseline/Go | C# test now/Go |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for host in ("dotnet", "go"):
        for mtls in (False, True):
            g, eb, e, tb, t = (med(p, host, mtls, "p50_us") for p in ("go-testplugin", "cs-env-baseline", "cs-env", "cs-testplugin-baseline", "cs-testplugin"))
            name = "PluginHost (hostbench)" if host == "dotnet" else "go-plugin (gohost)"
            print(f"| {name} p50 | {'AutoMTLS' if mtls else 'plain'} | {g:.1f} ms | {eb:.1f} ms | {e:.1f} ms | {tb:.1f} ms | {t:.1f} ms | {eb/g:.2f} | {e/g:.2f} | {tb/g:.2f} | {t/g:.2f} |")
PY
