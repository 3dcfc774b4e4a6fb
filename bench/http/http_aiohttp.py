"""aiohttp (Debian's python3-aiohttp) for bench/http/run.sh: GET / returns b"OK". Usage: python3 http_aiohttp.py PORT"""
import sys

from aiohttp import web


async def ok(request):
    return web.Response(body=b"OK", content_type="text/plain")


app = web.Application()
app.router.add_get("/", ok)
print("listening on", sys.argv[1], flush=True)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None, backlog=511)
