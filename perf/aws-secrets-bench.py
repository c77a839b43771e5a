#!/usr/bin/env python3
"""AWSSECRETS batching benchmark: 100 secrets through `dotnet configmanager retrieve` on moto, batched against
unbatched (CONFIGMANAGER_AWSSECRETS_BATCHING=off, one GetSecretValue per token as configmanager does): API calls
(counted by X-Amz-Target in a loopback proxy in front of moto) and wall time, rounds alternating; then plugin launch
-> first value under gohost for the AWSSECRETS plugin and the Go test plugin.

  perf/aws-secrets-bench.py [ROUNDS]      (default 5; needs moto_server, boto3, the published plugin, gohost)
  CM=/path/to/dotnet-configmanager perf/aws-secrets-bench.py
  perf/aws-secrets-bench.py --launch-only [--samples 5] [--plugin PATH] [--compare NAME=PATH ...]
      only launch -> first value (no tool needed); --compare adds another build of the plugin (e.g. before a change),
      measured interleaved with the current one. Every mode ends with SUMMARY lines (grep ^SUMMARY) and the load average.

Loopback only: moto on 127.0.0.1, dummy keys, every other credential source off, proxies unset.
"""
import argparse
import http.client
import http.server
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

import launchbench

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = 100
PLUGIN = os.path.join(ROOT, "artifacts/plugins/.configmanager/plugins/awssecrets/awssecrets-linux-amd64")
GOHOST = os.path.join(ROOT, "artifacts/go/gohost")
GOPLUGIN = os.path.join(ROOT, "artifacts/go/testplugin")
ENVPLUGIN = os.path.join(ROOT, "artifacts/plugins/.configmanager/plugins/env/env-linux-amd64")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool_path():
    if os.environ.get("CM"):
        return os.environ["CM"]
    for candidate in ("artifacts/cli-bench/tool/dotnet-configmanager", "src/ConfigManager.Tool/bin/Release/net10.0/dotnet-configmanager"):
        path = os.path.join(ROOT, candidate)
        if os.access(path, os.X_OK):
            return path
    subprocess.run(["dotnet", "build", "src/ConfigManager.Tool", "-c", "Release", "-m:1", "--nologo", "-v:q"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "src/ConfigManager.Tool/bin/Release/net10.0/dotnet-configmanager")


class CountingProxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.counts = Counter()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), ProxyHandler)


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.counts[self.headers.get("X-Amz-Target", "(none)")] += 1
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
        upstream.request("POST", self.path, body=body, headers=headers)
        reply = upstream.getresponse()
        data = reply.read()
        self.send_response(reply.status)
        for k, v in reply.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()


