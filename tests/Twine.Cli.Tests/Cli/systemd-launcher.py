"""Socket activation without systemd, for the tests: bind a listening socket, put it at fd 3, set LISTEN_FDS,
LISTEN_PID (this process's id, which exec keeps) and LISTEN_FDNAMES as systemd does, print the port, then exec the
command given in argv (the twine CLI)."""
import os
import socket
import sys

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(64)
port = listener.getsockname()[1]
if listener.fileno() != 3:
    os.dup2(listener.fileno(), 3)
os.set_inheritable(3, True)
os.environ["LISTEN_FDS"] = "1"
os.environ["LISTEN_PID"] = str(os.getpid())
os.environ["LISTEN_FDNAMES"] = "echo"
print(f"port {port}", flush=True)
os.execvp(sys.argv[1], sys.argv[1:])
