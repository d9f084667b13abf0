"""The witness as a server (`sailau witness serve`): C2SP tlog-witness's `add-checkpoint`, for
a witness that can be reached. The log POSTs each checkpoint it signs with a consistency proof
from the last size this witness cosigned; the witness checks the log's signature with the key it
pinned, checks the proof against the root it keeps, cosigns and answers with its cosignature
line, in one step. No polling: a checkpoint is cosigned as soon as it is signed, and every
witness is shown the same one.

The checks are `run`'s (`logstate.check_next`): a rollback, a second root for a size already
cosigned, a tree that does not extend the kept one or another key are refused and both notes
kept as evidence. The answers are the protocol's: 404 another origin, 403 not signed by the
pinned key, 400 malformed or an old size past the checkpoint's, 409 an old size that is not the
kept one (the body says which, `text/x.tlog.size`) or a second root, 422 a proof that does not
verify. Checking and keeping the new state happen under one lock, as the protocol requires:
two requests at once cannot roll the kept size back."""

from __future__ import annotations

import base64
import binascii
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sailau.tlog import merkle
from sailau.verify import logsource, logstate
from sailau.witness.run import pinned_log_key, timestamp

MAX_BODY = 8192  # an old size line, up to 63 proof lines of 45 bytes, a checkpoint note
MAX_PROOF = 63


class Answer(Exception):
    def __init__(self, status: int, text: str, content_type: str = "text/plain; charset=utf-8"):
        super().__init__(text)
        self.status, self.text, self.content_type = status, text, content_type


def parse_request(body: bytes) -> tuple[int, list[bytes], bytes]:
    """The old size, the proof's hashes and the checkpoint note of an add-checkpoint body;
    Answer(400) when it is not one."""
    head, sep, note_bytes = body.partition(b"\n\n")
    lines = head.split(b"\n")
    if not sep or not lines[0].startswith(b"old "):
        raise Answer(400, "the body is: old <size>, proof lines, an empty line, the checkpoint")
    size = lines[0][4:]
    if not size.isdigit() or not size.isascii() or (size.startswith(b"0") and size != b"0") \
            or len(size) > 19:
        raise Answer(400, "the old size: a decimal number without leading zeroes")
    if len(lines) - 1 > MAX_PROOF:
        raise Answer(400, f"more than {MAX_PROOF} consistency proof lines")
    proof = []
    for line in lines[1:]:
        try:
            h = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            h = b""
        if len(h) != 32:
            raise Answer(400, "a consistency proof line is not a base64 SHA-256 hash")
        proof.append(h)
    return int(size), proof, note_bytes


