"""Input of integrity criterion I18 (the count window is not covered by video), in the shape
`sailau.analysis.criteria.evaluate` takes it; read by `sailau.integrity.service.station_inputs`.
Only stations with a registered camera and both times of their count window are judged."""

from django.db.models import Count, Max

from sailau.video import coverage
from sailau.video.models import Camera, Recording


def inputs(contest) -> dict:
    found = {}
    for sid, c in coverage.of_election(contest.election_id).items():
        if c.known and (c.gaps or c.ends_before_signing):
            found[sid] = c.to_json()
    return {"video_gaps": found}


def cache_part(contest) -> str:
    """A new camera or recording makes the report stale (step times are in the protocols')."""
    r = Recording.objects.filter(station__election_id=contest.election_id).aggregate(
        n=Count("id"), last=Max("id"))
    c = Camera.objects.filter(station__election_id=contest.election_id).aggregate(
        n=Count("id"), last=Max("id"))
    return f"v{r['n']}-{r['last']}-{c['n']}-{c['last']}"
