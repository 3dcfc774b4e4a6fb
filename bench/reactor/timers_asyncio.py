"""asyncio's side of the timers benchmark (see timers_common.py)."""
import asyncio
import sys

from timers_common import run


def main(loop, name):
    def start(setup):
        loop.call_soon(setup)
        loop.run_forever()

    run(f"{name}-py{sys.version_info.major}.{sys.version_info.minor}", loop.call_later, start, loop.stop)


if __name__ == "__main__":
    main(asyncio.new_event_loop(), "asyncio")
