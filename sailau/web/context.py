"""What the header of every page needs: the election whose sections it links (the one in the
address, else the `election` parameter, else the latest). Lazy, so that a page that is served
from the page cache or never shows the header does not query for it."""

from django.utils.functional import SimpleLazyObject


def _election(request):
    from sailau.elections.models import Election

    match = getattr(request, "resolver_match", None)
    eid = (match.kwargs.get("election_id") if match else None) or request.GET.get("election")
    qs = Election.objects.only("id", "date")
    return (qs.filter(pk=eid).first() if isinstance(eid, str) and eid else None) \
        or qs.order_by("-date", "id").first()


def _nominated(request) -> bool:
    """Whether the header's election has candidates and campaign funds to link (a referendum
    has neither): one of its contests is of a kind whose choices are nominated."""
    from sailau.elections.models import Contest
    from sailau.law import kinds

    e = _election(request)
    return e is not None and Contest.objects.filter(
        election=e, kind__in=kinds.named(measure=False)).exists()


def site(request) -> dict:
    return {"site_election": SimpleLazyObject(lambda: _election(request)),
            "site_nominated": SimpleLazyObject(lambda: _nominated(request))}
