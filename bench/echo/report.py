"""Turns bench/echo/run.sh's raw measurements into markdown tables of medians (or, with --check, verifies a smoke run).

Raw lines look like
  echo server=twine round=1 conns=100 msg=1024 secs=5.001 round_trips=... rt_per_s=... server_cpu_us_per_rt=... ...
  idle server=twine round=1 conns=10000 rss_before_kb=... rss_after_kb=... bytes_per_conn=...
"""
import argparse
import statistics
import sys
from collections import defaultdict

NAMES = {
    "twine": "Twine (reactor, epoll)",
    "dotnet": ".NET Socket, async loop per connection",
    "twisted": "Twisted (epollreactor)",
    "asyncio": "asyncio (Protocol)",
    "uvloop": "uvloop (Protocol)",
    "node": "Node net",
}


def parse(path):
    echo = defaultdict(list)  # (server, conns) -> [row]
    idle = defaultdict(list)  # server -> [row]
    with open(path) as f:
        for line in f:
            words = line.split()
            if not words:
                continue
            row = dict(w.split("=", 1) for w in words[1:])
            if words[0] == "echo":
                echo[(row["server"], int(row["conns"]))].append(row)
            elif words[0] == "idle":
                idle[row["server"]].append(row)
    return echo, idle


def med(rows, key):
    return statistics.median(float(r[key]) for r in rows)


def fmt_int(x):
    return f"{x:,.0f}"


def table(title, servers, conn_counts, echo, cell):
    out = [f"**{title}**", "", "| Server | " + " | ".join(f"{c:,} conn" for c in conn_counts) + " |",
           "|---|" + "---:|" * len(conn_counts)]
    for s in servers:
        cells = []
        for c in conn_counts:
            rows = echo.get((s, c))
            cells.append(cell(rows) if rows else "not measured")
        out.append(f"| {NAMES.get(s, s)} | " + " | ".join(cells) + " |")
    return out + [""]


def verdict(ok, text):
    return f"- **{'met' if ok else 'missed'}**: {text}"


def report(args):
    echo, idle = parse(args.raw)
    servers = args.servers.split()
    conn_counts = sorted({c for (_, c) in echo})
    lines = []
    if args.command:
        lines += ["Command: `" + args.command + "`", ""]
    if args.machine:
        lines += [f"Machine: {args.machine}", ""]
    if args.versions:
        lines += [f"Peers: {args.versions}", ""]
    if args.method:
        lines += [f"Settings: {args.method}", ""]
    lines += table("Round trips per second (median; higher is better)", servers, conn_counts, echo,
                   lambda rows: fmt_int(med(rows, "rt_per_s")))
    lines += table("Server CPU microseconds per round trip (median; lower is better)", servers, conn_counts, echo,
                   lambda rows: f"{med(rows, 'server_cpu_us_per_rt'):.2f}")
    lines += table("CPU busy, server % / load generator % (median; 100 % = one core saturated)", servers,
                   conn_counts, echo,
                   lambda rows: f"{med(rows, 'server_cpu_pct'):.0f} / {med(rows, 'client_cpu_pct'):.0f}")
    if idle:
        n = int(next(iter(idle.values()))[0]["conns"])
        lines += [f"**Memory per idle connection ({n:,} open connections; median; lower is better)**", "",
                  "| Server | bytes per connection | server RSS before → after (MiB) |", "|---|---:|---:|"]
        for s in servers:
            rows = idle.get(s)
            if not rows:
                lines.append(f"| {NAMES.get(s, s)} | not measured | |")
                continue
            lines.append(f"| {NAMES.get(s, s)} | {fmt_int(med(rows, 'bytes_per_conn'))} | "
                         f"{med(rows, 'rss_before_kb') / 1024:.1f} → {med(rows, 'rss_after_kb') / 1024:.1f} |")
        lines.append("")

    # The targets, judged on the medians.
    twine100, uv100, net100 = (echo.get((s, 100)) for s in ("twine", "uvloop", "dotnet"))
    # A sweep without 100 connections or an idle test has nothing to judge: leave the heading out then.
    if twine100 or idle.get("twine"):
        lines += ["**Targets**", ""]
    if twine100 and uv100:
        t, u = med(twine100, "server_cpu_us_per_rt"), med(uv100, "server_cpu_us_per_rt")
        lines.append(verdict(t <= u, f"Twine's CPU per round trip at 100 connections ≤ uvloop's: {t:.2f} µs vs "
                                     f"{u:.2f} µs ({(t / u - 1) * 100:+.0f} %)"))
    if twine100 and net100:
        t, d = med(twine100, "server_cpu_us_per_rt"), med(net100, "server_cpu_us_per_rt")
        lines.append(verdict(t < d, f"Twine's CPU per round trip at 100 connections < the .NET async-socket "
                                    f"server's: {t:.2f} µs vs {d:.2f} µs ({(t / d - 1) * 100:+.0f} %)"))
    if idle.get("twine"):
        b = med(idle["twine"], "bytes_per_conn")
        node = f" (Node: {fmt_int(med(idle['node'], 'bytes_per_conn'))} B)" if idle.get("node") else ""
        lines.append(verdict(b <= 4096, f"Twine's memory per idle connection ≤ 4 KiB: {fmt_int(b)} B{node}"))
    lines.append("")

    lines += ["<details><summary>Every measured window</summary>", "", "```"]
    with open(args.raw) as f:
        lines += [l.rstrip("\n") for l in f]
    lines += ["```", "</details>", ""]
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


def check(args):
    echo, idle = parse(args.raw)
    bad = []
    for s in args.servers.split():
        rows = [r for (srv, _), rs in echo.items() if srv == s for r in rs]
        if not rows or any(int(r["round_trips"]) <= 0 for r in rows):
            bad.append(f"{s}: no round trips")
        if idle and s not in idle:
            bad.append(f"{s}: no idle measurement")
    if bad:
        print("smoke check FAILED: " + "; ".join(bad), file=sys.stderr)
        return 1
    print("smoke check passed: every server echoed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("raw")
    p.add_argument("--servers", required=True)
    p.add_argument("--command")
    p.add_argument("--machine")
    p.add_argument("--versions")
    p.add_argument("--method")
    p.add_argument("--out")
    p.add_argument("--check", action="store_true")
    a = p.parse_args()
    sys.exit(check(a) if a.check else report(a) or 0)
