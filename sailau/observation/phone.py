"""What the observer's phone app needs to work a whole day without a network, embedded in its
page: the checklists in the page's language, the observer's stations with the commissions that
tabulate their protocols (for the tabulation-stage checklist) and the contests each station
votes in with their protocol lines (to type the certified copy), and the API addresses the queue
sends to. Texts the script shows are here too, so that it says nothing in a language the page is
not in."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sailau import clock
from sailau.elections import electorate
from sailau.elections.models import Commission, Contest, Station
from sailau.languages import pick
from sailau.observation import checklists
from sailau.observation import models as m
from sailau.protocols.catalog import Catalog, line_names

API = "/api/observation"


def _contests(station: Station, contests: list[Contest], lang: str) -> list[dict]:
    out = []
    catalog = Catalog()
    mine = set(electorate.contests(station).values_list("id", flat=True))
    for c in contests:
        if c.id not in mine:
            continue
        info = catalog.contest(c.id)
        names = line_names(c, lang)
        keys = list(info.form.fixed_choices or info.choice_keys)
        keys += ["against_all"] if info.form.against_all else []
        out.append({"id": c.id, "name": c.name(lang),
                    "lines": [{"key": ln.key, "label": names.get(ln.key, ln.key),
                               "required": ln.required} for ln in info.form.lines],
                    "choices": [{"key": k, "label": names.get(k, k)} for k in keys]})
    return out


def _stations(obs: m.Observer, lang: str) -> list[dict]:
    stations = list(Station.objects.filter(observer_deployments__observer=obs)
                    .order_by("number"))
    if not stations:
        return []
    upstream = {c.id: c for c in Commission.objects.filter(
        pk__in={s.district_id for s in stations} | {s.territory_id for s in stations})}
    contests = list(Contest.objects.filter(election_id=obs.organisation.election_id)
                    .select_related("commission").order_by("id"))
    return [{"id": s.id, "number": s.number, "address": s.where(lang),
             "commissions": [[cid, upstream[cid].name(lang)] for cid in
                             (s.district_id, s.territory_id) if cid in upstream],
             "contests": _contests(s, contests, lang)} for s in stations]


def boot(obs: m.Observer, lang: str) -> dict:
    doc = checklists.form()
    words = obs.organisation.election.wording()
    stages = [{"key": s, "label": checklists.label(doc["stages"][s]["label"], lang),
               "items": [{"key": i["key"], "type": i["type"],
                          "label": checklists.item_label(i, lang, words)}
                         for i in doc["stages"][s]["items"]]} for s in checklists.STAGES]
    return {
        "version": doc["version"], "stages": stages,
        "answers": {k: checklists.label(v, lang) for k, v in doc["answers"].items()},
        # The queue is kept per observer: a phone passed to another observer never sends the
        # first one's reports under the second one's name.
        "owner": obs.badge, "stations": _stations(obs, lang),
        "api": {"checklist": f"{API}/checklists", "incident": f"{API}/incidents",
                "count": f"{API}/counts", "copy": f"{API}/copies",
                "incidentPhoto": f"{API}/incidents/UUID/photos",
                "copyPhoto": f"{API}/copies/UUID/photo"},
        # The service worker that lets the form open without a network (offline.py).
        "worker": reverse("observation:form_worker"), "scope": reverse("observation:form"),
        # The installation's clock offset (sailau/clock.py; 0 but on the demo, whose "now" is its
        # election's night): the phone's own time plus it prefills the form's times, which the
        # server refuses when they are in its future. An offset, not the server's time: a form
        # the service worker opens hours later still reads the right time.
        "clockOffsetMs": round(clock.offset_seconds() * 1000),
        "incidentKinds": [[k, v] for k, v in m.Incident.kinds_in(words)],
        "moments": [[k, str(v)] for k, v in m.VoterCount.MOMENTS],
        "texts": {"queued": _("Saved on this phone; waiting to sync."),
                  "synced": _("Synced"), "failed": _("Refused by the server"),
                  "offline": _("Offline: will sync when the network is back."),
                  "none": _("Nothing waiting to sync."),
                  "photos": _("photos waiting"),
                  "hashing": _("Hashing the photos on this phone…"),
                  "nohash": _("This browser cannot hash photos (it needs HTTPS): the photos "
                              "are sent without the phone's hash."),
                  "checklist": _("Checklist"), "incident": _("Incident"),
                  "count": _counted(obs, lang), "copy": _("Copy of the protocol")}}


def _counted(obs: m.Observer, lang: str) -> str:
    """The count of those who came, in the words of the observed election's kind (a
    referendum's participants), else of voters."""
    words = obs.organisation.election.wording()
    return pick(words.counted, lang) if words and words.counted else _("Voters counted")
