"""The WSGI application behind granian's event loop (its RSGI interface), with each request's
body read whole before a thread is given to it.

A WSGI application reads its body from a blocking stream, so under a WSGI server a request
holds a thread from its headers to its last body byte: clients sending bodies a byte a second
held every thread and the site answered nobody else (granian's WSGI mode has a timeout for the
headers, none for a body). Here the body is read on the server's event loop, where a waiting
request costs a coroutine and its buffer, within two limits:

- at most `sailau.uploads.MAX_REQUEST_BYTES` (32 MiB), refused 413 as Django's
  `RequestSizeMiddleware` refuses it (before a byte is read when Content-Length says more; a
  chunked body when its bytes pass it);
- a deadline: `BODY_SECONDS`, plus a second for every `MIN_RATE` bytes that did arrive (408
  when it passes). A slow but steady link finishes any body; a drip does not hold on.

Only then does the WSGI application run, in a pool of `threads` threads, with the body as a
file (in memory up to `SPOOL_MEMORY`, on disk past it). Its answer is handed to the server from
that thread as it is made: a short one whole; a long one (a snapshot file, a table download)
chunk by chunk, never read whole into memory. The whole answer is made in one thread,
so a response that reads the database as it streams keeps its thread's connection.

Refusals are the project's error model in JSON, in the request's language (Accept-Language,
the language cookie), English otherwise, as the API answers a program."""

from __future__ import annotations

import asyncio
import io
import json
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from http.cookies import CookieError, SimpleCookie

from sailau.errors import Code, SailauError
from sailau.languages import language
from sailau.uploads import MAX_REQUEST_BYTES, too_large

# A resumable video upload's chunk (tus, sailau.api.tus) cut short (the connection dropped, or
# the deadline passed) is still handed to the application with what arrived: tus keeps the
# bytes received, and the client resumes from there.
RESUMABLE = ("/api/video/uploads/",)
BODY_SECONDS = 30
MIN_RATE = 16 << 10  # bytes a second: 128 kbit/s, a poor mobile link
SPOOL_MEMORY = 1 << 20  # a body past this waits on disk, not in memory
# An answer up to this size is made whole in its thread and handed to the server at once; a
# longer one streams from its thread (each chunk sent before the next is read).
STREAM_PAST = 256 << 10


class BodyTooSlow(SailauError, status=408, code=Code.REQUEST_TIMEOUT):
    pass


class Disconnected(Exception):
    """The client went away before its body was whole: there is no one to answer."""


class CutShort:
    """A body that ended before its Content-Length: what arrived, then the OSError a WSGI
    server's stream raises for a dropped connection."""

    def __init__(self, f):
        self.f = f

    def read(self, size: int = -1) -> bytes:
        data = self.f.read(size)
        if not data and size != 0:
            raise OSError("the client's connection dropped before its body was whole")
        return data

    def readline(self, size: int = -1) -> bytes:
        return self.f.readline(size)

    def close(self) -> None:
        self.f.close()


