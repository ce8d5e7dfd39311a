"""The `app` of nginx-app: answers GET /api/ with a greeting and its host name (standard library only)."""
import os
import socket
from http.server import BaseHTTPRequestHandler, HTTPServer


class Api(BaseHTTPRequestHandler):
    def do_GET(self):
        body = "%s (%s)\n" % (os.environ.get("APP_GREETING", "hello"), socket.gethostname())
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())


if __name__ == "__main__":
    port = int(os.environ.get("APP_PORT", "8000"))
    print("app listening on port %d" % port, flush=True)
    HTTPServer(("0.0.0.0", port), Api).serve_forever()
