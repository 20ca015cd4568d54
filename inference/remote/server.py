#!/usr/bin/python3
"""Groundflow's reference model server: the HTTP + JSON contract of CONTRACT.md over the standard library.

    GROUNDFLOW_MODEL_TOKEN=... /usr/bin/python3 inference/remote/server.py --package DIR [--host 127.0.0.1] \
        [--port 8600] [--threads 2]
    GROUNDFLOW_MODEL_TOKEN=... /usr/bin/python3 inference/remote/server.py --backend unibiomed \
        --model-path Luffy503/UniBiomed --card inference/remote/unibiomed/model.json --host 0.0.0.0 --port 8600
    /usr/bin/python3 inference/remote/server.py --package DIR --insecure     # no token: loopback only

Backends: "torchscript" (default) serves a Groundflow model package (model.json + model.pt) with Debian's torch;
"unibiomed" serves UniBiomed through unibiomed_adapter.py (GPU host, its own Python environment). Prints
"listening on http://HOST:PORT" on stdout once it accepts connections (with --port 0 the system picks the port);
logs go to stderr and name requests by id and series UID only.

Every request needs "Authorization: Bearer <token>" (401 otherwise). The token comes from the environment
(GROUNDFLOW_MODEL_TOKEN) or a file (--token-file, e.g. mode 600), never from the command line. --insecure serves
without a token, and only on a loopback --host: the server refuses to start otherwise.
"""
import argparse
import hmac
import ipaddress
import json
import logging
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import contract
import grounding

log = logging.getLogger("groundflow.remote")


class Service:
    """A backend behind a lock: one read at a time, the backend's threads do the parallel work."""

    def __init__(self, backend, token, max_request_bytes=2 << 30):
        """token: the bearer token every request must carry; None serves anyone (--insecure, loopback only)."""
        self.backend = backend
        self.token = token
        self.max_request_bytes = max_request_bytes
        self.lock = threading.Lock()

    def identity(self):
        card = self.backend.card
        return {"name": card["name"], "version": card["version"], "uid": card["uid"]}

    def interpret(self, body):
        request = contract.parse_request(body)
        started = time.monotonic()
        with self.lock:
            regions, warnings = self.backend.read(request)
        answer = grounding.answer(request.request_id, self.backend.card, request.series, regions, warnings)
        log.info("request %s: series %s, %d slices, %d segments in %.0f ms", request.request_id,
                 request.series.series_uid, request.series.slices, len(answer["segments"]),
                 (time.monotonic() - started) * 1000)
        return answer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    service = None  # set by serve()

    def do_GET(self):
        if not self._authorised():
            return
        if self.path == "/v1/health":
            self._json(200, {"status": "ok", "model": self.service.identity()})
        elif self.path == "/v1/model":
            self._send(200, self.service.backend.card_bytes)
        else:
            self._error(404, "not-found", f"no resource {self.path}; see CONTRACT.md")

    def do_POST(self):
        if not self._authorised():
            return
        if self.path != "/v1/interpret":
            self._error(404, "not-found", f"no resource {self.path}; see CONTRACT.md")
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._error(411, "length-required", "send the body with a Content-Length header")
            return
        if int(length) > self.service.max_request_bytes:
            self._error(413, "too-large", f"the body has {length} bytes, this server takes at most "
                                          f"{self.service.max_request_bytes}")
            return
        body = self.rfile.read(int(length))
        try:
            self._json(200, self.service.interpret(body))
        except contract.ContractError as e:
            self._error(e.status, e.code, e.message)
        except Exception as e:  # the model failed: say so, keep serving
            log.exception("interpretation failed")
            self._error(500, "model-failed", f"the model failed: {type(e).__name__}: {e}")

    def _authorised(self):
        if self.service.token is None:
            return True
        given = self.headers.get("Authorization", "").encode("utf-8")
        if not hmac.compare_digest(given, ("Bearer " + self.service.token).encode("utf-8")):
            self._error(401, "unauthorised", "a valid bearer token is required")
            return False
        return True

    def _error(self, status, code, message):
        self._json(status, contract.error_json(code, message))

    def _json(self, status, payload):
        self._send(status, json.dumps(payload, separators=(",", ":")).encode("utf-8"))

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        log.debug("%s %s", self.address_string(), fmt % args)


def load_backend(args):
    if args.backend == "torchscript":
        if not args.package:
            raise SystemExit("--package DIR is required for the torchscript backend")
        from torchscript_backend import TorchScriptBackend
        return TorchScriptBackend(args.package, args.threads)
    if not args.model_path or not args.card:
        raise SystemExit("--model-path and --card are required for the unibiomed backend")
    from unibiomed_adapter import UniBiomedBackend
    return UniBiomedBackend.load(args.model_path, args.card, args.task, args.chunk)


def is_loopback(host):
    """Whether every address the host name stands for is a loopback address (127.0.0.0/8, ::1)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return False
    return bool(infos) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def read_token(args, environ):
    """The bearer token from --token-file or GROUNDFLOW_MODEL_TOKEN; None only with --insecure on a loopback host."""
    token = environ.get("GROUNDFLOW_MODEL_TOKEN") or None
    if args.token_file:
        try:
            with open(args.token_file, encoding="utf-8") as f:
                token = f.read().strip() or None
        except OSError as e:
            raise SystemExit(f"server.py: --token-file {args.token_file} cannot be read: {e.strerror}")
        if token is None:
            raise SystemExit(f"server.py: --token-file {args.token_file} is empty")
    if args.insecure:
        if token is not None:
            raise SystemExit("server.py: --insecure serves without a token, but a token is given "
                             "(GROUNDFLOW_MODEL_TOKEN or --token-file): use one or the other")
        if not is_loopback(args.host):
            raise SystemExit(f"server.py: --insecure is allowed on a loopback --host only (127.0.0.1, ::1, "
                             f"localhost), got --host {args.host}; set GROUNDFLOW_MODEL_TOKEN instead")
        return None
    if token is None:
        raise SystemExit("server.py: a bearer token is required: set GROUNDFLOW_MODEL_TOKEN or --token-file "
                         "(--insecure serves without one, on a loopback --host only)")
    return token


def bind(service, host, port):
    Handler.service = service
    httpd = ThreadingHTTPServer((host, port), Handler)
    httpd.daemon_threads = True
    return httpd


def serve(service, host, port):
    httpd = bind(service, host, port)
    print(f"listening on http://{host}:{httpd.server_address[1]}", flush=True)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["torchscript", "unibiomed"], default="torchscript")
    parser.add_argument("--package", help="model package folder (torchscript backend)")
    parser.add_argument("--model-path", help="UniBiomed weights: Hugging Face id or local folder (unibiomed backend)")
    parser.add_argument("--card", help="model card JSON of the served model (unibiomed backend)")
    parser.add_argument("--task", choices=["segment", "report"], default="segment",
                        help="unibiomed: one segmentation prompt per card label, or the request's prompt as a report")
    parser.add_argument("--chunk", type=int, default=32, help="unibiomed: slices per predict_forward call")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="torch intra-op threads")
    parser.add_argument("--max-request-mb", type=int, default=2048)
    parser.add_argument("--token-file", help="file holding the bearer token (instead of GROUNDFLOW_MODEL_TOKEN)")
    parser.add_argument("--insecure", action="store_true",
                        help="serve without a token; only with a loopback --host")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    token = read_token(args, os.environ)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if token is None:
        log.warning("serving without a token (--insecure) on loopback %s", args.host)
    serve(Service(load_backend(args), token, args.max_request_mb << 20), args.host, args.port)


if __name__ == "__main__":
    main()