def plugin_environment(endpoint, scratch):
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("AWS_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"))}
    env.update({
        "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "AKIAMOTOBENCHKEY0000", "AWS_SECRET_ACCESS_KEY": "moto-bench-not-a-secret",
        "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": os.path.join(scratch, "no-config"), "AWS_SHARED_CREDENTIALS_FILE": os.path.join(scratch, "no-credentials"),
    })
    return env


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rounds", nargs="?", type=int, default=5)
    parser.add_argument("--launch-only", action="store_true", help="skip the 100-secret rounds")
    parser.add_argument("--samples", type=int, default=5, help="launch samples of 20 launches each")
    parser.add_argument("--plugin", default=PLUGIN, help="the AWSSECRETS plugin to measure (default: the published one)")
    parser.add_argument("--compare", action="append", metavar="NAME=PATH", help="another AWSSECRETS build for the launch comparison")
    args = parser.parse_args()
    compare = launchbench.parse_compare(args.compare)
    rounds = args.rounds
    for path in (args.plugin, GOHOST, GOPLUGIN):
        if not os.access(path, os.X_OK):
            sys.exit(f"missing {path}: dotnet publish plugins/AwsSecrets -c Release -r linux-x64; plugins/go/build.sh")
    import boto3  # moto's own dependency

    cm = None if args.launch_only else tool_path()
    scratch = tempfile.mkdtemp(prefix="awssm-bench-")
    port = free_port()
    moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=scratch)
    proxy = None
    try:
        for _ in range(300):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/moto-api/data.json")
                break
            except OSError:
                time.sleep(0.2)
        client = boto3.client("secretsmanager", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                              aws_access_key_id="AKIAMOTOBENCHKEY0000", aws_secret_access_key="moto-bench-not-a-secret")
        for i in range(N):
            client.create_secret(Name=f"bench/secret-{i:03d}", SecretString=json.dumps({"password": f"bench-value-{i:03d}"}))
        proxy = CountingProxy(port)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        env = plugin_environment(f"http://127.0.0.1:{proxy.server_address[1]}", scratch)
        layout = os.path.join(scratch, "layout", ".configmanager", "plugins", "awssecrets")
        os.makedirs(layout)
        os.symlink(args.plugin, os.path.join(layout, "awssecrets-linux-amd64"))
        argv = [cm, "retrieve", "--plugin-dir", os.path.join(scratch, "layout"), "-p", os.path.join(scratch, "out.env")]
        for i in range(N):
            argv += ["-t", f"AWSSECRETS://bench/secret-{i:03d}|password"]

        results = {"batched": [], "unbatched": []}
        calls = {}
        for round_number in range(0 if args.launch_only else rounds + 1):
            for mode in ("batched", "unbatched"):
                run_env = dict(env, CONFIGMANAGER_AWSSECRETS_BATCHING="on" if mode == "batched" else "off")
                with proxy.lock:
                    proxy.counts.clear()
                started = time.perf_counter()
                done = subprocess.run(argv, env=run_env, cwd=scratch, capture_output=True, text=True, timeout=300)
                elapsed = time.perf_counter() - started
                if done.returncode != 0:
                    sys.exit(f"{mode} run failed ({done.returncode}): {done.stderr[-2000:]}")
                if round_number > 0:  # round 0 warms caches
                    results[mode].append(elapsed)
                    with proxy.lock:
                        calls.setdefault(mode, []).append(dict(proxy.counts))

        # What one GetSecretValue costs on moto itself (Python), so launch -> first value can be read net of the server.
        moto_ms = []
        for i in range(20):
            started = time.perf_counter()
            client.get_secret_value(SecretId=f"bench/secret-{i:03d}")
            moto_ms.append((time.perf_counter() - started) * 1000)
        print(f"moto GetSecretValue round trip via boto3, p50: {statistics.median(moto_ms):.1f} ms")

        plugins = [("awssecrets", args.plugin, "bench/secret-000"), ("go-testplugin", GOPLUGIN, "echo/bench")]
        plugins += [(name, path, "bench/secret-000") for name, path in compare]
        if os.access(ENVPLUGIN, os.X_OK):
            plugins.append(("env (C# plugin, no network)", ENVPLUGIN, "AWS_REGION"))
        medians, raw = launchbench.measure(GOHOST, plugins, env, args.samples)

        if not args.launch_only:
            def summary(mode):
                targets = Counter()
                for c in calls[mode]:
                    targets.update(c)
                per_run = {k: v / len(calls[mode]) for k, v in targets.items()}
                return per_run, statistics.median(results[mode])

            batched_calls, batched_wall = summary("batched")
            unbatched_calls, unbatched_wall = summary("unbatched")
            b_total, u_total = sum(batched_calls.values()), sum(unbatched_calls.values())
            print(f"rounds: {rounds}, tokens: {N}, tool: {cm}")
            print(f"| run | API calls per run | by target | wall p50 |")
            print(f"|---|---|---|---|")
            print(f"| batched | {b_total:g} | {batched_calls} | {batched_wall * 1000:.0f} ms |")
            print(f"| unbatched | {u_total:g} | {unbatched_calls} | {unbatched_wall * 1000:.0f} ms |")
            print(f"calls batched/unbatched: {b_total / u_total:.3f} (goal <= ceil(N/20)/N = {math.ceil(N / 20) / N:.3f})")
            print(f"wall batched/unbatched: {batched_wall / unbatched_wall:.2f} (goal <= 1)")
            print(f"SUMMARY batching AWSSECRETS: API calls per run {b_total:g} (goal <= {math.ceil(N / 20)}) vs {u_total:g} unbatched; "
                  f"wall {batched_wall * 1000:.0f} ms vs {unbatched_wall * 1000:.0f} ms ({batched_wall / unbatched_wall:.2f}, goal <= 1); "
                  f"load average (1/5/15 min) {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        launchbench.report(medians, raw, "awssecrets", "go-testplugin", args.samples)
    finally:
        if proxy is not None:
            proxy.shutdown()
        moto.kill()  # by its pid
        moto.wait()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
