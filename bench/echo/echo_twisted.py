"""Twisted echo server on the epoll reactor, for bench/echo/run.sh. Usage: echo_twisted.py PORT"""
import sys

from twisted.internet import epollreactor

epollreactor.install()

from twisted.internet import protocol, reactor  # noqa: E402  (the reactor must be installed first)


class Echo(protocol.Protocol):
    def connectionMade(self):
        # Every server in the comparison turns Nagle off, so none of them can stall on a delayed ACK.
        self.transport.setTcpNoDelay(True)

    def dataReceived(self, data):
        self.transport.write(data)


factory = protocol.Factory()
factory.protocol = Echo
factory.noisy = False
reactor.listenTCP(int(sys.argv[1]), factory, backlog=511, interface="127.0.0.1")
reactor.run()
