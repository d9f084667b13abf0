"""A recording played in a real browser (Debian's Chromium via Playwright): the recording page's
player fetches the file with HTTP range requests (206) from /video/file/<id>, starts at the
moment a complaint cites (`?t=`), and plays on from there."""

import datetime as dt
import hashlib
import subprocess

import pytest

from tests.browser import NEEDS_CHROMIUM
from tests.video.conftest import NIGHT

pytestmark = [*NEEDS_CHROMIUM, pytest.mark.django_db(transaction=True)]
VIDEO = "document.querySelector('video')"


@pytest.fixture
def playable(camera, operator, clips):
    """A 3 s H.264 recording (what browsers play), stored through the upload's own checks, all
    before Playwright starts (its event loop makes the ORM refuse to run in this thread)."""
    from sailau.video import services

    path = clips / "h264.mp4"
    if not path.exists():
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                        "testsrc=size=160x120:rate=10:duration=3", "-c:v", "libx264",
                        "-pix_fmt", "yuv420p", "-metadata",
                        f"creation_time={NIGHT.isoformat().replace('+00:00', 'Z')}",
                        "-movflags", "+faststart", "-y", str(path)], check=True)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return services.record(operator, camera, path, sha, NIGHT + dt.timedelta(minutes=1))


def test_a_recording_plays_from_the_cited_moment_by_range_requests(live_server, playable,
                                                                  browser):
    rec = playable
    page = browser.new_page()
    answers = []
    page.on("response", lambda r: answers.append((r.status, r.request.headers.get("range")))
            if f"/video/file/{rec.pk}" in r.url else None)
    assert page.goto(f"{live_server.url}/ru/video/r/{rec.pk}/?t=1").status == 200
    assert page.evaluate("document.createElement('video').canPlayType('video/mp4; "
                         "codecs=\"avc1.42E01E\"')"), "this Chromium plays no H.264"
    page.wait_for_function(f"() => {VIDEO}.readyState >= 1 || {VIDEO}.error", timeout=30_000)
    assert page.evaluate(f"{VIDEO}.error") is None, page.evaluate(f"{VIDEO}.error.message")
    assert page.evaluate(f"{VIDEO}.duration") == pytest.approx(3, abs=0.2)
    page.evaluate(f"() => {{ const v = {VIDEO}; v.muted = true; return v.play(); }}")
    # Started at the cited second (#t=1) and moving: past it, whatever the machine's load.
    page.wait_for_function(f"() => {VIDEO}.currentTime > 1.3 || {VIDEO}.ended",
                           timeout=60_000)
    assert page.evaluate(f"{VIDEO}.error") is None
    assert any(status == 206 and rng and rng.startswith("bytes=") for status, rng in answers), \
        answers
    page.close()
