"""uvloop's side of the timers benchmark (see timers_common.py)."""
import uvloop

from timers_asyncio import main

if __name__ == "__main__":
    main(uvloop.new_event_loop(), f"uvloop-{uvloop.__version__}")
