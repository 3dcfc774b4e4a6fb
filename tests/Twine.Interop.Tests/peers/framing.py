"""Shared pieces of the Twisted peers used by Twine's interop tests.

Each framing kind maps to one of Twisted's own receivers (twisted.protocols.basic), so the bytes on the wire are
whatever Twisted itself writes and accepts: the tests compare Twine against the real thing, not a re-implementation.
Messages travel between the test and these scripts as hex, so any byte (NUL, CR, LF, 0xFF) survives stdout/JSON.
"""

import sys

from twisted.internet.testing import StringTransport
from twisted.protocols import basic

KINDS = ("lines", "netstrings", "int32")


def emit(*words):
    """One event per stdout line, flushed at once: the test reads them as they come."""
    sys.stdout.write(" ".join(str(w) for w in words) + "\n")
    sys.stdout.flush()


def summary(payload):
    """A short printable form of a message for event lines (long payloads would swamp the test's logs)."""
    if len(payload) <= 64:
        return payload.hex()
    return "len=%d" % len(payload)


def reverse(payload):
    """The transformation both sides apply to echo a message: a byte-exact check that order and content survived."""
    return payload[::-1]


def make_receiver(kind, owner):
    """A Twisted receiver of the given kind whose messages and limit violations go to `owner`.

    `owner` provides on_made(proto), on_message(proto, payload), on_violation(proto, what) and on_lost(proto, reason).
    The violation hooks print what Twisted noticed and then do exactly what Twisted's defaults do (close the
    connection), so the tests observe Twisted's real behaviour.
    """
    if kind == "lines":

        class Lines(basic.LineReceiver):
            def connectionMade(self):
                owner.on_made(self)

            def lineReceived(self, line):
                owner.on_message(self, line)

            def lineLengthExceeded(self, line):
                owner.on_violation(self, "LINE-TOO-LONG len=%d" % len(line))
                return basic.LineReceiver.lineLengthExceeded(self, line)

            def connectionLost(self, reason):
                owner.on_lost(self, reason)

        return Lines()

    if kind == "netstrings":

        class Netstrings(basic.NetstringReceiver):
            def connectionMade(self):
                owner.on_made(self)

            def stringReceived(self, string):
                owner.on_message(self, string)

            def connectionLost(self, reason):
                if self.brokenPeer:
                    owner.on_violation(self, "BROKEN-PEER")
                owner.on_lost(self, reason)

        return Netstrings()

    if kind == "int32":

        class Int32(basic.Int32StringReceiver):
            def connectionMade(self):
                owner.on_made(self)

            def stringReceived(self, string):
                owner.on_message(self, string)

            def lengthLimitExceeded(self, length):
                owner.on_violation(self, "LENGTH-LIMIT %d" % length)
                return basic.Int32StringReceiver.lengthLimitExceeded(self, length)

            def connectionLost(self, reason):
                owner.on_lost(self, reason)

        return Int32()

    raise SystemExit("unknown framing kind %r; expected one of %s" % (kind, ", ".join(KINDS)))


def send(proto, kind, payload):
    """Sends one message with Twisted's own framing (sendLine / sendString)."""
    if kind == "lines":
        proto.sendLine(payload)
    else:
        proto.sendString(payload)


def encode(kind, payload):
    """The exact bytes Twisted writes for one message, captured from a receiver on a StringTransport."""
    proto = make_receiver(kind, _Silent())
    transport = StringTransport()
    proto.makeConnection(transport)
    send(proto, kind, payload)
    return transport.value()


class _Silent:
    def on_made(self, proto):
        pass

    def on_message(self, proto, payload):
        pass

    def on_violation(self, proto, what):
        pass

    def on_lost(self, proto, reason):
        pass


def reason_name(reason):
    """The class name of a connectionLost reason: ConnectionDone for a clean close, ConnectionLost otherwise."""
    return type(reason.value).__name__
