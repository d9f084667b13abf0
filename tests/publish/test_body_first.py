"""`BodyFirst` (sailau.bodyfirst), what `sailau serve` runs the site in: a request's body is read
whole on the event loop, within a size limit and a deadline, before the WSGI application gets
a thread; a long answer streams from that thread. Driven here as granian drives it (RSGI)."""

import asyncio
import json
import threading
from types import SimpleNamespace

import pytest

from sailau.bodyfirst import STREAM_PAST, BodyFirst


class Headers:
    def __init__(self, pairs):
        self.pairs = list(pairs)

    def items(self):
        return self.pairs


def _scope(method="POST", path="/api/complaints/", headers=(), query=""):
    return SimpleNamespace(proto="http", method=method, path=path, query_string=query,
                           scheme="http", http_version="1.1", server="127.0.0.1:8000",
                           client="203.0.113.7:5555", headers=Headers(headers))


class Protocol:
    """What granian hands the application: the body's chunks, `gap` seconds apart (the end of
    the list ends the body, as a dropped connection does; `None` in it: a client that waits),
    and the answer as it is given."""

    def __init__(self, chunks, gap=0.0):
        self.chunks, self.gap = list(chunks), gap
        self.status = self.headers = None
        self.sent: list[bytes] = []
        self.streamed = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        if not self.chunks:
            raise StopAsyncIteration
        await asyncio.sleep(self.gap)
        if self.chunks[0] is None:
            await asyncio.sleep(3600)
        return self.chunks.pop(0)

    def response_bytes(self, status, headers, body):
        self.status, self.headers, self.sent = status, dict(headers), [body]

    def response_str(self, status, headers, body):
        self.response_bytes(status, headers, body.encode())

    def response_stream(self, status, headers):
        self.status, self.headers, self.streamed = status, dict(headers), True
        protocol = self

        class Transport:
            async def send_bytes(self, data):
                protocol.sent.append(data)

        return Transport()

    @property
    def body(self) -> bytes:
        return b"".join(self.sent)


def _call(app, scope, protocol):
    asyncio.run(asyncio.wait_for(app.__rsgi__(scope, protocol), 10))
    return protocol


class Recorder:
    """A WSGI application that records what it was given and answers its body's length."""

    def __init__(self):
        self.calls = []

    def __call__(self, environ, start_response):
        try:
            body = environ["wsgi.input"].read()
            error = None
        except OSError as exc:
            body, error = b"", exc
        self.calls.append((dict(environ), body, error))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(len(body)).encode()]


def test_a_body_larger_than_the_limit_is_refused_before_it_is_read():
    app = Recorder()
    asgi = BodyFirst(app, threads=2, max_body=1000)
    scope = _scope(headers=[("content-length", "1001"), ("accept-language", "ru-RU,ru;q=0.9")])
    p = _call(asgi, scope, Protocol([None]))  # not a byte of it sent
    assert p.status == 413 and not app.calls
    refusal = json.loads(p.body)
    # As Django's RequestSizeMiddleware refuses it (sailau.uploads), which it comes before.
    assert refusal["error"] == "upload.too_large" and refusal["field"] == "request"
    assert refusal["message"].startswith("Файл слишком большой")
    assert p.headers["connection"] == "close"
    page = _scope(path="/ru/complaints/new/", headers=[("content-length", "1001"),
                                                       ("accept-language", "ru")])
    p = _call(asgi, page, Protocol([None]))
    assert p.status == 413 and p.headers["content-type"].startswith("text/plain")
    assert p.body.decode().startswith("Файл слишком большой") and not app.calls
    # Without a Content-Length (chunked), refused when the bytes pass the limit.
    scope = _scope(headers=[("transfer-encoding", "chunked")])
    p = _call(asgi, scope, Protocol([b"x" * 600, b"x" * 600, None]))
    assert p.status == 413 and not app.calls


def test_a_body_that_drips_is_refused_when_its_deadline_passes():
    app = Recorder()
    asgi = BodyFirst(app, threads=2, body_seconds=0.3, min_rate=100)
    scope = _scope(headers=[("content-length", "100")])
    # A byte every 0.1 s: 0.3 s and 0.01 s a byte received, passed after a few bytes.
    p = _call(asgi, scope, Protocol([b"x"] * 100, gap=0.1))
    assert p.status == 408 and not app.calls
    assert json.loads(p.body)["error"] == "request.timeout"