class BodyFirst:
    """An RSGI application (granian's own interface, `__rsgi__`): `app` (WSGI) run in
    `threads` threads once the body is in. RSGI rather than ASGI: its answer is handed to the
    server from the thread that made it, with no trip back through the event loop, which
    under load waits for the interpreter behind the threads (with 20 clients on 2 cores, ASGI
    served pages about a third slower than granian's WSGI mode; RSGI as fast)."""

    def __init__(self, app, threads: int, max_body: int = MAX_REQUEST_BYTES,
                 body_seconds: float = BODY_SECONDS, min_rate: int = MIN_RATE, at_once=None):
        """`at_once(environ)`: for a request without a body, an answer (status, headers,
        bytes) made on the event loop with no thread, or None. It must not wait (the snapshot
        files' front: a stat and a read of a small file, `SnapshotFront.at_once`)."""
        self.app = app
        self.at_once = at_once
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="wsgi")
        self.max_body = max_body
        self.body_seconds = body_seconds
        self.min_rate = min_rate

    async def __rsgi__(self, scope, protocol):
        if scope.proto != "http":
            return
        headers = scope.headers.items()
        resumable = scope.method == "PATCH" and scope.path.startswith(RESUMABLE)
        environ = None
        try:
            length = _content_length(headers)
            if length is not None and length > self.max_body:
                raise too_large("request", length, self.max_body)
            if length in (None, 0) and not _chunked(headers):  # no body: nothing to wait for
                body, whole = io.BytesIO(), True
                environ = _environ(scope, headers, body)
                if self.at_once and (made := self.at_once(environ)):
                    protocol.response_bytes(*made)
                    return
            else:
                body, whole = await self._read(protocol, length, resumable)
        except SailauError as exc:
            _refuse(protocol, scope.path, headers, exc)
            return
        except Disconnected:
            return
        if not whole:
            body = CutShort(body)
        if environ is None:
            environ = _environ(scope, headers, body)
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self.pool, self._run, environ, loop, protocol)
        finally:
            body.close()

    async def _read(self, protocol, length: int | None, resumable: bool):
        """The body as a file at its start, and whether it is whole: a resumable upload of a
        known length keeps what arrived when the connection drops or the deadline passes."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115 (returned)
        received, partial = 0, resumable and length is not None
        chunks = protocol.__aiter__()
        try:
            while True:
                left = start + self.body_seconds + received / self.min_rate - loop.time()
                try:
                    if left <= 0:
                        raise TimeoutError
                    chunk = await asyncio.wait_for(chunks.__anext__(), left)
                except TimeoutError:
                    if partial:
                        break
                    raise BodyTooSlow(message=f"the body did not arrive within "
                                              f"{self.body_seconds} s and a second for each "
                                              f"{self.min_rate} bytes received") from None
                except StopAsyncIteration:  # the end, or the connection dropped before it
                    if length is None or received >= length:
                        body.seek(0)
                        return body, True
                    if partial:
                        break
                    raise Disconnected from None
                received += len(chunk)
                if received > self.max_body:  # a body without Content-Length, past the limit
                    raise too_large("request", received, self.max_body)
                body.write(chunk)
        except BaseException:
            body.close()
            raise
        body.seek(0)
        return body, False

    def _run(self, environ, loop, protocol) -> None:
        """In a thread of the pool: the application's answer, handed to the server from here,
        whole when short, else chunk by chunk as it is made."""
        started: list = []

        def start_response(status, headers, exc_info=None):
            if exc_info and started and started[-1] is None:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [(int(status[:3]), list(headers))]
            return chunks.append  # the old `write` callable: its bytes go first

        chunks: list[bytes] = []
        result = self.app(environ, start_response)
        try:
            size = sum(len(c) for c in chunks)
            answer = iter(result)  # one iterator: an iterable may begin again when asked twice
            for chunk in answer:
                if not chunk:
                    continue
                chunks.append(chunk)
                size += len(chunk)
                if size > STREAM_PAST:
                    break
            else:
                protocol.response_bytes(*started[0], b"".join(chunks))
                return
            started.append(None)  # sent: an error now can only end the answer
            stream = protocol.response_stream(*started[0])

            async def sent(data):  # the transport's send is awaitable, not a coroutine
                await stream.send_bytes(data)

            try:
                asyncio.run_coroutine_threadsafe(sent(b"".join(chunks)), loop).result()
                for chunk in answer:
                    if chunk:
                        asyncio.run_coroutine_threadsafe(sent(chunk), loop).result()
            except (OSError, RuntimeError):
                pass  # the reader went away (the server's "protocol closed"): stop reading
        finally:
            if hasattr(result, "close"):
                result.close()  # in this thread: Django's request_finished, the file closed


def _chunked(headers) -> bool:
    return any(k == "transfer-encoding" for k, _ in headers)


def _content_length(headers) -> int | None:
    for k, v in headers:
        if k == "content-length":
            if not v.isdigit():
                raise SailauError(code=Code.INVALID, field="Content-Length",
                                  message="Content-Length is not a number")
            return int(v)
    return None


def _address(text: str) -> tuple[str, str]:
    """("host", "port") of the server's "host:port" (an IPv6 host in brackets or not)."""
    host, _, port = text.rpartition(":")
    return host.strip("[]"), port


def _environ(scope, headers, body) -> dict:
    """The WSGI environ (PEP 3333) of an RSGI HTTP request."""
    server, client = _address(scope.server), _address(scope.client)
    environ = {
        "REQUEST_METHOD": scope.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": scope.path.encode().decode("latin-1"),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": server[0],
        "SERVER_PORT": server[1],
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": client[1],
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for k, v in headers:
        name = k.upper().replace("-", "_")
        if name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[name] = v
            continue
        key = f"HTTP_{name}"
        environ[key] = f"{environ[key]},{v}" if key in environ else v
    return environ


def _lang(headers) -> str:
    """The language a refusal is written in: the request's, else English (as the API's)."""
    from django.conf import settings

    for k, v in headers:
        if k == "cookie":
            try:
                cookie = SimpleCookie(v)
            except CookieError:
                continue
            if settings.LANGUAGE_COOKIE_NAME in cookie:
                return language(cookie[settings.LANGUAGE_COOKIE_NAME].value)
    for k, v in headers:
        if k == "accept-language":
            return language(v.split(",")[0].split(";")[0])
    return "en"


def _refuse(protocol, path: str, headers, exc: SailauError) -> None:
    """The refusal as `RequestSizeMiddleware` answers one: the API's JSON under /api/ (in the
    request's language, else English), a line of text in the request's language elsewhere."""
    lang = _lang(headers)
    if path.startswith("/api/"):
        kind, body = "application/json", json.dumps(exc.to_json(lang), ensure_ascii=False)
    else:
        kind, body = "text/plain", exc.text(lang)
    protocol.response_str(exc.status, [("content-type", f"{kind}; charset=utf-8"),
                                       ("cache-control", "no-store"),
                                       # the rest of the body is not read: the connection
                                       # cannot go on
                                       ("connection", "close")], body)
