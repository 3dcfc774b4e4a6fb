"""
An Autobahn (asyncio) client for the Twine slow-square WebSocket service (samples/WsSquare): it sends every request
at once on one connection and prints each answer as it arrives.

    dotnet run --project samples/WsSquare -- server                                  # in one terminal
    /usr/bin/python3 samples/WsSquare/square_ws_client.py ws://127.0.0.1:9001/square 3 1 4 2

The answers come back smallest first: the server takes x units of time for SlowSquare(x). Exits 0 when every request
was answered and the closing handshake was clean.
"""

import asyncio
import sys

from autobahn.asyncio.websocket import WebSocketClientFactory, WebSocketClientProtocol


class SquareClient(WebSocketClientProtocol):
    def onOpen(self):
        numbers = self.factory.numbers
        print("asking for the squares of", ", ".join(map(str, numbers)), "all at once", flush=True)
        self.pending = dict(enumerate(numbers, 1))
        self.answered = []
        for ident, x in self.pending.items():
            self.sendMessage(f"{ident} {x}".encode("utf-8"), isBinary=False)

    def onMessage(self, payload, isBinary):
        ident, _, answer = payload.decode("utf-8").partition(" ")
        x = self.pending.pop(int(ident))
        if answer.startswith("error "):
            print(f"SlowSquare({x}) refused: {answer[6:]}", flush=True)
        else:
            print(f"SlowSquare({x}) = {answer}", flush=True)
        self.answered.append(x)
        if not self.pending:
            print("answered in the order", ", ".join(map(str, self.answered)), flush=True)
            self.sendClose(1000)

    def onClose(self, wasClean, code, reason):
        if not self.factory.closed.done():
            self.factory.closed.set_result(wasClean and code == 1000 and not getattr(self, "pending", True))


def main(url="ws://127.0.0.1:9001/square", *numbers):
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    factory = WebSocketClientFactory(url, protocols=["square.v1"])
    factory.protocol = SquareClient
    factory.numbers = [int(n) for n in numbers] or [3, 1, 4, 2]
    factory.closed = loop.create_future()
    host, port = factory.host, factory.port
    loop.run_until_complete(loop.create_connection(factory, host, port))
    ok = loop.run_until_complete(asyncio.wait_for(factory.closed, 60))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main(*sys.argv[1:])
