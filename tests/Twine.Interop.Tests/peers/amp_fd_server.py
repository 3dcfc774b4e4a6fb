"""
A Twisted AMP server on a Unix socket for the Descriptor interop test: WriteTo(fd: Descriptor, text: Unicode) writes
the text into the descriptor it receives, closes it and answers count: Integer. Listens on the path given as the first
argument, prints "READY", and exits when stdin closes or after LIFETIME_SECONDS.
"""

import os
import sys
import threading

from twisted.internet import reactor
from twisted.internet.protocol import Factory
from twisted.protocols import amp

LIFETIME_SECONDS = 120


class WriteTo(amp.Command):
    arguments = [(b"fd", amp.Descriptor()), (b"text", amp.Unicode())]
    response = [(b"count", amp.Integer())]


class Responder(amp.AMP):
    @WriteTo.responder
    def write_to(self, fd, text):
        count = os.write(fd, text.encode("utf-8"))
        os.close(fd)
        return {"count": count}


def stop():
    if reactor.running:
        reactor.stop()


def watch_stdin():
    sys.stdin.read()
    reactor.callFromThread(stop)


def main():
    factory = Factory.forProtocol(Responder)
    factory.noisy = False
    reactor.listenUNIX(sys.argv[1], factory)
    print("READY", flush=True)
    threading.Thread(target=watch_stdin, daemon=True).start()
    reactor.callLater(LIFETIME_SECONDS, stop)
    reactor.run()


if __name__ == "__main__":
    main()
