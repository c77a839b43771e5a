#!/bin/sh
# Whole-process wall time of `dotnet configmanager retrieve` (1 and 100 tokens) against the Go host
# program gohost (go-plugin v1.0.1's own client) on the same Go test plugin, with hyperfine.
#   perf/cli-bench.sh            # builds what is missing, prints a table and ratios
#   RUNS=50 perf/cli-bench.sh    # more runs per case
# Results go to artifacts/cli-bench/results.json; docs/benchmarks.md ("## CLI") records one run.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/artifacts/cli-bench"
RUNS=${RUNS:-30}
mkdir -p "$OUT"

command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install -y hyperfine)" >&2; exit 2; }

# 1. The Go test plugin and gohost.
[ -x artifacts/go/testplugin ] && [ -x artifacts/go/gohost ] || sh plugins/go/build.sh artifacts/go
PLUGIN="$ROOT/artifacts/go/testplugin"
GOHOST="$ROOT/artifacts/go/gohost"

# 2. The tool as users install it (pointer + NativeAOT linux-x64 package), and its JIT build for reference.
VERSION=0.0.0-clibench
if [ ! -x "$OUT/tool/dotnet-configmanager" ]; then
  rm -rf "$OUT/feed" "$OUT/tool" "$OUT/nuget"
  dotnet pack src/ConfigManager.Tool -c Release -o "$OUT/feed" -p:Version=$VERSION -m:1 --nologo -v:q
  dotnet pack src/ConfigManager.Tool -c Release -o "$OUT/feed" -p:Version=$VERSION -r linux-x64 -m:1 --nologo -v:q
  NUGET_PACKAGES="$OUT/nuget" dotnet tool install --tool-path "$OUT/tool" --add-source "$OUT/feed" ConfigManager.Tool --version $VERSION
fi
CM="$OUT/tool/dotnet-configmanager"
JIT="$ROOT/src/ConfigManager.Tool/bin/Release/net10.0/dotnet-configmanager"
[ -x "$JIT" ] || dotnet build src/ConfigManager.Tool -c Release -m:1 --nologo -v:q

# 3. A plugin layout with the Go plugin as GOTEST.
LAYOUT="$OUT/layout"
mkdir -p "$LAYOUT/.configmanager/plugins/gotest"
ln -sf "$PLUGIN" "$LAYOUT/.configmanager/plugins/gotest/gotest-linux-amd64"

TOKENS100=""
i=1
while [ $i -le 100 ]; do TOKENS100="$TOKENS100 -t GOTEST:///echo/t$i"; i=$((i + 1)); done

cd "$OUT"
# gohost has no multi-token mode: "100 tokens" for Go is one launch plus 101 sequential calls
# (-bench conc -n 1 -c 1 makes 100 warm-up calls and 1 timed call), an upper bound for 100 concurrent ones.
hyperfine -N --warmup 3 --runs "$RUNS" --export-json results.json \
  -n "go 1 token" "$GOHOST -plugin $PLUGIN -token echo/one" \
  -n "cm 1 token" "$CM retrieve --no-mtls --plugin-dir $LAYOUT -t GOTEST:///echo/one -p stdout" \
  -n "cm-jit 1 token" "$JIT retrieve --no-mtls --plugin-dir $LAYOUT -t GOTEST:///echo/one -p stdout" \
  -n "go 1 token mtls" "$GOHOST -plugin $PLUGIN -mtls -token echo/one" \
  -n "cm 1 token mtls" "$CM retrieve --plugin-dir $LAYOUT -t GOTEST:///echo/one -p stdout" \
  -n "cm 1 token mtls, system store" "env CONFIGMANAGER_KEEP_SYSTEM_TRUST_STORE=1 $CM retrieve --plugin-dir $LAYOUT -t GOTEST:///echo/one -p stdout" \
  -n "go 100 tokens" "$GOHOST -plugin $PLUGIN -bench conc -n 1 -c 1 -token echo/t" \
  -n "cm 100 tokens" "$CM retrieve --no-mtls --plugin-dir $LAYOUT $TOKENS100 -p stdout" \
  -n "go 100 tokens mtls" "$GOHOST -plugin $PLUGIN -mtls -bench conc -n 1 -c 1 -token echo/t" \
  -n "cm 100 tokens mtls" "$CM retrieve --plugin-dir $LAYOUT $TOKENS100 -p stdout" \
  -n "cm 100 tokens mtls, system store" "env CONFIGMANAGER_KEEP_SYSTEM_TRUST_STORE=1 $CM retrieve --plugin-dir $LAYOUT $TOKENS100 -p stdout" \
  > hyperfine.txt

python3 - results.json <<'PY'
import json, sys
runs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def ms(name, key="median"): return runs[name][key] * 1000
print(f"{'case':<34}{'median ms':>10}{'mean ms':>10}{'min ms':>9}")
for name, r in runs.items():
    print(f"{name:<34}{ms(name):>10.1f}{ms(name,'mean'):>10.1f}{ms(name,'min'):>9.1f}")
print()
for cm, go in [("cm 1 token", "go 1 token"), ("cm-jit 1 token", "go 1 token"), ("cm 1 token mtls", "go 1 token mtls"),
               ("cm 1 token mtls, system store", "go 1 token mtls"),
               ("cm 100 tokens", "go 100 tokens"), ("cm 100 tokens mtls", "go 100 tokens mtls"),
               ("cm 100 tokens mtls, system store", "go 100 tokens mtls")]:
    print(f"ratio {cm} / {go}: {ms(cm) / ms(go):.2f} (median)")
PY
