"""
A Twisted client for the Twine SlowSquare AMP server (samples/AmpSquare), written with Twisted's own
twisted.protocols.amp: it calls SlowSquare for every number at once and prints each answer as it arrives.

    dotnet run --project samples/AmpSquare -- server            # in one terminal
    /usr/bin/python3 samples/AmpSquare/square_client.py 7001 3 1 4 2

The answers come back smallest first: the server takes x units of time for SlowSquare(x).
"""

import sys

from twisted.internet import defer, task
from twisted.internet.protocol import ClientCreator
from twisted.protocols import amp


class SlowSquare(amp.Command):
    arguments = [(b"x", amp.Integer())]
    response = [(b"y", amp.Integer())]
    errors = {ValueError: b"NEGATIVE"}


@defer.inlineCallbacks
def main(reactor, port="7001", *numbers):
    numbers = [int(n) for n in numbers] or [3, 1, 4, 2]
    server = yield ClientCreator(reactor, amp.AMP).connectTCP("127.0.0.1", int(port))
    print("asking for the squares of", ", ".join(map(str, numbers)), "all at once", flush=True)
    answered = []

    def show(result, x):
        print(f"SlowSquare({x}) = {result['y']}", flush=True)

    def refused(failure, x):
        failure.trap(ValueError)
        print(f"SlowSquare({x}) refused: {failure.value}", flush=True)

    def done(_, x):
        answered.append(x)

    yield defer.gatherResults([
        server.callRemote(SlowSquare, x=x).addCallbacks(show, refused, callbackArgs=(x,), errbackArgs=(x,)).addCallback(done, x)
        for x in numbers
    ])
    print("answered in the order", ", ".join(map(str, answered)), flush=True)
    server.transport.loseConnection()


if __name__ == "__main__":
    task.react(main, sys.argv[1:])
