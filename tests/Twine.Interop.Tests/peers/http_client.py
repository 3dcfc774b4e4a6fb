"""Python's http.client against a Twine.Web server: python3 http_client.py PORT

Runs several requests on ONE persistent connection and prints one JSON object per response:
{"status": S, "reason": R, "body": B, "headers": {...}}. A closed connection between requests would make
http.client reconnect silently, so the script also prints the local port each request used ("sock" field).
"""

import http.client
import json
import sys

port = int(sys.argv[1])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def run(method, path, body=None, headers=None, **kwargs):
    conn.request(method, path, body=body, headers=headers or {}, **kwargs)
    response = conn.getresponse()
    data = response.read()
    print(json.dumps({
        "status": response.status,
        "reason": response.reason,
        "body": data.decode("utf-8", "replace"),
        "headers": {k.lower(): v for k, v in response.getheaders()},
        "sock": conn.sock.getsockname()[1] if conn.sock else None,
    }), flush=True)


run("GET", "/")
run("POST", "/", body=b"posted by http.client", headers={"Content-Type": "text/plain"})
run("GET", "/echo", headers={"X-Python": "yes"})
run("POST", "/", body=iter([b"chunk one, ", b"chunk two"]), encode_chunked=True)
run("HEAD", "/")
run("GET", "/cookie", headers={"Cookie": "py=1; lang=en"})
run("GET", "/missing")
conn.close()
