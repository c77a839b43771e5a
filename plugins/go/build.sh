#!/bin/sh
# Builds our Go test plugin (plugins/go) and Go host (perf/gohost) against Debian's go-plugin v1.0.1
# in GOPATH mode. The generated token_store.pb.go lives only in the temporary GOPATH, never in git.
# Usage: plugins/go/build.sh [OUTDIR]   (default: artifacts/go) → OUTDIR/testplugin, OUTDIR/gohost
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/artifacts/go}
mkdir -p "$out"
out=$(cd "$out" && pwd)
gopath=$out/gopath
src=$gopath/src/cmtest
rm -rf "$src"
mkdir -p "$src/proto" "$src/testplugin" "$src/gohost"
cp "$root/proto/token_store.proto" "$src/proto/"
cp "$root"/plugins/go/*.go "$src/testplugin/"
cp "$root"/perf/gohost/*.go "$src/gohost/"
(cd "$src" && protoc --go_out=plugins=grpc,paths=source_relative:. proto/token_store.proto)
export GO111MODULE=off GOFLAGS= CGO_ENABLED=0 GOPATH="$gopath:/usr/share/gocode" GOCACHE="$out/gocache"
(cd "$src/testplugin" && go build -o "$out/testplugin.tmp" . && mv "$out/testplugin.tmp" "$out/testplugin")
(cd "$src/gohost" && go build -o "$out/gohost.tmp" . && mv "$out/gohost.tmp" "$out/gohost")
echo "built $out/testplugin $out/gohost"