class Server:
    """What the HTTP handler calls: one witness, one log (its state folder)."""

    def __init__(self, witness, state: Path, log_key: str | None, say=print,
                 log: logsource.Files | None = None, clock_offset: float = 0.0):
        self.witness, self.state_dir, self.say = witness, state, say
        self.clock_offset = clock_offset  # `run.timestamp`: 0 but for a replay's witness
        self.lock = threading.Lock()
        self.log_key = pinned_log_key(logstate.load(state), log_key, state, log)
        if self.log_key is None:
            raise logstate.StateError(f"{state}: no log key pinned yet: give --log-key (the "
                                      "log's verifier key, from its log/log.json)")

    def add_checkpoint(self, body: bytes) -> str:
        """The cosignature line(s) for the request `body`, or Answer with the refusal."""
        old, proof, data = parse_request(body)
        name = self.log_key.split("+", 1)[0]
        try:
            text = data.decode()
        except UnicodeDecodeError:
            raise Answer(400, "the checkpoint is not UTF-8") from None
        if text.split("\n", 1)[0] != name:
            raise Answer(404, f"this witness cosigns the log {name} only")
        try:
            signed = logsource.open_checkpoint(data, self.log_key, "the request")
        except logsource.BadSignature as exc:
            raise Answer(403, str(exc)) from None
        except logsource.Unusable as exc:
            raise Answer(400, str(exc)) from None
        cp = signed.checkpoint
        if old > cp.size:
            raise Answer(400, f"old size {old} is past the checkpoint's size {cp.size}")
        with self.lock:
            state = logstate.load(self.state_dir)
            kept = state["size"] if state else 0
            if old != kept:
                raise Answer(409, f"{kept}\n", "text/x.tlog.size")

            def prove(old_size, old_root):
                merkle.verify_consistency(old_size, cp.size, old_root, cp.root, proof)

            if state is None and proof:
                raise Answer(422, "a proof from the empty tree must be empty")
            try:
                logstate.check_next(state, cp.origin, self.log_key, cp.size, cp.root, prove)
            except logstate.Refused as exc:
                where = logstate.keep_evidence(self.state_dir, exc.what,
                                               state["checkpoint"].encode(), data, str(exc))
                self.say(f"REFUSED: {exc}; evidence kept in {where}", flush=True)
                raise Answer(422 if exc.what == "fork" else 409, f"refused: {exc}") from None
            body_text = cp.body()
            # The kept cosignature answers the same checkpoint text only: another text of the
            # same size and root (other extension lines) is signed afresh, or the log would
            # publish a cosignature that does not verify over its text.
            if (state and state["size"] == cp.size and state.get("cosignature")
                    and state.get("body") == body_text):
                return state["cosignature"] + "\n"
            line = self.witness.cosign(body_text, timestamp(self.clock_offset))
            logstate.save(self.state_dir, origin=cp.origin, log_key=self.log_key, size=cp.size,
                          root=cp.root, note=data, body=body_text, cosignature=line,
                          delivered=True)
        return line + "\n"


# A connection that sends nothing for this long is closed: each holds a thread, and a witness
# must not be stalled by clients that open connections and wait.
IDLE_SECONDS = 15
MAX_CONNECTIONS = 64  # open at once; past it a new connection is closed at once


class BoundedServer(ThreadingHTTPServer):
    """A thread per connection, at most MAX_CONNECTIONS of them: a flood of idle connections
    costs the witness that many threads, not all of its memory."""

    daemon_threads = True

    def __init__(self, *args, max_connections: int = MAX_CONNECTIONS, **kw):
        super().__init__(*args, **kw)
        self.slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)  # full: closed unanswered, the client tries later
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def handler_for(server: Server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the protocol recommends
        timeout = IDLE_SECONDS  # the socket's: a silent connection is closed

        def log_message(self, *args):
            pass

        def _send(self, status: int, text: str, content_type: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = self.headers.get("Content-Length", "")
            if not length.isdigit() or int(length) > MAX_BODY:
                self.close_connection = True
                return self._send(413 if length.isdigit() else 411,
                                  "a body of at most 8 KiB, with its length\n", "text/plain")
            body = self.rfile.read(int(length))
            if self.path.rstrip("/").rsplit("/", 1)[-1] != "add-checkpoint":
                return self._send(404, "POST <prefix>/add-checkpoint\n", "text/plain")
            try:
                line = server.add_checkpoint(body)
            except Answer as a:
                return self._send(a.status, a.text if a.text.endswith("\n") else a.text + "\n",
                                  a.content_type)
            except logstate.StateError as exc:
                server.say(f"cannot keep the state: {exc}", flush=True)
                return self._send(500, "the witness cannot keep its state\n", "text/plain")
            self._send(200, line, "text/plain; charset=utf-8")

        def do_GET(self):
            self._send(405, "POST <prefix>/add-checkpoint\n", "text/plain")

    return Handler


def serve(witness, state: Path, log_key: str | None, host: str, port: int,
          log: logsource.Files | None = None, clock_offset: float = 0.0) -> int:
    """Until SIGTERM or Ctrl-C. Its one line on stdout says where it listens (the port the
    system chose, for port 0)."""
    server = Server(witness, state, log_key,
                    say=lambda *a, **kw: print(*a, **kw, file=sys.stderr), log=log,
                    clock_offset=clock_offset)
    httpd = BoundedServer((host, port), handler_for(server))
    print(f"witness {witness.name} listening on http://{host}:{httpd.server_address[1]}"
          "/add-checkpoint", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0
