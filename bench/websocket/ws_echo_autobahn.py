"""Autobahn echo server on asyncio with uvloop, for bench/websocket/run.sh; prints "PORT n"."""
import asyncio
import uvloop
from autobahn.asyncio.websocket import WebSocketServerProtocol, WebSocketServerFactory


class Echo(WebSocketServerProtocol):
    def onMessage(self, payload, isBinary):
        self.sendMessage(payload, isBinary)


uvloop.install()
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
factory = WebSocketServerFactory()
factory.protocol = Echo
factory.setProtocolOptions(maxMessagePayloadSize=1 << 20, maxFramePayloadSize=1 << 20)
server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))
print("PORT", server.sockets[0].getsockname()[1], flush=True)
loop.run_forever()
