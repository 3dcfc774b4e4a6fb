"""Twisted's side of the timers benchmark (see timers_common.py), on its default (epoll) reactor."""
import twisted
from twisted.internet import reactor

from timers_common import run


def start(setup):
    reactor.callWhenRunning(setup)
    reactor.run(installSignalHandlers=False)


if __name__ == "__main__":
    run(f"twisted-{twisted.__version__}-{type(reactor).__name__}", reactor.callLater, start, reactor.stop)
