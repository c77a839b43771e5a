"""Launch -> first value under go-plugin's own host (gohost -bench launch), shared by perf/aws-bench.py and
perf/aws-secrets-bench.py: several plugins measured in the same session, interleaved (each sample runs every plugin once,
the order reversed every other sample), so a before/after pair sees the same machine load.

Each sample is `gohost -bench launch -n N -mtls=false`: N launches, each start -> handshake -> connected -> first Value ->
kill; gohost reports the p50 of the whole launch and of its two parts (`handshake`: the plugin's own start-up until the
host is connected; `first_value`: the first Value call, where a store plugin still builds its client, resolves
credentials and makes its first request). The figure per plugin is the median of the samples' p50s.
"""
import json
import os
import statistics
import subprocess

PARTS = ("launch", "handshake", "first_value")


def parse_compare(values):
    """`--compare NAME=PATH` arguments -> [(name, path)]."""
    pairs = []
    for value in values or []:
        name, sep, path = value.partition("=")
        if not sep or not name or not os.access(path, os.X_OK):
            raise SystemExit(f"--compare wants NAME=PATH to an executable plugin, got {value!r}")
        pairs.append((name, path))
    return pairs


def measure(gohost, plugins, env, samples, launches=20):
    """plugins: [(name, path, token)]; returns {name: {part: median p50 ms}} and the per-sample p50s."""
    raw = {name: {part: [] for part in PARTS} for name, _, _ in plugins}
    for sample in range(samples):
        for name, path, token in (plugins if sample % 2 == 0 else list(reversed(plugins))):
            out = subprocess.run([gohost, "-plugin", path, "-bench", "launch", "-n", str(launches), "-mtls=false", "-token", token],
                                 env=env, capture_output=True, text=True, timeout=900)
            if out.returncode != 0:
                raise SystemExit(f"gohost -bench launch failed for {name} ({path}): {out.stderr[-2000:]}")
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            for part in PARTS:
                if part in figures:
                    raw[name][part].append(figures[part]["p50_us"] / 1000.0)
    medians = {name: {part: statistics.median(values) for part, values in parts.items() if values} for name, parts in raw.items()}
    return medians, raw


def report(medians, raw, subject, reference, samples, launches=20, goal_ms=50.0):
    """Prints a Markdown table and one SUMMARY line (what the lead greps for on a quiet machine)."""
    print()
    print(f"| launch -> first value -> shutdown (gohost, plain; median of {samples} samples, each the p50 of {launches} launches) "
          "| whole launch | start -> handshake | first Value | samples (whole launch, ms) |")
    print("|---|---|---|---|---|")
    for name, parts in medians.items():
        cells = [f"{parts[part]:.1f} ms" if part in parts else "n/a" for part in PARTS]
        print(f"| {name} | {' | '.join(cells)} | {', '.join(f'{v:.1f}' for v in raw[name]['launch'])} |")
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    mine = medians[subject]["launch"]
    others = "; ".join(
        f"{name} {parts['launch']:.1f} ms" + (f" (handshake {parts['handshake']:.1f}, first value {parts['first_value']:.1f})" if "first_value" in parts else "")
        for name, parts in medians.items() if name != subject)
    print(f"SUMMARY launch->first value p50: {subject} {mine:.1f} ms (handshake {medians[subject].get('handshake', float('nan')):.1f}, "
          f"first value {medians[subject].get('first_value', float('nan')):.1f}); {others}; {subject}/{reference} "
          f"{mine / medians[reference]['launch']:.1f}x; goal <= {goal_ms:.0f} ms: {'met' if mine <= goal_ms else 'NOT met'}; "
          f"load average (1/5/15 min) {load}")
