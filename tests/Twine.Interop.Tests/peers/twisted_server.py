"""A Twisted server for Twine's interop tests: python3 twisted_server.py KIND

KIND is lines, netstrings or int32 (Twisted's LineReceiver, NetstringReceiver, Int32StringReceiver with their
default limits). Listens on 127.0.0.1 on a port the OS picks and prints "PORT <n>" as its first line. Each message
is answered with the same bytes reversed. Two commands exercise split delivery towards the client:

  "!split <payload>"  answers with the message "ack" and, in the same write, only the first half of the framed
                      reversed payload; the rest follows when the client sends "!continue", one byte per reactor
                      turn. A client that waits for "ack" before sending "!continue" therefore always receives the
                      second message split across several reads.
  "!bye"              closes the connection.

Events go to stdout, one per line: MADE <id>, RECV <id> <hex|len=n>, VIOLATION <id> <what>, LOST <id> <reason>.
The server exits when stdin closes (the test owns the pipe, so an abandoned peer never outlives its test run) or
after a hard limit of five minutes.
"""

import sys
import threading

from twisted.internet import protocol, reactor

import framing

LIFETIME_SECONDS = 300


class Server:
    def __init__(self, kind):
        self.kind = kind
        self.next_id = 0
        self.ids = {}
        self.pending = {}

    # framing.make_receiver hooks

    def on_made(self, proto):
        self.next_id += 1
        self.ids[proto] = self.next_id
        framing.emit("MADE", self.next_id)

    def on_message(self, proto, payload):
        framing.emit("RECV", self.ids[proto], framing.summary(payload))
        if payload.startswith(b"!split "):
            reply = framing.encode(self.kind, framing.reverse(payload[len(b"!split "):]))
            half = len(reply) // 2
            proto.transport.write(framing.encode(self.kind, b"ack") + reply[:half])
            self.pending[proto] = reply[half:]
        elif payload == b"!continue":
            self.trickle(proto, self.pending.pop(proto, b""))
        elif payload == b"!bye":
            proto.transport.loseConnection()
        else:
            framing.send(proto, self.kind, framing.reverse(payload))

    def on_violation(self, proto, what):
        framing.emit("VIOLATION", self.ids[proto], what)

    def on_lost(self, proto, reason):
        framing.emit("LOST", self.ids.get(proto, 0), framing.reason_name(reason))

    def trickle(self, proto, data):
        # One byte per reactor turn, with Nagle off, so the bytes leave as separate segments.
        proto.transport.setTcpNoDelay(True)

        def step(i):
            if i < len(data) and proto.transport.connected:
                proto.transport.write(data[i:i + 1])
                reactor.callLater(0, step, i + 1)

        step(0)


class ServerFactory(protocol.Factory):
    noisy = False

    def __init__(self, server):
        self.server = server

    def buildProtocol(self, addr):
        return framing.make_receiver(self.server.kind, self.server)


def watch_stdin():
    sys.stdin.read()
    reactor.callFromThread(stop)


def stop():
    if reactor.running:
        reactor.stop()


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in framing.KINDS:
        raise SystemExit("usage: twisted_server.py {%s}" % "|".join(framing.KINDS))
    port = reactor.listenTCP(0, ServerFactory(Server(sys.argv[1])), interface="127.0.0.1")
    framing.emit("PORT", port.getHost().port)
    threading.Thread(target=watch_stdin, daemon=True).start()
    reactor.callLater(LIFETIME_SECONDS, stop)
    reactor.run()


if __name__ == "__main__":
    main()
