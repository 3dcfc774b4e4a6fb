"""Twisted's Agent against a Twine.Web server: python3 twisted_agent.py PORT

GETs / and POSTs a body to /, printing "STATUS <code> <body>" per response, then EXIT 0 (or EXIT 1 with the error).
"""

import sys
from io import BytesIO

from twisted.internet import defer, reactor, task
from twisted.web.client import Agent, FileBodyProducer, HTTPConnectionPool, readBody
from twisted.web.http_headers import Headers

port = int(sys.argv[1])


@defer.inlineCallbacks
def main(reactor):
    pool = HTTPConnectionPool(reactor, persistent=True)
    agent = Agent(reactor, pool=pool)
    base = "http://127.0.0.1:%d" % port
    response = yield agent.request(b"GET", (base + "/").encode())
    body = yield readBody(response)
    print("STATUS", response.code, body.decode(), flush=True)
    producer = FileBodyProducer(BytesIO(b"from twisted agent"))
    response = yield agent.request(b"POST", (base + "/").encode(), Headers({b"Content-Type": [b"text/plain"]}), producer)
    body = yield readBody(response)
    print("STATUS", response.code, body.decode(), flush=True)
    response = yield agent.request(b"GET", (base + "/static/hello.txt").encode(), Headers({b"Range": [b"bytes=7-"]}))
    body = yield readBody(response)
    print("STATUS", response.code, body.decode(), flush=True)
    yield pool.closeCachedConnections()


def run(reactor):
    d = main(reactor)
    d.addTimeout(60, reactor)
    return d


try:
    task.react(run)
except SystemExit as e:
    print("EXIT", e.code or 0, flush=True)
    raise
