"""hit-counter web app: answers every GET with the number of visits so far, kept in redis.

Standard library only, so the python image needs nothing installed; speaks the redis protocol
(RESP) over a socket for the one command it needs (INCR).
"""
import os
import socket
from http.server import BaseHTTPRequestHandler, HTTPServer

REDIS_HOST = os.environ.get("REDIS_HOST", "redis")
REDIS_PORT = int(os.environ.get("REDIS_PORT", "6379"))


def incr(key):
    with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as s:
        s.sendall(b"*2\r\n$4\r\nINCR\r\n$%d\r\n%s\r\n" % (len(key), key.encode()))
        reply = s.recv(64)  # ":<n>\r\n"
        return int(reply[1:].split(b"\r\n")[0])


class Counter(BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            body = "Hello from scompose! I have been seen %d times.\n" % incr("hits")
            status = 200
        except OSError as e:
            body, status = "redis is not reachable: %s\n" % e, 503
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())


if __name__ == "__main__":
    port = int(os.environ.get("PORT", "8000"))
    print("hit-counter listening on port %d, counting in %s:%d" % (port, REDIS_HOST, REDIS_PORT), flush=True)
    HTTPServer(("0.0.0.0", port), Counter).serve_forever()
