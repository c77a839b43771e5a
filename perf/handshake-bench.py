#!/usr/bin/env python3
"""Launch -> go-plugin handshake line, for plugin binaries side by side (docs/benchmarks.md, "Plugin start-up").

Usage: perf/handshake-bench.py [-n ROUNDS] [--copy] BINARY...

Each round launches every BINARY once, in turn (interleaved, so all see the same machine load), with the magic
cookie set as a host sets it, and times process start to the first stdout line (the handshake); the plugin is then
stopped with SIGTERM and waited for. --copy first copies the binary into a fresh 0700 folder while hashing it
(SHA-256), as PluginHost does for a packaged plugin before launching the verified copy, and counts that too.
Prints one JSON line per launch on stderr and a median/mean/min table on stdout.
"""
import argparse
import hashlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

COOKIE = {"CONFIGMANAGER_PLUGIN": "configmanager-plugin-hello", "PLUGIN_PROTOCOL_VERSIONS": "1"}


def launch(binary, copy):
    start = time.perf_counter()
    folder = None
    path = binary
    if copy:
        folder = tempfile.mkdtemp(prefix="cm-handshake-")
        os.chmod(folder, 0o700)
        path = os.path.join(folder, os.path.basename(binary))
        digest = hashlib.sha256()
        with open(binary, "rb") as source, open(path, "wb") as target:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
                target.write(chunk)
        os.chmod(path, 0o700)
    env = dict(os.environ, **COOKIE)
    process = subprocess.Popen([path], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if folder:
        shutil.rmtree(folder)
    if not line.startswith(b"1|"):
        sys.exit(f"{binary}: no handshake line, got {line!r}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=10)
    parser.add_argument("--copy", action="store_true")
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    samples = {b: [] for b in args.binaries}
    for round_ in range(args.n):
        for binary in args.binaries:
            seconds = launch(binary, args.copy)
            samples[binary].append(seconds)
            print(f'{{"round": {round_}, "binary": "{binary}", "copy": {str(args.copy).lower()}, "ms": {seconds * 1000:.1f}}}', file=sys.stderr)
    print(f"| binary | size | launches | median | mean | min |{' (copy + SHA-256 + launch)' if args.copy else ''}")
    print("|---|---|---|---|---|---|")
    for binary, values in samples.items():
        size = os.path.getsize(binary) / (1 << 20)
        print(f"| {binary} | {size:.1f} MiB | {len(values)} | {statistics.median(values) * 1000:.0f} ms | "
              f"{statistics.mean(values) * 1000:.0f} ms | {min(values) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
