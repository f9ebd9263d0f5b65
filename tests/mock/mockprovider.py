#!/usr/bin/env python3
"""Loopback mock of an OpenAI/Moonshot-compatible LLM API for kodus-envcheck tests.

One scenario per process.  Standard library only, so the test suite needs
nothing beyond python3.  See tests/mock/README.md for options and log format.
"""

import argparse
import hashlib
import http.server
import json
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time

SCENARIOS = (
    "ok", "zero-balance", "quota-429", "rate-limit-429", "overloaded-once",
    "model-404", "ip-403", "flaky-500", "html-503", "slow", "reset", "huge",
    "badjson", "redirect", "echo-key", "html-200", "wrong-shape",
    "no-choices", "endless", "trickle", "tripwire", "hostile-text",
)
DEFAULT_MODELS = "kimi-k2.6:262144,kimi-k3:1048576,kimi-k2.7-code:262144"
CREATED = 1700000000

# Bodies copied from what the real API returns, so the classifier under test
# sees realistic messages and error types.
QUOTA_MSG = ("Your account org-xxx <ak-xxx> is suspended due to insufficient "
             "balance, please recharge your account or check your plan and "
             "billing details")
RPM_MSG = ("Your account org-xxx request reached organization max RPM: 3, "
           "please try again after 20 seconds")
OVERLOAD_MSG = "The engine is currently overloaded, please try again later"
IP_MSG = ("Access denied: your IP address is not in the organization's IP "
          "allow list (whitelist)")
HTML_503 = (b"<html><head><title>503 Service Temporarily Unavailable</title>"
            b"</head><body><center><h1>503 Service Temporarily Unavailable</h1>"
            b"</center><hr><center>nginx</center></body></html>")
TRUNCATED_JSON = b'{"object":"list","data":[{"id":'
# A login or captive-portal page answering 200: about 1.6 MB of HTML.
HTML_200 = (b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>"
            + b"<p>Please sign in to continue.</p>" * 48000 + b"</body></html>")

# Network errors a misbehaving or impatient client can legitimately cause;
# they must never take the server down or spam stderr.
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError,
               TimeoutError, ssl.SSLError)


class Stop(Exception):
    """Raised from the signal handler to leave serve_forever()."""


def error_body(message, etype):
    return {"error": {"message": message, "type": etype}}


def parse_models(spec):
    """'id[:ctx],...' -> list of (id, ctx or None)."""
    models = []
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        mid, sep, ctx = item.rpartition(":")
        if sep and ctx.isdigit():
            models.append((mid, int(ctx)))
        else:
            models.append((item, None))
    return models


def model_entry(mid, ctx):
    entry = {"id": mid, "object": "model", "created": CREATED,
             "owned_by": "moonshot"}
    if ctx is not None:
        entry["context_length"] = ctx
    return entry


