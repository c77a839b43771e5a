#!/usr/bin/env python3
"""AWS batching benchmark (docs/benchmarks.md, "AWS batching").

100 distinct SSM parameters through `dotnet configmanager retrieve` and the AWSPARAMSTR plugin (NativeAOT) on moto,
batched (default) against the same plugin with CONFIGMANAGER_AWSPARAMSTR_BATCHING=off (one call per token, as
configmanager does): GetParameters calls counted by a small counting proxy in front of moto, and wall time, rounds
alternating so both see the same machine load. Then plugin launch -> first value under go-plugin's own host (gohost,
-bench launch) for the AWSPARAMSTR plugin and the Go test plugin.

Usage: perf/aws-bench.py [--rounds 10] [--tool PATH] [--launch-only] [--samples 5] [--plugin PATH] [--compare NAME=PATH ...]
  --launch-only      only launch -> first value (no 100-parameter rounds; the tool is not needed)
  --compare NAME=PATH another build of the plugin (e.g. before a change), measured interleaved with the current one
  --ca-bundle PATH   set AWS_CA_BUNDLE for the launch runs (e.g. /etc/ssl/certs/ca-certificates.crt; the SDK parses it on its first request)
Prints Markdown tables and SUMMARY lines (grep ^SUMMARY) with the load average.
Needs: moto_server on PATH, the plugin published (plugins/publish.sh), the tool built (dotnet build src/ConfigManager.Tool -c Release),
artifacts/go/gohost and artifacts/go/testplugin (plugins/go/build.sh). Talks to 127.0.0.1 only.
"""
import launchbench
import argparse, http.client, http.server, json, os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGIN = os.path.join(ROOT, "artifacts/plugins/.configmanager/plugins/awsparamstr/awsparamstr-linux-amd64")
GOHOST = os.path.join(ROOT, "artifacts/go/gohost")
GOPLUGIN = os.path.join(ROOT, "artifacts/go/testplugin")
N = 100


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(endpoint, target, body):
    req = urllib.request.Request(endpoint, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target,
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIABENCH/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=0"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, target):
        with self.lock:
            self.counts[target] = self.counts.get(target, 0) + 1

    def get(self, target):
        with self.lock:
            return self.counts.get(target, 0)


def start_proxy(moto_port, counter):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            counter.add(self.headers.get("X-Amz-Target", ""))
            conn = http.client.HTTPConnection("127.0.0.1", moto_port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "content-length")}
            conn.request("POST", self.path, body, headers)
            reply = conn.getresponse()
            data = reply.read()
            self.send_response(reply.status)
            for k, v in reply.getheaders():
                if k.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            conn.close()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--window-ms", help="CONFIGMANAGER_AWSPARAMSTR_BATCH_WINDOW_MS for the batched runs (default: the plugin's 3 ms)")
    parser.add_argument("--tool", default=os.path.join(ROOT, "src/ConfigManager.Tool/bin/Release/net10.0/dotnet-configmanager"))
    parser.add_argument("--launch-only", action="store_true", help="skip the 100-parameter rounds")
    parser.add_argument("--samples", type=int, help="launch samples of 20 launches each (default: max(3, rounds/2))")
    parser.add_argument("--plugin", default=PLUGIN, help="the AWSPARAMSTR plugin to measure (default: the published one)")
    parser.add_argument("--compare", action="append", metavar="NAME=PATH", help="another AWSPARAMSTR build for the launch comparison")
    parser.add_argument("--ca-bundle", metavar="PATH", help="AWS_CA_BUNDLE for the launch runs (the SDK reads it on its first request; unset by default)")
    args = parser.parse_args()
    compare = launchbench.parse_compare(args.compare)
    for path in (args.plugin, GOHOST, GOPLUGIN) + (() if args.launch_only else (args.tool,)):
        if not os.path.exists(path):
            sys.exit(f"missing {path} (see the usage at the top of this file)")
    moto_server = shutil.which("moto_server") or sys.exit("moto_server not found: pip install 'moto[server]==5.2.1'")
    work = tempfile.mkdtemp(prefix="aws-bench-")
    port = free_port()
    moto = subprocess.Popen([moto_server, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        endpoint = f"http://127.0.0.1:{port}/"
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(endpoint + "moto-api/data.json", timeout=5).read()
                break
            except OSError:
                if time.time() > deadline:
                    sys.exit("moto_server did not answer within 60 s")
                time.sleep(0.2)
        for i in range(N):
            call(endpoint, "AmazonSSM.PutParameter", {"Name": f"/bench/p{i:03d}", "Value": f"bench-value-{i:03d}", "Type": "SecureString"})
        counter = Counter()
        proxy = start_proxy(port, counter)
        layout = os.path.join(work, "layout")
        os.makedirs(os.path.join(layout, ".configmanager/plugins/awsparamstr"))
        os.symlink(args.plugin, os.path.join(layout, ".configmanager/plugins/awsparamstr/awsparamstr-linux-amd64"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        env.update({
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{proxy.server_address[1]}", "AWS_ACCESS_KEY_ID": "AKIABENCH0000000000",
            "AWS_SECRET_ACCESS_KEY": "bench-secret-not-a-secret", "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.path.join(work, "no-config"), "AWS_SHARED_CREDENTIALS_FILE": os.path.join(work, "no-credentials"),
            "HOME": work, "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
        })
        tokens = [a for i in range(N) for a in ("-t", f"AWSPARAMSTR:///bench/p{i:03d}")]
        results = {"on": [], "off": []}
        calls = {"on": [], "off": []}
        for r in range(0 if args.launch_only else args.rounds + 1):
            for mode in (("on", "off") if r % 2 == 0 else ("off", "on")):
                run_env = dict(env, CONFIGMANAGER_AWSPARAMSTR_BATCHING=mode)
                if args.window_ms and mode == "on":
                    run_env["CONFIGMANAGER_AWSPARAMSTR_BATCH_WINDOW_MS"] = args.window_ms
                before = counter.get("AmazonSSM.GetParameters")
                started = time.perf_counter()
                done = subprocess.run([args.tool, "retrieve", *tokens, "-p", "stdout", "--plugin-dir", layout], env=run_env, cwd=work, capture_output=True, text=True)
                elapsed = time.perf_counter() - started
                if done.returncode != 0 or done.stdout.count("bench-value-") != N:
                    sys.exit(f"retrieve failed ({mode}): {done.stderr[-2000:]}")
                if r > 0:  # round 0 warms caches
                    results[mode].append(elapsed)
                    calls[mode].append(counter.get("AmazonSSM.GetParameters") - before)
        base_env = dict(env, CONFIGMANAGER_AWSPARAMSTR_BATCHING="on")
        if args.ca_bundle:
            base_env["AWS_CA_BUNDLE"] = args.ca_bundle
        samples = args.samples or max(3, args.rounds // 2)
        plugins = [("go-testplugin", GOPLUGIN, "echo/bench"), ("awsparamstr", args.plugin, "/bench/p000")] + [(name, path, "/bench/p000") for name, path in compare]
        medians, raw = launchbench.measure(GOHOST, plugins, base_env, samples)
        proxy.shutdown()
        if not args.launch_only:
            on, off = statistics.median(results["on"]), statistics.median(results["off"])
            print(json.dumps({"rounds": args.rounds, "wall_s": {"batched": on, "unbatched": off}, "calls": {"batched": calls["on"], "unbatched": calls["off"]}, "launch_p50_ms": {name: parts["launch"] for name, parts in medians.items()}}))
            print()
            print(f"| {N} distinct SSM parameters, `retrieve` | batched (default) | batching off | batched / off |")
            print("|---|---|---|---|")
            print(f"| GetParameters calls (median of {args.rounds}; min-max) | {statistics.median(calls['on']):.0f} ({min(calls['on'])}-{max(calls['on'])}) | {statistics.median(calls['off']):.0f} | {statistics.median(calls['on']) / statistics.median(calls['off']):.2f} |")
            print(f"| wall time, median | {on * 1000:.0f} ms | {off * 1000:.0f} ms | {on / off:.2f} |")
            print(f"SUMMARY batching AWSPARAMSTR: GetParameters calls median {statistics.median(calls['on']):.0f} (goal <= {-(-N // 10)}) vs {statistics.median(calls['off']):.0f} unbatched; "
                  f"wall {on * 1000:.0f} ms vs {off * 1000:.0f} ms ({on / off:.2f}, goal <= 1); load average (1/5/15 min) {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
        launchbench.report(medians, raw, "awsparamstr", "go-testplugin", samples)
    finally:
        moto.kill()
        moto.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
