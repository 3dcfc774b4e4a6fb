"""
A Twisted AMP server (twisted.protocols.amp) for the Twine interop tests: the commands of amp_commands.py on
127.0.0.1, on a port the OS picks, printed as "PORT <n>" on the first line. It exits when stdin closes (the test owns
the pipe) or after LIFETIME_SECONDS, whichever comes first.
"""

import sys
import threading

from twisted.internet import reactor
from twisted.internet.protocol import Factory

from amp_commands import Responder

LIFETIME_SECONDS = 120


def stop():
    if reactor.running:
        reactor.stop()


def watch_stdin():
    sys.stdin.read()
    reactor.callFromThread(stop)


def main():
    factory = Factory.forProtocol(Responder)
    factory.noisy = False
    port = reactor.listenTCP(0, factory, interface="127.0.0.1")
    print("PORT", port.getHost().port, flush=True)
    threading.Thread(target=watch_stdin, daemon=True).start()
    reactor.callLater(LIFETIME_SECONDS, stop)
    reactor.run()


if __name__ == "__main__":
    main()