class MockServer(http.server.ThreadingHTTPServer):
    daemon_threads = True       # a sleeping 'slow' handler must not block exit
    allow_reuse_address = False  # port 0 anyway; never steal a live port
    request_queue_size = 128     # benchmark opens many connections at once

    def __init__(self, opts):
        self.opts = opts
        self.tls = None
        if opts.tls_cert:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(opts.tls_cert, opts.tls_key)
        models = parse_models(opts.models)
        if opts.scenario == "model-404":
            models = models[1:]
        self.models = models
        self.model_ids = {m for m, _ in models}
        self.lock = threading.Lock()
        self.conn_count = 0
        self.seen = set()          # one-shot failures already served
        self.huge_lock = threading.Lock()
        self.huge_body = None
        self.logf = open(opts.log, "a", encoding="utf-8") if opts.log else None
        super().__init__(("127.0.0.1", 0), Handler)

    def log(self, line):
        # Checked under the lock: a daemon thread may still log while
        # server_close() is closing the file.
        with self.lock:
            if self.logf is not None:
                self.logf.write(line + "\n")
                self.logf.flush()

    def first_time(self, what):
        """True exactly once per 'what' across all threads."""
        with self.lock:
            if what in self.seen:
                return False
            self.seen.add(what)
            return True

    def models_json(self):
        return {"object": "list",
                "data": [model_entry(m, c) for m, c in self.models]}

    def huge_models(self):
        # Built lazily so startup stays fast; ~5 MB of valid JSON, cached.
        with self.huge_lock:
            if self.huge_body is None:
                data = [model_entry(m, c) for m, c in self.models]
                # Every filler entry has the same encoded length, so size
                # one and repeat until the list reaches ~5 MB.
                filler = "filler-%06d-" + "x" * 40
                one = len(json.dumps(model_entry(filler % 0, 131072),
                                     separators=(",", ":"))) + 1
                data += [model_entry(filler % i, 131072)
                         for i in range(5 * 1000 * 1000 // one)]
                self.huge_body = json.dumps({"object": "list", "data": data},
                                            separators=(",", ":")).encode()
            return self.huge_body

    # Our own process_request: number the connection in accept order (so the
    # CONN line precedes its REQ lines) and run the TLS handshake in the
    # connection's thread, so a client that aborts it cannot stall accept().
    def process_request(self, request, client_address):
        with self.lock:
            self.conn_count += 1
            conn_id = self.conn_count
        self.log("CONN %d" % conn_id)
        t = threading.Thread(target=self.serve_connection,
                             args=(request, client_address, conn_id),
                             daemon=True)
        t.start()

    def serve_connection(self, sock, client_address, conn_id):
        try:
            if self.tls is not None:
                sock.settimeout(10)  # a silent client must not pin a thread
                try:
                    sock = self.tls.wrap_socket(sock, server_side=True)
                except OSError:  # includes ssl.SSLError: bad cert, not TLS...
                    return
            Handler(sock, client_address, self, conn_id)
        except CLIENT_GONE:
            pass
        except Exception as exc:  # keep serving; report without traceback
            print("mockprovider: %s: %s" % (type(exc).__name__, exc),
                  file=sys.stderr)
        finally:
            self.shutdown_request(sock)

    def server_close(self):
        super().server_close()
        with self.lock:
            if self.logf is not None:
                self.logf.close()
                self.logf = None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive; every reply has Content-Length
    timeout = 120                   # idle keep-alive connections eventually go

    def __init__(self, request, client_address, server, conn_id):
        self.conn_id = conn_id
        super().__init__(request, client_address, server)

    def log_message(self, fmt, *args):
        pass  # silence default per-request stderr logging

    def version_string(self):
        return "mockprovider"

    # All methods go through one dispatcher; unknown ones simply get 404.
    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = do_GET
    do_CONNECT = do_GET

    # -- request helpers -------------------------------------------------

    def read_body(self):
        # Always drain the body, even for requests we reject, or the next
        # request on this keep-alive connection would be parsed from garbage.
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def bearer(self):
        auth = self.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer":
            return ""
        return token.strip()

    def redact(self, text, token):
        # Belt and braces: a client could put the key in the URL or body.
        for secret in [token] + list(self.server.opts.key or []):
            if secret:
                text = text.replace(secret, "<redacted>")
        return text

    # -- response helpers ------------------------------------------------

    def send_bytes(self, status, body, ctype="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        # Chunked writes so a client that hangs up early (body caps) only
        # costs us a BrokenPipe here, caught by serve_connection.
        view = memoryview(body)
        for off in range(0, len(view), 65536):
            self.wfile.write(view[off:off + 65536])

    def send_json(self, status, obj, headers=()):
        data = json.dumps(obj, separators=(",", ":")).encode()
        self.send_bytes(status, data, headers=headers)

    def send_error_json(self, status, message, etype, headers=()):
        self.send_json(status, error_body(message, etype), headers)

    def send_endless(self, pause):
        """200 JSON, chunked, that never ends: until the client hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.write(b"1\r\n[\r\n")
        chunk = b"[0," * (16384 if not pause else 1)
        frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
        while True:
            self.wfile.write(frame)
            self.wfile.flush()
            if pause:
                time.sleep(pause)

    def reset_connection(self):
        # SO_LINGER {on, 0} makes close() send RST instead of FIN.
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()

    # -- the API ---------------------------------------------------------

    def dispatch(self):
        srv = self.server
        opts = srv.opts
        scen = opts.scenario
        body = self.read_body()
        token = self.bearer()
        auth = hashlib.sha256(token.encode()).hexdigest()[:12] if token else "none"
        path = self.path.split("?", 1)[0]
        srv.log(self.redact("REQ %d %s %s auth=%s bytes=%d" % (
            self.conn_id, self.command, self.path, auth, len(body)), token))

        base = opts.base.rstrip("/")
        chat = self.command == "POST" and path == base + "/chat/completions"
        payload = None
        if chat:
            try:
                payload = json.loads(body)
                line = json.dumps(payload, separators=(",", ":"), sort_keys=True)
            except ValueError:
                payload, line = None, "!invalid-json"
            srv.log(self.redact("BODY " + line, token))

        if opts.delay_ms:
            time.sleep(opts.delay_ms / 1000.0)
        if chat and opts.chat_delay_ms:
            time.sleep(opts.chat_delay_ms / 1000.0)

        # A proxy that must never be used: it records the request (the REQ
        # line above) and refuses it.
        if scen == "tripwire":
            self.close_connection = True
            return self.send_bytes(403, b"tripwire: no request may leave "
                                   b"loopback\n", ctype="text/plain")

        # Scenarios that act before authentication (transport-level faults).
        if scen == "reset":
            return self.reset_connection()
        if scen == "redirect":
            return self.send_bytes(302, b"", headers=[("Location", opts.redirect_to)])
        if scen == "html-503":
            return self.send_bytes(503, HTML_503, ctype="text/html")
        if scen == "slow":
            time.sleep(60)

        # A server that quotes the key it was sent in its error (whole, its
        # first 20 characters, and OpenAI's style) in a 401 and a header.
        if scen == "echo-key":
            msg = ("Incorrect API key provided: %s (starts %s, %s)" %
                   (token, token[:20], token[:8] + "*" * 20 + token[-4:]))
            return self.send_error_json(401, msg, "invalid_authentication_error",
                                        [("X-Echo", token)])

        if scen == "hostile-text":
            # Control bytes and invalid UTF-8 in the words of a 401: an ESC
            # sequence that erases the line, a newline and a forged
            # summary, a lone 0xFF byte.
            body = (b'{"error":{"message":"bad key\\u001b[2K\\n0 errors, '
                    b'0 warnings, 0 infos \xff end","type":'
                    b'"invalid_authentication_error"}}')
            return self.send_bytes(401, body)

        # Authentication comes first, as on the real API.
        if not token or (opts.key and token not in opts.key):
            return self.send_error_json(401, "Invalid Authentication",
                                        "invalid_authentication_error")

        # Account-level failures apply to every authenticated request.
        if scen == "quota-429":
            return self.send_error_json(429, QUOTA_MSG, "exceeded_current_quota_error")
        if scen == "rate-limit-429":
            return self.send_error_json(429, RPM_MSG, "rate_limit_reached_error",
                                        [("Retry-After", "2"),
                                         ("retry-after-ms", "2000")])
        if scen == "ip-403":
            return self.send_error_json(403, IP_MSG, "permission_denied_error")
        if scen == "badjson":
            return self.send_bytes(200, TRUNCATED_JSON)
        if scen == "html-200":
            return self.send_bytes(200, HTML_200, ctype="text/html")
        if scen == "wrong-shape":
            return self.send_json(200, {"ok": True})
        if scen == "endless":
            return self.send_endless(0)
        if scen == "trickle":
            return self.send_endless(0.2)
        if scen == "overloaded-once" and srv.first_time("overloaded"):
            return self.send_error_json(429, OVERLOAD_MSG, "engine_overloaded_error",
                                        [("retry-after-ms", "200")])
        if scen == "flaky-500" and srv.first_time("path:" + path):
            return self.send_error_json(500, "internal server error", "server_error")

        if self.command in ("GET", "HEAD") and path == base + "/models":
            if scen == "huge":
                return self.send_bytes(200, srv.huge_models())
            return self.send_json(200, srv.models_json())
        if self.command in ("GET", "HEAD") and path == base + "/users/me/balance":
            if scen == "zero-balance":
                data = {"available_balance": 0.0, "voucher_balance": 0.0,
                        "cash_balance": -1.25}
            else:
                data = {"available_balance": opts.balance,
                        "voucher_balance": opts.balance, "cash_balance": 0}
            return self.send_json(200, {"code": 0, "data": data, "status": True})
        if chat:
            return self.chat(payload)
        return self.send_error_json(404, "not found", "resource_not_found_error")

    def chat(self, payload):
        if (not isinstance(payload, dict) or "model" not in payload
                or "messages" not in payload):
            return self.send_error_json(
                400, "Invalid request: body must be JSON with model and messages",
                "invalid_request_error")
        if "temperature" in payload or "top_p" in payload:
            return self.send_error_json(
                400, "invalid temperature: only 1 is allowed for this model",
                "invalid_request_error")
        model = payload["model"]
        if not isinstance(model, str) or model not in self.server.model_ids:
            return self.send_error_json(
                404, "Not found the model %s or Permission denied" % model,
                "resource_not_found_error")
        if self.server.opts.scenario == "no-choices":
            return self.send_json(200, {"id": "chatcmpl-mock",
                                        "object": "chat.completion",
                                        "model": model})
        # Empty content + finish_reason "length" is deliberate: reasoning
        # models can spend all of a tiny max_tokens on hidden thinking.
        self.send_json(200, {
            "id": "chatcmpl-mock", "object": "chat.completion",
            "created": CREATED, "model": model,
            "choices": [{"index": 0,
                         "message": {"role": "assistant", "content": ""},
                         "finish_reason": "length"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 16,
                      "total_tokens": 17},
        })


def parse_args(argv):
    p = argparse.ArgumentParser(description="Loopback mock LLM provider API")
    p.add_argument("--port-file", required=True,
                   help="write the chosen port here (atomically) once listening")
    p.add_argument("--scenario", default="ok", choices=SCENARIOS)
    p.add_argument("--key", action="append",
                   help="accepted bearer key (repeatable; default: any non-empty)")
    p.add_argument("--models", default=DEFAULT_MODELS, help="ID[:CONTEXT],...")
    p.add_argument("--balance", type=float, default=49.58)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--delay-ms", type=int, default=0)
    p.add_argument("--chat-delay-ms", type=int, default=0,
                   help="sleep N ms more before answering a chat request")
    p.add_argument("--log", help="append event lines to this file")
    p.add_argument("--redirect-to", default="http://127.0.0.1:9/v1/models")
    p.add_argument("--base", default="/v1", help="path prefix (default /v1)")
    opts = p.parse_args(argv)
    if bool(opts.tls_cert) != bool(opts.tls_key):
        p.error("--tls-cert and --tls-key go together")
    if opts.delay_ms < 0 or opts.chat_delay_ms < 0:
        p.error("--delay-ms and --chat-delay-ms must be >= 0")
    return opts


def main(argv=None):
    opts = parse_args(sys.argv[1:] if argv is None else argv)

    def on_signal(signum, frame):
        raise Stop()

    server = MockServer(opts)
    try:
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        # Write-then-rename so a polling test never reads a half-written port.
        tmp = opts.port_file + ".tmp"
        with open(tmp, "w", encoding="ascii") as f:
            f.write("%d\n" % server.server_address[1])
        os.rename(tmp, opts.port_file)
        server.serve_forever()
    except Stop:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
