"""
A Twisted AMP client for the Descriptor interop test: connects to the Unix socket given as the first argument, makes a
pipe, and calls WriteTo(fd: Descriptor, text: Unicode) twice at once with the pipe's write end; once both answers are
in, it closes its own copy of the write end, reads the pipe to its end and prints "GOT <text>|<count>,<count>".
Exits after printing, or after LIFETIME_SECONDS.
"""

import os
import sys

from twisted.internet import defer, reactor
from twisted.internet.endpoints import UNIXClientEndpoint, connectProtocol
from twisted.protocols import amp

LIFETIME_SECONDS = 60


class WriteTo(amp.Command):
    arguments = [(b"fd", amp.Descriptor()), (b"text", amp.Unicode())]
    response = [(b"count", amp.Integer())]


@defer.inlineCallbacks
def run(path):
    read_end, write_end = os.pipe()
    client = yield connectProtocol(UNIXClientEndpoint(reactor, path), amp.AMP())
    answers = yield defer.gatherResults([
        client.callRemote(WriteTo, fd=write_end, text="hello "),
        client.callRemote(WriteTo, fd=write_end, text="twine"),
    ])
    os.close(write_end)
    chunks = []
    while True:
        chunk = os.read(read_end, 4096)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_end)
    counts = ",".join(str(a["count"]) for a in answers)
    print("GOT " + b"".join(chunks).decode("utf-8") + "|" + counts, flush=True)
    client.transport.loseConnection()


def main():
    d = run(sys.argv[1])
    d.addErrback(lambda f: print("ERROR " + f.getErrorMessage(), flush=True))
    d.addBoth(lambda _: reactor.stop())
    reactor.callLater(LIFETIME_SECONDS, lambda: reactor.running and reactor.stop())
    reactor.run()


if __name__ == "__main__":
    main()
