"""asyncio echo server (Protocol API, asyncio's fast path), for bench/echo/run.sh. Usage: echo_asyncio.py PORT

echo_uvloop.py runs this same code on uvloop's loop.
"""
import asyncio
import signal
import socket
import sys


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        # Every server in the comparison turns Nagle off, so none of them can stall on a delayed ACK (asyncio
        # already does this for TCP transports; saying it keeps uvloop and asyncio certainly alike).
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data):
        self.transport.write(data)


async def main(port):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, "127.0.0.1", port, backlog=511)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with server:
        await stop


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
