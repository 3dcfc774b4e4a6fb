"""WebSocket interop peer for Twine's tests: an echo server or a checking client, on one of three libraries.

  ws_peer.py server LIB [deflate|deflate10|plain]  echo server on 127.0.0.1:0; prints "PORT n", runs until killed
                                                  (deflate10: websockets only, compressing with a 10-bit window and
                                                  answering server_max_window_bits=10)
  ws_peer.py client LIB URL SIZE... [--deflate]    sends a binary and a text message of each size (text over 64 KiB
                                                  fragmented; the echo servers fragment all over 64 KiB), checks each echo,
                                                  closes with 1000 and prints "OK count" and "CLOSE code"
  ws_peer.py offer LIB URL OFFER[,OFFER...]        offers permessage-deflate as listed (plain, or smwbN for
                                                  server_max_window_bits=N), sends "hello", checks the echo, prints
                                                  "EXT <the server's Sec-WebSocket-Extensions or none>", "OK 1", closes
LIB is websockets (Python's websockets, asyncio), autobahn-twisted or autobahn-asyncio.
"""
import os
import sys


def payloads(size):
    data = os.urandom(size // 2) + bytes(size - size // 2)
    text = ("twine-\u00e9\u20ac-" * (size // 10 + 1)).encode("utf-8")[:size].decode("utf-8", "ignore")
    return data, text


FRAGMENT = 64 * 1024


def pieces(message):
    """A message over 64 KiB as three fragments (for websockets, which fragments an iterable); else the message."""
    if len(message) <= FRAGMENT:
        return message
    third = len(message) // 3
    return [message[:third], message[third:2 * third], message[2 * third:]]


def fragment_size(message):
    return FRAGMENT if len(message) > FRAGMENT else None


def websockets_server(deflate, window_bits=None):
    import asyncio
    import websockets
    from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

    async def echo(ws, path=None):
        async for message in ws:
            await ws.send(pieces(message))

    async def main():
        comp = "deflate" if deflate and window_bits is None else None
        extensions = [ServerPerMessageDeflateFactory(server_max_window_bits=window_bits)] if window_bits else None
        async with websockets.serve(echo, "127.0.0.1", 0, max_size=None, compression=comp, extensions=extensions) as server:
            print("PORT", server.sockets[0].getsockname()[1], flush=True)
            await asyncio.Future()

    asyncio.run(main())


def websockets_client(url, sizes, deflate):
    import asyncio
    import websockets

    async def main():
        count = 0
        async with websockets.connect(url, max_size=None, compression="deflate" if deflate else None) as ws:
            for size in sizes:
                data, text = payloads(size)
                await ws.send(data)
                assert await ws.recv() == data, "binary echo differs"
                await ws.send(pieces(text))
                assert await ws.recv() == text, "text echo differs"
                count += 2
            await ws.close(1000, "done")
            print("OK", count, flush=True)
            print("CLOSE", ws.close_code, flush=True)

    asyncio.run(main())


def websockets_offer(url, offers):
    import asyncio
    import websockets
    from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

    def factory(offer):
        bits = int(offer[4:]) if offer.startswith("smwb") else None
        return ClientPerMessageDeflateFactory(server_max_window_bits=bits)

    async def main():
        async with websockets.connect(url, compression=None, extensions=[factory(o) for o in offers]) as ws:
            print("EXT", ws.response_headers.get("Sec-WebSocket-Extensions") or "none", flush=True)
            await ws.send("hello")
            assert await ws.recv() == "hello", "echo differs"
            print("OK 1", flush=True)
            await ws.close(1000, "done")
            print("CLOSE", ws.close_code, flush=True)

    asyncio.run(main())


def autobahn_offer(url, offers):
    from twisted.internet import reactor
    from autobahn.twisted.websocket import WebSocketClientProtocol, WebSocketClientFactory, connectWS
    from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateResponse, PerMessageDeflateResponseAccept

    class Offerer(WebSocketClientProtocol):
        def onOpen(self):
            print("EXT", self.http_headers.get("sec-websocket-extensions") or "none", flush=True)
            self.sendMessage(b"hello", False)

        def onMessage(self, payload, isBinary):
            assert payload == b"hello", "echo differs"
            print("OK 1", flush=True)
            self.sendClose(1000, "done")

        def onClose(self, wasClean, code, reason):
            print("CLOSE", code, flush=True)
            reactor.callLater(0, reactor.stop)

    factory = WebSocketClientFactory(url)
    factory.protocol = Offerer
    patient(factory, client=True)
    factory.setProtocolOptions(
        perMessageCompressionOffers=[PerMessageDeflateOffer(request_max_window_bits=int(o[4:]) if o.startswith("smwb") else 0) for o in offers],
        perMessageCompressionAccept=lambda r: PerMessageDeflateResponseAccept(r) if isinstance(r, PerMessageDeflateResponse) else None)
    connectWS(factory)
    reactor.run()


def autobahn_protocols(base_server, base_client):
    class Echo(base_server):
        def onMessage(self, payload, isBinary):
            self.sendMessage(payload, isBinary, fragmentSize=fragment_size(payload))

    class Checker(base_client):
        def onOpen(self):
            self.count = 0
            self.queue = []
            for size in self.factory.sizes:
                data, text = payloads(size)
                self.queue.append((data, True))
                self.queue.append((text.encode("utf-8"), False))
            self.next()

        def next(self):
            if not self.queue:
                self.sendClose(1000, "done")
                return
            self.expect = self.queue.pop(0)
            payload, binary = self.expect
            self.sendMessage(payload, binary, fragmentSize=None if binary else fragment_size(payload))

        def onMessage(self, payload, isBinary):
            if (payload, isBinary) != self.expect:
                print("MISMATCH", len(payload), isBinary, flush=True)
                self.sendClose(1000, "mismatch")
                return
            self.count += 1
            self.next()

        def onClose(self, wasClean, code, reason):
            print("OK", getattr(self, "count", 0), flush=True)
            print("CLOSE", code, flush=True)
            if not wasClean:
                print("UNCLEAN", self.wasNotCleanReason, flush=True)
            self.factory.done()

    return Echo, Checker


def patient(factory, client):
    """Autobahn's closing-handshake timeouts default to 1 s, less than a busy CI machine can pause; these are only hang guards."""
    if client:
        factory.setProtocolOptions(openHandshakeTimeout=60, closeHandshakeTimeout=60, serverConnectionDropTimeout=60)
    else:
        factory.setProtocolOptions(openHandshakeTimeout=60, closeHandshakeTimeout=60)


def deflate_server_options(factory):
    from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept

    def accept(offers):
        for offer in offers:
            if isinstance(offer, PerMessageDeflateOffer):
                return PerMessageDeflateOfferAccept(offer)
    factory.setProtocolOptions(perMessageCompressionAccept=accept)


def deflate_client_options(factory):
    from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateResponse, PerMessageDeflateResponseAccept
    factory.setProtocolOptions(
        perMessageCompressionOffers=[PerMessageDeflateOffer()],
        perMessageCompressionAccept=lambda r: PerMessageDeflateResponseAccept(r) if isinstance(r, PerMessageDeflateResponse) else None)


def autobahn_twisted(mode, args, deflate):
    from twisted.internet import reactor
    from autobahn.twisted.websocket import WebSocketServerProtocol, WebSocketClientProtocol, WebSocketServerFactory, WebSocketClientFactory, connectWS
    Echo, Checker = autobahn_protocols(WebSocketServerProtocol, WebSocketClientProtocol)
    if mode == "server":
        factory = WebSocketServerFactory()
        factory.protocol = Echo
        factory.setProtocolOptions(maxMessagePayloadSize=0, maxFramePayloadSize=0)
        patient(factory, client=False)
        if deflate:
            deflate_server_options(factory)
        port = reactor.listenTCP(0, factory, interface="127.0.0.1")
        print("PORT", port.getHost().port, flush=True)
    else:
        url, sizes = args[0], [int(s) for s in args[1:]]
        factory = WebSocketClientFactory(url)
        factory.protocol = Checker
        factory.sizes = sizes
        factory.done = lambda: reactor.callLater(0, reactor.stop)
        patient(factory, client=True)
        if deflate:
            deflate_client_options(factory)
        connectWS(factory)
    reactor.run()


def autobahn_asyncio(mode, args, deflate):
    import asyncio
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    from autobahn.asyncio.websocket import WebSocketServerProtocol, WebSocketClientProtocol, WebSocketServerFactory, WebSocketClientFactory
    Echo, Checker = autobahn_protocols(WebSocketServerProtocol, WebSocketClientProtocol)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    if mode == "server":
        factory = WebSocketServerFactory()
        factory.protocol = Echo
        factory.setProtocolOptions(maxMessagePayloadSize=0, maxFramePayloadSize=0)
        patient(factory, client=False)
        if deflate:
            deflate_server_options(factory)
        server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))
        print("PORT", server.sockets[0].getsockname()[1], flush=True)
        loop.run_forever()
    else:
        from urllib.parse import urlparse
        url, sizes = args[0], [int(s) for s in args[1:]]
        parsed = urlparse(url)
        factory = WebSocketClientFactory(url)
        factory.protocol = Checker
        factory.sizes = sizes
        done = loop.create_future()
        factory.done = lambda: done.done() or done.set_result(None)
        patient(factory, client=True)
        if deflate:
            deflate_client_options(factory)
        loop.run_until_complete(loop.create_connection(factory, parsed.hostname, parsed.port))
        loop.run_until_complete(done)


def main():
    mode, lib = sys.argv[1], sys.argv[2]
    rest = [a for a in sys.argv[3:] if a not in ("deflate", "deflate10", "plain", "--deflate")]
    deflate = "deflate" in sys.argv[3:] or "--deflate" in sys.argv[3:]
    if mode == "offer":
        (websockets_offer if lib == "websockets" else autobahn_offer)(rest[0], rest[1].split(","))
    elif lib == "websockets":
        if mode == "server":
            websockets_server(deflate or "deflate10" in sys.argv[3:], 10 if "deflate10" in sys.argv[3:] else None)
        else:
            websockets_client(rest[0], [int(s) for s in rest[1:]], deflate)
    elif lib == "autobahn-twisted":
        autobahn_twisted(mode, rest, deflate)
    elif lib == "autobahn-asyncio":
        autobahn_asyncio(mode, rest, deflate)
    else:
        sys.exit("unknown library " + lib)


if __name__ == "__main__":
    main()
