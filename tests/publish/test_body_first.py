"""`BodyFirst` (sailau.bodyfirst), what `sailau serve` runs the site in: a request's body is read
whole on the event loop, within a size limit and a deadline, before the WSGI application gets
a thread; a long answer streams from that thread. Driven here as the ASGI server drives it."""

import asyncio
import json
import threading

import pytest

from sailau.bodyfirst import STREAM_PAST, BodyFirst


def _scope(method="POST", path="/api/complaints/", headers=(), query=b""):
    return {"type": "http", "method": method, "path": path, "query_string": query,
            "root_path": "", "scheme": "http", "http_version": "1.1",
            "server": ("127.0.0.1", 8000), "client": ("203.0.113.7", 5555),
            "headers": [(k.encode(), v.encode()) for k, v in headers]}


def _call(asgi, scope, messages, gap=0.0):
    """What `asgi` sends for a request whose body arrives as `messages` (ASGI receive
    events), `gap` seconds apart; a client that has sent everything then waits."""
    sent = []

    async def run():
        queue = list(messages)

        async def receive():
            if not queue:
                await asyncio.sleep(3600)
            await asyncio.sleep(gap)
            return queue.pop(0)

        async def send(message):
            sent.append(message)

        await asgi(scope, receive, send)

    asyncio.run(asyncio.wait_for(run(), 10))
    return sent


def _chunk(data: bytes, more=True):
    return {"type": "http.request", "body": data, "more_body": more}


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


def _answer(sent):
    start = sent[0]
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_a_body_larger_than_the_limit_is_refused_before_it_is_read():
    app = Recorder()
    asgi = BodyFirst(app, threads=2, max_body=1000)
    scope = _scope(headers=[("content-length", "1001"), ("accept-language", "ru-RU,ru;q=0.9")])
    status, headers, body = _answer(_call(asgi, scope, []))  # not a byte of it sent
    assert status == 413 and not app.calls
    refusal = json.loads(body)
    assert refusal["error"] == "request.too_large" and refusal["field"] == "Content-Length"
    assert refusal["message"] == "Запрос слишком большой"
    assert headers[b"connection"] == b"close"
    # Without a Content-Length (chunked), refused when the bytes pass the limit.
    scope = _scope(headers=[("transfer-encoding", "chunked")])
    status, _, _ = _answer(_call(asgi, scope, [_chunk(b"x" * 600), _chunk(b"x" * 600)]))
    assert status == 413 and not app.calls


def test_a_body_that_drips_is_refused_when_its_deadline_passes():
    app = Recorder()
    asgi = BodyFirst(app, threads=2, body_seconds=0.3, min_rate=100)
    scope = _scope(headers=[("content-length", "100")])
    # A byte every 0.1 s: 0.3 s and 0.01 s a byte received, passed after a few bytes.
    status, _, body = _answer(_call(asgi, scope, [_chunk(b"x")] * 100, gap=0.1))
    assert status == 408 and not app.calls
    assert json.loads(body)["error"] == "request.timeout"


def test_a_slow_but_steady_body_arrives_past_the_first_deadline():
    app = Recorder()
    asgi = BodyFirst(app, threads=2, body_seconds=0.2, min_rate=1000)
    scope = _scope(headers=[("content-length", "1000")])
    # 200 bytes every 0.1 s (2000 a second): 0.5 s in all, past the 0.2 s a body has at first.
    pieces = [_chunk(b"y" * 200)] * 4 + [_chunk(b"y" * 200, more=False)]
    status, _, body = _answer(_call(asgi, scope, pieces, gap=0.1))
    assert (status, body) == (200, b"1000")
    assert app.calls[0][1] == b"y" * 1000


def test_a_dropped_connection_reaches_the_application_only_for_a_resumable_upload():
    app = Recorder()
    asgi = BodyFirst(app, threads=2)
    gone = {"type": "http.disconnect"}
    posted = _scope(headers=[("content-length", "10")])
    assert _call(asgi, posted, [_chunk(b"abc"), gone]) == [] and not app.calls
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
    status, _, _ = _answer(_call(asgi, patch, [_chunk(b"abc"), gone]))
    assert status == 204 and app.calls == [b"abc"]


def test_the_environ_is_the_requests():
    app = Recorder()
    asgi = BodyFirst(app, threads=2)
    scope = _scope(method="GET", path="/ru/e/kz.test/станция/", query=b"page=2&q=%D0%B0",
                   headers=[("accept", "text/html"), ("x-forwarded-for", "198.51.100.1"),
                            ("x-forwarded-for", "198.51.100.2"), ("content-type", "text/plain")])
    status, _, _ = _answer(_call(asgi, scope, []))  # no body: nothing is awaited
    environ = app.calls[0][0]
    assert status == 200
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

    sent = _call(BodyFirst(app, threads=2), _scope(method="GET"), [])
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert sent[0]["status"] == 200 and b"".join(m["body"] for m in bodies) == chunk * 16
    # Sent as it was made, not read whole first: the first message holds no more than the
    # answer's first STREAM_PAST bytes and a chunk, and more followed.
    assert len(bodies[0]["body"]) <= STREAM_PAST + len(chunk) and len(bodies) > 2
    assert bodies[-1].get("more_body", False) is False
    assert threads["called"] == threads["iterated"] == threads["closed"] != \
        threading.get_ident()