def test_a_slow_but_steady_body_arrives_past_the_first_deadline():
    app = Recorder()
    asgi = BodyFirst(app, threads=2, body_seconds=0.2, min_rate=1000)
    scope = _scope(headers=[("content-length", "1000")])
    # 200 bytes every 0.1 s (2000 a second): 0.5 s in all, past the 0.2 s a body has at first.
    p = _call(asgi, scope, Protocol([b"y" * 200] * 5, gap=0.1))
    assert (p.status, p.body) == (200, b"1000")
    assert app.calls[0][1] == b"y" * 1000


def test_a_dropped_connection_reaches_the_application_only_for_a_resumable_upload():
    app = Recorder()
    asgi = BodyFirst(app, threads=2)
    posted = _scope(headers=[("content-length", "10")])
    p = _call(asgi, posted, Protocol([b"abc"]))  # then the connection drops
    assert p.status is None and not app.calls
    # tus keeps the bytes that arrived, then the client resumes from there: it reads them,
    # then the error a dropped connection gives.
    patch = _scope(method="PATCH", path="/api/video/uploads/5f0c", headers=[
        ("content-length", "10"), ("content-type", "application/offset+octet-stream")])

    def tus(environ, start_response):
        stream = environ["wsgi.input"]
        got = stream.read(4)
        with pytest.raises(OSError):
            stream.read(4)
        app.calls.append(got)
        start_response("204 No Content", [])
        return []

    asgi = BodyFirst(tus, threads=2)
    p = _call(asgi, patch, Protocol([b"abc"]))
    assert p.status == 204 and app.calls == [b"abc"]


def test_the_environ_is_the_requests():
    app = Recorder()
    asgi = BodyFirst(app, threads=2)
    scope = _scope(method="GET", path="/ru/e/kz.test/станция/", query="page=2&q=%D0%B0",
                   headers=[("accept", "text/html"), ("x-forwarded-for", "198.51.100.1"),
                            ("x-forwarded-for", "198.51.100.2"), ("content-type", "text/plain")])
    p = _call(asgi, scope, Protocol([None]))  # no body: nothing is awaited
    environ = app.calls[0][0]
    assert p.status == 200
    assert environ["PATH_INFO"] == "/ru/e/kz.test/станция/".encode().decode("latin-1")
    assert environ["QUERY_STRING"] == "page=2&q=%D0%B0"
    assert environ["HTTP_X_FORWARDED_FOR"] == "198.51.100.1,198.51.100.2"
    assert environ["CONTENT_TYPE"] == "text/plain" and "HTTP_CONTENT_TYPE" not in environ
    assert (environ["REMOTE_ADDR"], environ["SERVER_PORT"]) == ("203.0.113.7", "8000")


def test_a_long_answer_streams_from_its_thread_and_is_closed_there():
    chunk = b"z" * 65536
    made, threads = [], {}

    class Answer:
        def __iter__(self):
            threads["iterated"] = threading.get_ident()
            for _ in range(16):  # 1 MiB
                made.append(1)
                yield chunk

        def close(self):
            threads["closed"] = threading.get_ident()

    def app(environ, start_response):
        threads["called"] = threading.get_ident()
        start_response("200 OK", [("Content-Type", "application/zip")])
        return Answer()

    p = _call(BodyFirst(app, threads=2), _scope(method="GET"), Protocol([None]))
    assert p.status == 200 and p.streamed and p.body == chunk * 16
    # Sent as it was made, not read whole first: the first piece holds no more than the
    # answer's first STREAM_PAST bytes and a chunk, and more followed.
    assert len(p.sent[0]) <= STREAM_PAST + len(chunk) and len(p.sent) > 2
    assert threads["called"] == threads["iterated"] == threads["closed"] != \
        threading.get_ident()


def test_an_answer_made_at_once_takes_no_thread():
    app = Recorder()
    asked = []

    def at_once(environ):
        asked.append(environ["PATH_INFO"])
        if environ["PATH_INFO"].startswith("/snapshots/"):
            return 200, [("content-type", "application/json")], b"{}"
        return None

    asgi = BodyFirst(app, threads=2, at_once=at_once)
    p = _call(asgi, _scope(method="GET", path="/snapshots/e/manifest.json"), Protocol([None]))
    assert (p.status, p.body) == (200, b"{}") and not app.calls
    p = _call(asgi, _scope(method="GET", path="/kk/"), Protocol([None]))
    assert (p.status, p.body) == (200, b"0") and len(app.calls) == 1
    # A request with a body is never answered before its body is read.
    p = _call(asgi, _scope(path="/snapshots/x", headers=[("content-length", "2")]),
              Protocol([b"{}"]))
    assert asked == ["/snapshots/e/manifest.json", "/kk/"] and len(app.calls) == 2
