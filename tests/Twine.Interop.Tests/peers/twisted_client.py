"""A Twisted client for Twine's interop tests: python3 twisted_client.py KIND PORT SCRIPT.json

KIND is lines, netstrings or int32. Connects to 127.0.0.1:PORT and runs the steps of SCRIPT.json in order:

  {"op": "send", "hex": H}                      one message, framed by Twisted (sendLine / sendString)
  {"op": "trickle", "hex": H}                   one message framed by Twisted, written one byte per reactor turn
  {"op": "part", "hex": H, "from": A, "to": B}  bytes A..B of the message as framed by Twisted, in one write;
                                                with "lead": L, the message L framed by Twisted goes first, in
                                                the same write (so one read on the other side sees both)
  {"op": "raw", "hex": H}                       these exact bytes, no framing (malformed input)
  {"op": "await", "count": N}                   wait until N messages in total have been received
  {"op": "close"}                               loseConnection

After the last step it waits for the connection to close. Events go to stdout, one per line: MADE, RECV <hex>,
VIOLATION <what>, LOST <reason>, then EXIT <code> (0 normally, 3 on timeout, 4 if the connection failed).
"""

import json
import sys

from twisted.internet import protocol, reactor

import framing

TIMEOUT_SECONDS = 60


class Client:
    def __init__(self, kind, steps):
        self.kind = kind
        self.steps = list(steps)
        self.received = 0
        self.awaiting = None
        self.proto = None
        self.code = 0

    # framing.make_receiver hooks

    def on_made(self, proto):
        self.proto = proto
        # Small writes (trickle, part) must leave as written rather than be merged by Nagle's algorithm.
        proto.transport.setTcpNoDelay(True)
        framing.emit("MADE")
        self.advance()

    def on_message(self, proto, payload):
        self.received += 1
        framing.emit("RECV", payload.hex())
        if self.awaiting is not None and self.received >= self.awaiting:
            self.awaiting = None
            self.advance()

    def on_violation(self, proto, what):
        framing.emit("VIOLATION", what)

    def on_lost(self, proto, reason):
        framing.emit("LOST", framing.reason_name(reason))
        finish(self.code)

    # the script

    def advance(self):
        while self.steps:
            step = self.steps.pop(0)
            op = step["op"]
            data = bytes.fromhex(step.get("hex", ""))
            if op == "send":
                framing.send(self.proto, self.kind, data)
            elif op == "part":
                lead = step.get("lead")
                head = framing.encode(self.kind, bytes.fromhex(lead)) if lead is not None else b""
                self.proto.transport.write(head + framing.encode(self.kind, data)[step["from"]:step["to"]])
            elif op == "raw":
                self.proto.transport.write(data)
            elif op == "trickle":
                self.trickle(framing.encode(self.kind, data), 0)
                return
            elif op == "await":
                if self.received < step["count"]:
                    self.awaiting = step["count"]
                    return
            elif op == "close":
                self.proto.transport.loseConnection()
            else:
                raise SystemExit("unknown step %r" % (op,))

    def trickle(self, data, i):
        if not self.proto.transport.connected:
            return
        if i < len(data):
            self.proto.transport.write(data[i:i + 1])
            reactor.callLater(0, self.trickle, data, i + 1)
        else:
            self.advance()


class ClientFactory(protocol.ClientFactory):
    noisy = False

    def __init__(self, client):
        self.client = client

    def buildProtocol(self, addr):
        return framing.make_receiver(self.client.kind, self.client)

    def clientConnectionFailed(self, connector, reason):
        framing.emit("CONNECT-FAILED", framing.reason_name(reason))
        finish(4)


_exit_code = [None]


def finish(code):
    if _exit_code[0] is None:
        _exit_code[0] = code
        if reactor.running:
            reactor.callLater(0, reactor.stop)


def timed_out():
    framing.emit("TIMEOUT")
    finish(3)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in framing.KINDS:
        raise SystemExit("usage: twisted_client.py {%s} PORT SCRIPT.json" % "|".join(framing.KINDS))
    with open(sys.argv[3], encoding="utf-8") as f:
        steps = json.load(f)["steps"]
    client = Client(sys.argv[1], steps)
    reactor.connectTCP("127.0.0.1", int(sys.argv[2]), ClientFactory(client), timeout=10)
    reactor.callLater(TIMEOUT_SECONDS, timed_out)
    reactor.run()
    code = _exit_code[0] if _exit_code[0] is not None else 0
    framing.emit("EXIT", code)
    sys.exit(code)


if __name__ == "__main__":
    main()
