"""Twisted's AMP server for bench/amp/run.sh: Sum on 127.0.0.1, an OS-chosen port printed as "PORT n"; stops on SIGTERM."""

from twisted.internet import reactor
from twisted.internet.protocol import Factory
from twisted.protocols import amp


class Sum(amp.Command):
    arguments = [(b"a", amp.Integer()), (b"b", amp.Integer())]
    response = [(b"total", amp.Integer())]


class Server(amp.AMP):
    @Sum.responder
    def sum(self, a, b):
        return {"total": a + b}


factory = Factory.forProtocol(Server)
factory.noisy = False
port = reactor.listenTCP(0, factory, interface="127.0.0.1")
print("PORT", port.getHost().port, flush=True)
reactor.run()
