"""A Twisted TLS peer for Twine's interop tests (pyOpenSSL through twisted.internet.ssl).

  python3 tls_peer.py server CERT KEY
      Listens with TLS on 127.0.0.1 (a port the OS picks), prints "PORT <n>", echoes every byte back, and prints
      "LOST <exception class>" when a connection ends.
  python3 tls_peer.py client PORT CA HOST MESSAGE
      Connects to 127.0.0.1:PORT with TLS, checks the server's certificate against CA for HOST (service_identity),
      sends MESSAGE, prints "DATA <text>" once the echo is complete, closes cleanly, prints "LOST <class>" and exits.
  python3 tls_peer.py truncate PORT CA HOST MESSAGE
      As client, but closes the TCP connection under TLS without a close_notify (as Twisted's test_unexpectedEOF).

Twisted's TLS is a wrapper protocol over a memory BIO, as Twine's is; OpenSSL is the same on both sides, the code
that drives it is not. The peer exits when stdin closes or after a hard limit.
"""

import sys
import threading

from twisted.internet import protocol, reactor, ssl

LIFETIME_SECONDS = 120


def emit(*words):
    print(" ".join(str(w) for w in words), flush=True)


class Echo(protocol.Protocol):
    def dataReceived(self, data):
        self.transport.write(data)

    def connectionLost(self, reason):
        emit("LOST", reason.type.__name__, reason.getErrorMessage().replace("\n", " ")[:200])


class Client(protocol.Protocol):
    def __init__(self, message, truncate=False):
        self.message = message
        self.truncate = truncate
        self.received = b""

    def connectionMade(self):
        self.transport.write(self.message)

    def dataReceived(self, data):
        self.received += data
        if len(self.received) >= len(self.message):
            emit("DATA", self.received.decode("ascii"))
            if self.truncate:
                self.transport.transport.loseConnection()   # TCP FIN, no TLS close_notify
            else:
                self.transport.loseConnection()

    def connectionLost(self, reason):
        emit("LOST", reason.type.__name__, reason.getErrorMessage().replace("\n", " ")[:200])
        stop()


def stop():
    if reactor.running:
        reactor.stop()


def watch_stdin():
    sys.stdin.read()
    reactor.callFromThread(stop)


def main():
    mode = sys.argv[1]
    if mode == "server":
        with open(sys.argv[2]) as c, open(sys.argv[3]) as k:
            cert = ssl.PrivateCertificate.loadPEM(c.read() + "\n" + k.read())
        factory = protocol.Factory.forProtocol(Echo)
        port = reactor.listenSSL(0, factory, cert.options(), interface="127.0.0.1")
        emit("PORT", port.getHost().port)
    elif mode in ("client", "truncate"):
        port, ca, host, message = int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5].encode("ascii")
        with open(ca) as f:
            trust = ssl.Certificate.loadPEM(f.read())
        options = ssl.optionsForClientTLS(host, trustRoot=trust)
        factory = protocol.ClientFactory.forProtocol(lambda: Client(message, truncate=mode == "truncate"))
        factory.clientConnectionFailed = lambda connector, reason: (emit("FAILED", reason.getErrorMessage()), stop())
        reactor.connectSSL("127.0.0.1", port, factory, options)
    else:
        raise SystemExit("mode must be server or client")
    threading.Thread(target=watch_stdin, daemon=True).start()
    reactor.callLater(LIFETIME_SECONDS, stop)
    reactor.run()


if __name__ == "__main__":
    main()
