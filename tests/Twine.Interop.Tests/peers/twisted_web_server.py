"""A twisted.web server for Twine's HTTP client (Agent) to fetch from.

Listens on 127.0.0.1 on a port the OS picks and prints "PORT <n>" as its first line. Routes:
  /fixed     a body with Content-Length
  /chunked   three writes without a length: Twisted sends them with the chunked coding (HTTP/1.1)
  /missing   404 (Twisted's NoResource page)
Exits when stdin closes, so an abandoned server never outlives its test run.
"""
import sys
import threading

from twisted.internet import reactor
from twisted.web import resource, server


class Fixed(resource.Resource):
    isLeaf = True

    def render_GET(self, request):
        return b"fixed body from twisted.web"


class Chunked(resource.Resource):
    isLeaf = True

    def render_GET(self, request):
        for i in range(3):
            request.write(b"chunk %d;" % i)
        request.finish()
        return server.NOT_DONE_YET


def watch_stdin():
    sys.stdin.read()
    reactor.callFromThread(reactor.stop)


def main():
    root = resource.Resource()
    root.putChild(b"fixed", Fixed())
    root.putChild(b"chunked", Chunked())
    site = server.Site(root)
    site.noisy = False
    port = reactor.listenTCP(0, site, interface="127.0.0.1")
    print("PORT %d" % port.getHost().port, flush=True)
    threading.Thread(target=watch_stdin, daemon=True).start()
    reactor.run()


if __name__ == "__main__":
    main()
