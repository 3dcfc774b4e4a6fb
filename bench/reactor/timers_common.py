"""Shared driver for the Python timers benchmarks: N timers at random delays in [0, 1] s, every other one cancelled."""
import random
import sys
import time


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return -1


def run(name, schedule, start_loop, stop_loop, n=None):
    """schedule(delay_s, fn) -> handle with .cancel(); start_loop() blocks until stop_loop() is called."""
    if n is None:
        n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    target = n - n // 2
    rnd = random.Random(42)
    state = {"fired": 0}

    def fire():
        state["fired"] += 1
        if state["fired"] == target:
            stop_loop()

    cpu0 = time.process_time()
    t0 = time.perf_counter()

    def setup():
        handles = [schedule(rnd.randint(0, 1000) / 1000.0, fire) for _ in range(n)]
        for h in handles[::2]:
            h.cancel()

    start_loop(setup)
    wall_ms = int((time.perf_counter() - t0) * 1000)
    cpu_ms = int((time.process_time() - cpu0) * 1000)
    print(f"name={name} timers={n} fired={state['fired']} wall_ms={wall_ms} cpu_ms={cpu_ms} peak_rss_mb={peak_rss_mb()}")
