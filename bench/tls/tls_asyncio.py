"""asyncio (or uvloop, with --uvloop) TLS echo server with the ssl module, for bench/tls/run.sh.
Usage: python3 tls_asyncio.py PORT KEY.pem CERT.pem [--uvloop]"""
import asyncio
import ssl
import sys


class Echo(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


async def main(port, key, cert):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Echo, "127.0.0.1", port, ssl=context, backlog=511)
    print("listening on", port, flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if "--uvloop" in sys.argv:
        import uvloop

        uvloop.install()
    asyncio.run(main(int(sys.argv[1]), sys.argv[2], sys.argv[3]))
