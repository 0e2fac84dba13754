#!/usr/bin/env python3
"""A webhook receiver for Alertmanager that keeps what it receives, so that people and tests can see the alerts.

POST /alerts  an Alertmanager webhook notification (JSON); each alert is kept and printed on one line
GET  /alerts  every alert received so far, as a JSON list (newest last)
GET  /health  200

Usage: webhook_sink.py [--port 5001] [--bind 0.0.0.0]   (standard library only)
"""
import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

received = []
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != "/alerts":
            self.send_error(404)
            return
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            alerts = body["alerts"]
        except (ValueError, KeyError, TypeError) as e:
            self.send_error(400, "not an Alertmanager webhook notification: %s" % e)
            return
        with lock:
            for a in alerts:
                received.append(a)
                print("alert %s %s %s" % (a.get("status"), a.get("labels", {}).get("alertname"),
                                          json.dumps(a.get("labels", {}), sort_keys=True)), flush=True)
        self.reply(200, {"received": len(alerts)})

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"status": "ok"})
        elif self.path == "/alerts":
            with lock:
                self.reply(200, list(received))
        else:
            self.send_error(404)

    def reply(self, status, value):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=5001)
    parser.add_argument("--bind", default="0.0.0.0")
    args = parser.parse_args()
    server = ThreadingHTTPServer((args.bind, args.port), Handler)
    print("webhook sink listening on %s:%d" % (args.bind, server.server_address[1]), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
