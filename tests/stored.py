"""Reading a stored file the way a reader does, on either storage: on the local disk the
application answers with the bytes; on object storage (the S3 pass, scripts/test) it answers
302 to the object's own URL, the designed path that keeps this server out of the bytes' way,
and the reader fetches them there. Tests check the bytes, ranges and headers that arrive."""

from __future__ import annotations

import os
from dataclasses import dataclass

import requests

from sailau.filestores import s3_enabled

S3 = s3_enabled()


@dataclass
class Fetched:
    status: int
    headers: dict  # case-insensitive (Django's response headers, or requests')
    body: bytes
    redirected_to: str | None = None


def fetch(client, url: str, headers: dict | None = None) -> Fetched:
    """GET `url` through the Django test client; on the S3 pass the redirect it must answer is
    followed to the object store with the same headers (a Range, say)."""
    headers = headers or {}
    r = client.get(url, headers=headers)
    if S3 and r.status_code == 302:
        where = r["Location"]
        assert where.startswith(os.environ["SAILAU_S3_ENDPOINT_URL"]), where
        there = requests.get(where, headers=headers, timeout=30)
        return Fetched(there.status_code, there.headers, there.content, where)
    body = b"".join(r.streaming_content) if r.streaming else r.content
    return Fetched(r.status_code, r.headers, body)
