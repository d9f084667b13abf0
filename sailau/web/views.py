import datetime as dt
import threading

from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, render

from sailau.elections.models import Commission, Contest, Election, Station
from sailau.languages import texts
from sailau.law import kinds
from sailau.publish.files.commission_documents import maslikhat_commissions
from sailau.publish.pages import turnout_day
from sailau.publish.pages.results import contest_result
from sailau.publish.pages.tilemap import tilemap

T = texts("web.views")
# The home page's heading over the votes the server holds: a referendum is no election, so a
# server holding only referendums (or both) does not head them "Elections".
HOME_HEADINGS = {
    "elections": T("Elections"),
    "referendums": T("Referendums"),
    "both": T("Elections and referendums"),
}


def home(request):
    elections = list(Election.objects.all())
    questions = kinds.named(measure=True)
    asked = set(Contest.objects.filter(kind__in=questions).values_list("election_id", flat=True))
    elected = set(Contest.objects.exclude(kind__in=questions).values_list("election_id",
                                                                           flat=True))
    referendums = sum(1 for e in elections if e.id in asked - elected)
    heading = ("both" if 0 < referendums < len(elections)
               else "referendums" if referendums else "elections")
    return render(request, "web/home.html", {"elections": elections,
                                             "heading": HOME_HEADINGS[heading]})


def election(request, election_id: str):
    from sailau.publish.pages import pagecache

    e = get_object_or_404(Election, id=election_id)
    # The page shows the contests' top tallies, the count of commissions and stations, the
    # turnout the stations reported through the day and the rounds its log links.
    tops = set(e.contests.values_list("commission_id", flat=True))
    rounds = _rounds(e)
    from sailau.publish.pages import logbanner

    # The log's checkpoint and cosignatures, and how many protocols only the log has signed:
    # the banner, joined to the kept page per request (pagecache.with_banner).
    log = logbanner.current(e.id)

    state = pagecache.tallies_state(tops, e.id) + turnout_day.state() + repr(rounds)

    def page():
        r, shown = _election_page(request, e, rounds)
        return r, logbanner.rendered(shown)

    return pagecache.with_banner(request, state, log.key,
                                 logbanner.unwitnessed_in(e.id, log, None, state), page,
                                 lambda n: logbanner.rendered_for(e.id, n))


# A presidential second round and the round it repeats link each other's pages.
FIRST_ROUND = T("First round")
SECOND_ROUND = T("Second round (repeat vote)")


def _rounds(e: Election) -> list[tuple]:
    """(words, day, election id) of the rounds the election's log links, the first first."""
    from sailau.elections.rounds import links

    found = links(e.id)
    out = []
    for key, words in (("first_round", FIRST_ROUND), ("second_round", SECOND_ROUND)):
        other = found[key]
        if other is not None:
            day = other["date"] and dt.date.fromisoformat(other["date"])
            out.append((words, day, other["id"]))
    return out


# The national page's single-member districts, per process (`pagecache.memory`): (election,
# language) → contest → (its tally's state, its result). On election night the page is rendered
# again after every protocol, and each protocol changes one district of the 29: the others are
# taken from here.
_districts_lock = threading.Lock()


def _district_results(e: Election, contests: list[Contest]) -> list:
    from django.utils.translation import get_language

    from sailau.protocols.models import Tally

    # Each contest's own tally only, not those of every commission below it.
    states = {(cid, com): rest for cid, com, *rest in Tally.objects.filter(
        contest__in=contests, commission_id__in={c.commission_id for c in contests},
    ).values_list("contest_id", "commission_id", "updated_at", "stations_reported",
                  "stations_expected")}
    from sailau.publish.pages import pagecache

    districts = pagecache.memory("national page districts")
    with _districts_lock:
        memo = districts.setdefault((e.id, get_language()), {})
    out = []
    for c in contests:
        tally = states.get((c.id, c.commission_id))
        if tally is None:  # nothing to know it by (and nothing costly to show)
            out.append(contest_result(c))
            continue
        state = (tally, c.commission_id, c.seats)
        hit = memo.get(c.id)
        if hit is None or hit[0] != state:
            hit = memo[c.id] = (state, contest_result(c))
        out.append(hit[1])
    return out


def _structure_counts(e: Election) -> tuple[dict, dict, dict]:
    """The commissions by level, the stations with their voters and the stations by kind: read
    once per structure (each is a walk over every station, ~30-50 ms at 100,000 stations, and
    the page is rendered after every protocol), kept per process against the structure's stamp."""
    from sailau.elections.logged import structure_stamp
    from sailau.publish.pages import pagecache

    memo = pagecache.memory("national page structure")
    key = (e.id, structure_stamp(e.id))
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = (
            dict(e.commissions.values_list("level").annotate(n=Count("id"))),
            e.stations.aggregate(n=Count("id"), voters=Sum("registered")),
            _in_kind_order(e.stations.values_list("kind").annotate(n=Count("id"))))
    return hit


def _in_kind_order(counts) -> dict:
    """The stations by kind in the model's order (ordinary, special, abroad; a kind it does not
    name last), as the page lists them. A grouped query has no order of its own: PostgreSQL's
    follows its plan (sorted groups, or a hash table's order), and the plan changes when the
    table's statistics do (autovacuum analyzing it). A page kept from before then listed the
    kinds in another order than the same page rendered after."""
    rank = {k: i for i, (k, _) in enumerate(Station.KINDS)}
    return dict(sorted(counts, key=lambda kn: (rank.get(kn[0], len(rank)), kn[0])))


def _election_page(request, e: Election, rounds: list[tuple]) -> tuple:
    """The national page, and the log's banner (`logbanner.banner`) it shows."""
    contests = list(e.contests.select_related("commission"))
    # The national contests here; a maslikhat's (on a territorial or district commission, or on
    # a single-member district of one) on its commission's page, linked below.
    cec = e.commissions.filter(level=Commission.CEC).values_list("id", flat=True).first()
    main = [contest_result(c, over_time=True) for c in contests
            if c.commission_id == cec and not c.contest_kind.district]
    districts = _district_results(e, [c for c in contests if c.contest_kind.district
                                      and c.commission.parent_id == cec])
    maslikhats = maslikhat_commissions(e)
    levels, stations, station_kinds = _structure_counts(e)
    territories = e.commissions.filter(level=Commission.TERRITORIAL).order_by("number")
    from sailau.publish.pages import logbanner

    log = logbanner.banner(e.id)
    return render(request, "web/election.html", {
        "log": log,
        "election": e, "main": main, "districts": districts, "levels": levels,
        "rounds": rounds,
        "maslikhats": maslikhats,
        "stations": stations, "kinds": station_kinds, "territories": territories,
        "station_kinds": dict(Station.KINDS),
        # A Senate election's joint sessions and electors are named as such.
        "wording": kinds.wording(c.kind for c in contests),
        # Candidates and campaign funds: not for an election of questions only.
        "nominated": any(c.contest_kind.nominated for c in contests),
        # Parties have funds only where lists are elected (the President's are candidates').
        "lists": any(c.contest_kind.by_list for c in contests),
        "tilemap": tilemap(main[0].contest) if main else None,
        "turnout": turnout_day.table(e.id),
    }), log
