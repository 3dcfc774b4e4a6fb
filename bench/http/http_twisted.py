"""twisted.web (Debian's) for bench/http/run.sh: GET / returns b"OK". Usage: python3 http_twisted.py PORT"""
import sys

from twisted.internet import epollreactor

epollreactor.install()

from twisted.internet import reactor  # noqa: E402
from twisted.web import resource, server  # noqa: E402


class Ok(resource.Resource):
    isLeaf = True

    def render_GET(self, request):
        return b"OK"


site = server.Site(Ok())
site.logRequests = False
site.log = lambda request: None
reactor.listenTCP(int(sys.argv[1]), site, backlog=511, interface="127.0.0.1")
print("listening on", sys.argv[1], flush=True)
reactor.run()
