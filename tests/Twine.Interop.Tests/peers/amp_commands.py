"""
The AMP commands the Twine interop tests use, declared with Twisted's own twisted.protocols.amp, and the responders a
Twisted server runs for them. Twine declares the same commands in C# (Amp/InteropCommands.cs); the names and argument
types must match exactly.

BigString/BigUnicode are not part of Twisted: they follow AMP's convention for long values (the first 65535 bytes
under the key, the rest under key.2, key.3, ...), written here from that description.
"""

import hashlib
from itertools import count

from twisted.internet import defer, reactor
from twisted.protocols import amp

CHUNK = 0xFFFF


class BigString(amp.Argument):
    def fromBox(self, name, strings, objects, proto):
        first = strings.get(name)
        if first is None:
            raise KeyError(name)
        chunks = [first]
        for n in count(2):
            chunk = strings.get(name + b"." + str(n).encode("ascii"))
            if chunk is None:
                break
            chunks.append(chunk)
        objects[name.decode("ascii")] = self.fromBytes(b"".join(chunks))

    def toBox(self, name, strings, objects, proto):
        data = self.toBytes(objects[name.decode("ascii")])
        strings[name] = data[:CHUNK]
        for n, start in enumerate(range(CHUNK, len(data), CHUNK), start=2):
            strings[name + b"." + str(n).encode("ascii")] = data[start:start + CHUNK]

    def fromBytes(self, data):
        return data

    def toBytes(self, value):
        return value


class BigUnicode(BigString):
    def fromBytes(self, data):
        return data.decode("utf-8")

    def toBytes(self, value):
        return value.encode("utf-8")


ECHO_FIELDS = [
    (b"i", amp.Integer()),
    (b"s", amp.String()),
    (b"u", amp.Unicode()),
    (b"b", amp.Boolean()),
    # Not "f": Twisted 22.4 passes arguments to maybeDeferred(f, **kw), so an argument named f breaks dispatch.
    (b"fl", amp.Float()),
    (b"d", amp.Decimal()),
    (b"dt", amp.DateTime()),
    (b"li", amp.ListOf(amp.Integer())),
    (b"lu", amp.ListOf(amp.Unicode())),
    (b"al", amp.AmpList([(b"a", amp.Integer()), (b"b", amp.Unicode())])),
    (b"opt", amp.Unicode(optional=True)),
]


class Echo(amp.Command):
    """Every argument type, sent back as received."""
    arguments = ECHO_FIELDS
    response = ECHO_FIELDS


class Divide(amp.Command):
    """Declared error ZERO_DIVISION; a negative denominator raises an undeclared error (UNKNOWN, connection closed)."""
    arguments = [(b"numerator", amp.Integer()), (b"denominator", amp.Integer())]
    response = [(b"quotient", amp.Integer())]
    errors = {ZeroDivisionError: b"ZERO_DIVISION"}


class Hold(amp.Command):
    """Held until `n` Holds have arrived, then all answered, on the next reactor turn, in reverse order of arrival."""
    arguments = [(b"id", amp.Integer()), (b"n", amp.Integer())]
    response = [(b"id", amp.Integer())]


class Big(amp.Command):
    """Long values both ways: the data and text come back, with the data's length and SHA-256."""
    arguments = [(b"data", BigString()), (b"text", BigUnicode())]
    response = [(b"data", BigString()), (b"text", BigUnicode()), (b"size", amp.Integer()), (b"sha", amp.Unicode())]


class Note(amp.Command):
    """Sent without _ask: the server keeps the text and answers nothing."""
    arguments = [(b"text", amp.Unicode())]
    response = []
    requiresAnswer = False


class Notes(amp.Command):
    """The texts of the Notes received so far on this connection."""
    arguments = []
    response = [(b"notes", amp.ListOf(amp.Unicode()))]


class Nope(amp.Command):
    """Nobody answers this one: UNHANDLED."""
    arguments = []
    response = []


class Responder(amp.AMP):
    """A Twisted server for the commands above."""

    def __init__(self):
        amp.AMP.__init__(self)
        self.notes = []
        self.held = []

    @Echo.responder
    def echo(self, **values):
        return values

    @Divide.responder
    def divide(self, numerator, denominator):
        if denominator < 0:
            raise ValueError("negative denominators are not handled")
        return {"quotient": numerator // denominator}

    @Hold.responder
    def hold(self, id, n):
        d = defer.Deferred()
        self.held.append((id, d))
        if len(self.held) == n:
            held, self.held = self.held, []

            def release():
                for held_id, held_d in reversed(held):
                    held_d.callback({"id": held_id})

            reactor.callLater(0, release)
        return d

    @Big.responder
    def big(self, data, text):
        return {"data": data, "text": text, "size": len(data), "sha": hashlib.sha256(data).hexdigest()}

    @Note.responder
    def note(self, text):
        self.notes.append(text)
        return {}

    @Notes.responder
    def get_notes(self):
        return {"notes": list(self.notes)}
