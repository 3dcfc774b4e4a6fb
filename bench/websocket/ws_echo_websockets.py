"""Python websockets echo server (asyncio) for bench/websocket/run.sh; prints "PORT n"."""
import asyncio
import websockets


async def echo(ws, path=None):
    async for message in ws:
        await ws.send(message)


async def main():
    async with websockets.serve(echo, "127.0.0.1", 0, compression=None, max_size=1 << 20) as server:
        print("PORT", server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()

asyncio.run(main())
