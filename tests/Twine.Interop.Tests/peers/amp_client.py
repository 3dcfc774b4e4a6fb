"""
A Twisted AMP client (twisted.protocols.amp) for the Twine interop tests: connects to the Twine server at
127.0.0.1:<port> and runs every step below in order, printing one line per result:

  ECHO <n> OK | ECHO <n> MISMATCH <details>   every argument type, sent and received back (cases in CASES)
  DECLARED <exception type> <description>     a declared error (ZERO_DIVISION) becomes ZeroDivisionError
  UNHANDLED <code> <description>              a command the server has no responder for
  HOLD <ids in the order answered>            20 concurrent calls the server answers in reverse order
  BIG <size> <sha ok> <data ok> <text ok>     5 MB of BigString and 600 KB of BigUnicode both ways
  NOTES <json list>                           two Notes sent without _ask, then read back
  UNKNOWN <code> <description>                an undeclared error on the server
  CLOSED                                      ... after which the server closed the connection
  DONE | FAILED <traceback>

It stops by itself after TIMEOUT_SECONDS at the latest (printing TIMEOUT).

usage: amp_client.py <port>
"""

import datetime
import decimal
import hashlib
import json
import math
import sys

from twisted.internet import defer, reactor
from twisted.internet.protocol import ClientCreator
from twisted.protocols import amp

from amp_commands import Big, Divide, Echo, Hold, Note, Notes, Nope

TIMEOUT_SECONDS = 90


def tz(minutes):
    return datetime.timezone(datetime.timedelta(minutes=minutes))


CASES = [
    dict(i=0, s=b"", u="", b=False, fl=0.0, d=decimal.Decimal("0"),
         dt=datetime.datetime(2000, 1, 1, tzinfo=amp.utc), li=[], lu=[], al=[]),
    dict(i=-1180591620717411303424, s=bytes(range(256)), u="h\u00e9llo \u2713 \U0001F600", b=True, fl=0.1,
         d=decimal.Decimal("-12.50"), dt=datetime.datetime(2012, 1, 23, 12, 34, 56, 54321, tzinfo=tz(330)),
         li=[1, -20, 500], lu=["", "\u00e9", "x" * 300], al=[{"a": 7, "b": "hello"}, {"a": -9, "b": ""}], opt="given"),
    dict(i=2 ** 63 - 1, s=b"\x00\x00", u="\x00", b=True, fl=1e100, d=decimal.Decimal("1E+2"),
         dt=datetime.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=tz(-480)), li=[2 ** 62], lu=["a"], al=[]),
    dict(i=-5, s=b"x" * 65535, u="big", b=False, fl=float("inf"), d=decimal.Decimal("Infinity"),
         dt=datetime.datetime(9999, 12, 31, 0, 0, 0, 1, tzinfo=amp.utc), li=[], lu=[], al=[{"a": 0, "b": "z"}]),
    dict(i=7, s=b"s", u="u", b=True, fl=float("-inf"), d=decimal.Decimal("-NaN"),
         dt=datetime.datetime(1, 1, 1, 12, 0, 0, tzinfo=tz(-60)), li=[0], lu=[""], al=[]),
    dict(i=8, s=b"s", u="u", b=True, fl=float("nan"), d=decimal.Decimal("sNaN"),
         dt=datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=amp.utc), li=[0], lu=[""], al=[]),
    dict(i=9, s=b"s", u="u", b=True, fl=-0.0, d=decimal.Decimal("1E-7"),
         dt=datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=amp.utc), li=[0], lu=[""], al=[]),
    dict(i=10, s=b"s", u="u", b=True, fl=5e-324, d=decimal.Decimal("0E-10"),
         dt=datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=amp.utc), li=[0], lu=[""], al=[]),
]


def emit(*words):
    print(*words, flush=True)


def same(key, sent, got):
    if key == "fl":
        return (math.isnan(sent) and math.isnan(got)) or (sent == got and math.copysign(1, sent) == math.copysign(1, got))
    if key == "d":
        return str(sent) == str(got)
    if key == "dt":
        return sent == got and sent.utcoffset() == got.utcoffset()
    return sent == got and type(sent) == type(got)


class Client(amp.AMP):
    def __init__(self):
        amp.AMP.__init__(self)
        self.lost = defer.Deferred()

    def connectionLost(self, reason):
        amp.AMP.connectionLost(self, reason)
        self.lost.callback(None)


@defer.inlineCallbacks
def run(port):
    p = yield ClientCreator(reactor, Client).connectTCP("127.0.0.1", port)

    for n, case in enumerate(CASES):
        result = yield p.callRemote(Echo, **case)
        wrong = [k for k in case if not same(k, case[k], result[k])]
        if case.get("opt") is None and result.get("opt") is not None:
            wrong.append("opt")
        emit("ECHO", n, "OK" if not wrong else "MISMATCH " + repr({k: (case.get(k), result.get(k)) for k in wrong}))

    try:
        yield p.callRemote(Divide, numerator=7, denominator=0)
        emit("DECLARED none")
    except ZeroDivisionError as e:
        emit("DECLARED", type(e).__name__, str(e))

    try:
        yield p.callRemote(Nope)
        emit("UNHANDLED none")
    except amp.UnhandledCommand as e:
        emit("UNHANDLED", e.args[0].decode(), e.args[1])

    order = []
    calls = [p.callRemote(Hold, id=i, n=20).addCallback(lambda r: order.append(r["id"])) for i in range(20)]
    yield defer.gatherResults(calls)
    emit("HOLD", *order)

    data = bytes(range(256)) * (5 * 1024 * 1024 // 256)
    text = "\u00e9\u2713" * 120000
    r = yield p.callRemote(Big, data=data, text=text)
    emit("BIG", r["size"], r["sha"] == hashlib.sha256(data).hexdigest(), r["data"] == data, r["text"] == text)

    p.callRemote(Note, text="first")
    p.callRemote(Note, text="second \u2713")
    r = yield p.callRemote(Notes)
    emit("NOTES", json.dumps(r["notes"]))

    try:
        yield p.callRemote(Divide, numerator=1, denominator=-1)
        emit("UNKNOWN none")
    except amp.UnknownRemoteError as e:
        emit("UNKNOWN", e.errorCode.decode(), e.description)
    yield p.lost
    emit("CLOSED")


def main():
    port = int(sys.argv[1])

    def done(result):
        emit("DONE")

    def failed(failure):
        emit("FAILED", failure.getTraceback().replace("\n", " | "))

    def timeout():
        emit("TIMEOUT")
        reactor.stop()

    guard = reactor.callLater(TIMEOUT_SECONDS, timeout)
    d = run(port)
    d.addCallbacks(done, failed)
    d.addBoth(lambda _: guard.active() and guard.cancel())
    d.addBoth(lambda _: reactor.stop())
    reactor.run()


if __name__ == "__main__":
    main()
