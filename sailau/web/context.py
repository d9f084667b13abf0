"""What the header of every page needs: the election whose sections it links (the one in the
address, else the `election` parameter, else that of the station in the address, else the one
the signed-in account works in, else the latest). Lazy, so that a page that is served from the
page cache or never shows the header does not query for it."""

from django.utils.functional import SimpleLazyObject


def _election(request):
    from sailau.elections.models import Election

    match = getattr(request, "resolver_match", None)
    eid = (match.kwargs.get("election_id") if match else None) or request.GET.get("election")
    qs = Election.objects.only("id", "date")
    return (qs.filter(pk=eid).first() if isinstance(eid, str) and eid else None) \
        or _worked_in(request, match, qs) or qs.order_by("-date", "id").first()


def _worked_in(request, match, qs):
    """The election a staff page is of, where its address names none: its station's (an entry
    form, a turnout report), else the election of the signed-in account's role or observer's
    organisation (a work list, the observer's form). A referendum's staff then see its
    sections, not the latest election's candidates and funds."""

    station = match.kwargs.get("station_id") if match else None
    if isinstance(station, str) and station:
        found = qs.filter(stations__id=station).first()
        if found:
            return found
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    from sailau.accounts.models import Role
    from sailau.observation.models import Observer

    eid = (Role.objects.filter(user=user, election__isnull=False)
           .order_by("-granted_at").values_list("election_id", flat=True).first()
           or Observer.objects.filter(user=user)
           .values_list("organisation__election_id", flat=True).first())
    return qs.filter(pk=eid).first() if eid else None


def _nominated(request) -> bool:
    """Whether the header's election has candidates and campaign funds to link (a referendum
    has neither): one of its contests is of a kind whose choices are nominated."""
    e = _election(request)
    return e is not None and e.nominated()


def site(request) -> dict:
    return {"site_election": SimpleLazyObject(lambda: _election(request)),
            "site_nominated": SimpleLazyObject(lambda: _nominated(request))}
