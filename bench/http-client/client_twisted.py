"""bench/http-client/run.sh's Twisted client: Agent with a persistent HTTPConnectionPool.

usage: client_twisted.py URL CONNECTIONS SECONDS WARMUP -- keeps CONNECTIONS requests in flight for WARMUP seconds, then for
SECONDS, and prints "requests=N seconds=S cpu_us=C" (CPU = this process's user + system time over the window).
"""
import os
import sys
import time

from twisted.internet import reactor
from twisted.web.client import Agent, HTTPConnectionPool, readBody

url, connections, seconds, warmup = sys.argv[1].encode(), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
pool = HTTPConnectionPool(reactor, persistent=True)
pool.maxPersistentPerHost = connections
agent = Agent(reactor, pool=pool)
state = {"count": 0, "start": None, "end": None, "cpu0": 0.0, "cpu1": 0.0, "stopped": 0}
began = time.monotonic()


def cpu():
    t = os.times()
    return t.user + t.system


def done(_):
    now = time.monotonic()
    if state["start"] is None:
        if now - began >= warmup:
            state["start"], state["cpu0"] = now, cpu()
        return loop()
    if state["end"] is not None:
        return stop()
    state["count"] += 1
    if now - state["start"] < seconds:
        return loop()
    state["end"], state["cpu1"] = now, cpu()
    return stop()


def stop():
    state["stopped"] += 1
    if state["stopped"] == connections:
        reactor.stop()


def failed(f):
    print(f.getTraceback(), file=sys.stderr)
    reactor.stop()


def loop():
    agent.request(b"GET", url).addCallback(readBody).addCallbacks(done, failed)


for _ in range(connections):
    reactor.callWhenRunning(loop)
reactor.run()
print("requests=%d seconds=%.3f cpu_us=%.0f" % (state["count"], (state["end"] or 0) - (state["start"] or 0),
                                               (state["cpu1"] - state["cpu0"]) * 1e6))
