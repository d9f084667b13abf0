"""Route the synthetic election's protocols through the protocol chain, as on election night.

Each station gets two operators of its precinct commission and each territory a coordinator.
For every protocol the first operator types it, the second types it again; both go through the
rule set's checks. Typing slips happen at a small rate: a slip that breaks a control relation
is caught at once and corrected by its typist; one that does not (a line outside the equalities)
makes the two entries differ, and the territory's coordinator compares them with the paper and
accepts the right one or returns the wrong one to its typist. Warnings the real figures raise are
acknowledged. A few commissions count again after their protocol became definitive and amend it
by a decision. Times of every step follow a plausible night (assumptions below), so that the
chronometry has something to show.

The night is replayed so that it ends at the moment it is routed (`Night`): the polls closed
`NIGHT` before it, and the protocols that arrive while the demo serves (`sailau.demo.night`, at
the real clock) continue the same reporting curve. The election keeps its date: what the law
dates by it (deadlines, eligibility, the rule set) reads that, not the replay. No time is in
the future: a station that would have reported after the end is squeezed into the night's
last `SQUEEZE` (order kept), and a paper that would reach the territorial commission after it
has not been received yet.

Everything goes through `sailau.protocols.chain.Chain`: permissions, the state machine,
checks, versions, incremental tallies and the audit log, a few hundred stations per transaction.

Assumed for the timing (not from a source): polls close at the same moment everywhere (20:00
Almaty time on a real night, `NIGHT` before the end on the replay); the count and signing take
a median of 3 hours; 8% of stations never record handing a copy to observers (ODIHR saw copies
not posted at 42 of 128 stations in 2023)."""

import datetime as dt
import math
import random
import time
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sailau.demo.simulated_accounts import account_tag, accounts
from sailau.demo.synthetic import Synthetic
from sailau.law import kinds

TYPO_RATE = 0.03  # share of entries with one slip of the keyboard
AMEND_RATE = 0.003  # share of stations whose list protocol is amended after a recount
COPY_MISSING = 0.08
CHUNK = 300  # stations per transaction
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
# From the close of the polls to the end of the replayed night. Before its last `SQUEEZE` about
# nine stations in ten have reported on the assumed timing (below); the rest are squeezed into
# it (a shorter night squeezes more of them, a longer one leaves the curve a flat tail).
NIGHT = dt.timedelta(hours=8)
SQUEEZE = dt.timedelta(minutes=90)


@dataclass(frozen=True)
class Night:
    """The replayed election night: the polls closed at `closing`, and `ends` (the moment the
    demo's protocols were routed) is its last moment."""
    closing: dt.datetime
    ends: dt.datetime

    @classmethod
    def ending(cls, ends: dt.datetime | None = None) -> "Night":
        from sailau import clock

        ends = ends or clock.now()
        return cls(ends - NIGHT, ends)

    @classmethod
    def of(cls, election_day: dt.date) -> "Night":
        """The real night of `election_day`: the polls closed at 20:00 Almaty time."""
        closing = dt.datetime.combine(election_day, dt.time(20), ALMATY)
        return cls(closing, closing + NIGHT)

    def fit(self, at: dt.datetime) -> dt.datetime:
        """`at`, or when it is within `SQUEEZE` of the end or after it, a time squeezed into
        that last stretch: later times stay later, none reaches the end."""
        knee = self.ends - SQUEEZE
        if at <= knee:
            return at
        return knee + SQUEEZE * -math.expm1(-((at - knee) / SQUEEZE))


@dataclass
class Stats:
    stations: int = 0
    protocols: int = 0
    entries: int = 0
    slips_caught_by_checks: int = 0
    entries_different: int = 0
    resolutions: Counter = field(default_factory=Counter)
    warnings_acknowledged: int = 0
    amendments: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {**{k: v for k, v in self.__dict__.items() if k != "resolutions"},
                "resolutions": dict(self.resolutions)}


def _slip(rnd: random.Random, value: int) -> int:
    """A typing slip: a digit changed, two digits swapped, a digit dropped or doubled."""
    s = str(value)
    kind = rnd.randrange(4)
    i = rnd.randrange(len(s))
    if kind == 0:
        s = s[:i] + str((int(s[i]) + rnd.choice((1, 9))) % 10) + s[i + 1:]
    elif kind == 1 and len(s) > 1:
        i = min(i, len(s) - 2)
        s = s[:i] + s[i + 1] + s[i] + s[i + 2:]
    elif kind == 2 and len(s) > 1:
        s = s[:i] + s[i + 1:]
    else:
        s = s[:i] + s[i] + s[i:]
    out = int(s)
    return out if out != value else value + 1


def _with_slip(rnd, figures: dict, choices: dict) -> tuple[dict, dict]:
    figures, choices = dict(figures), dict(choices)
    part = figures if rnd.random() < 0.6 else choices
    k = rnd.choice(sorted(part))
    part[k] = _slip(rnd, part[k])
    return figures, choices


def _users(election_id: str, stations, territories):
    """Two operators per precinct commission, a coordinator per territory: made once, reused
    when the demo is rebuilt. Their roles are set on the objects, saving a query per user.
    One transaction: row by row in autocommit, SQLite would commit 20,000 times."""
    from django.db import transaction

    with transaction.atomic():
        return _make_users(election_id, stations, territories)


def _make_users(election_id: str, stations, territories):
    from sailau.accounts.models import Role
    from sailau.elections.models import Commission

    tag = account_tag(election_id)
    wanted = {}
    for s in stations:
        for x in "ab":
            wanted[f"{tag}-{s.number:05d}{x}"] = (Role.OPERATOR, s.commission_id,
                                                   Commission.PRECINCT)
    for t in territories:
        wanted[f"{tag}-coord-{t.split('.')[-1]}"] = (Role.COORDINATOR, t, Commission.TERRITORIAL)
    users = accounts(election_id, wanted)
    ops = {s.id: (users[f"{tag}-{s.number:05d}a"], users[f"{tag}-{s.number:05d}b"])
           for s in stations}
    coords = {t: users[f"{tag}-coord-{t.split('.')[-1]}"] for t in territories}
    return ops, coords


def _showing(at: dt.datetime):
    """A clock stopped at `at`: the chain's time of the step being simulated."""
    return lambda: at


def _minutes(rnd, median: float, sigma: float) -> dt.timedelta:
    return dt.timedelta(minutes=median * math.exp(rnd.gauss(0, sigma)))


def route(syn: Synthetic, chunk: int = CHUNK, progress=None, only=None,
          night: Night | None = None, own_keys: bool = False, say=print,
          key_files: dict | None = None, users: tuple | None = None,
          signers=None) -> Stats:
    """Route every protocol (or those of the stations whose ids are in `only`) on `night`
    (default: a night that ends now). `own_keys`: the commissions sign each protocol with their
    own keys when it becomes definitive (made the day before, `night_plan.day_before`, or here
    by those that have none); otherwise the server signs with the keys it holds. `key_files`
    (station id -> key file): keys the build made already the day before. `users`: the
    simulated accounts made already (`night_plan.day_before`), else made here. `signers`: a
    process of their own (`background.helper_pool`) the commissions sign in, a chunk behind
    (`commission_keys.Signing`)."""
    from sailau.demo import commission_keys
    from sailau.elections.models import Election, Station
    from sailau.errors import BadInput
    from sailau.protocols import services
    from sailau.protocols.catalog import Catalog
    from sailau.protocols.errors import EntryRejected

    t_start = time.perf_counter()
    rnd = random.Random(syn.seed * 7919 + 17)
    eid = syn.election["id"]
    catalog = Catalog()
    catalog.preload_stations(eid)
    stations = sorted(Station.objects.filter(election_id=eid).only(
        "id", "number", "commission_id", "territory_id"), key=lambda s: s.number)
    if only is not None:
        stations = [s for s in stations if s.id in only]
    ops, coords = users or _users(eid, stations, sorted({s.territory_id for s in stations}))
    # the first operator of each station registers its commission's key, and signs with it
    members = {s.id: ops[s.id][0] for s in stations}
    if key_files is None:
        key_files = (commission_keys.make(Election.objects.get(pk=eid), stations, members,
                                          say=say) if own_keys else {})
    contests = defaultdict(list)
    for sid, cid in syn.protocols:
        contests[sid].append(cid)
    # The contest a recount amends now and then: the party lists (none in a Senate election).
    list_contest = next((c["id"] for c in syn.contests if kinds.get(c["kind"]).by_list), None)
    signing = random.Random(syn.seed * 7919 + 29)
    night = night or Night.ending()
    closing, fit = night.closing, night.fit
    stats = Stats()
    commissions = (commission_keys.Signing(members, key_files, catalog, beside=signers)
                   if key_files else None)

    def enter(ch, user, n, key, figures, choices):
        """One operator's entry: a warning is acknowledged after reading it; an error is a
        slip the operator corrects against the paper (`paper`)."""
        try:
            return ch.finalise(user, key[0], key[1], n, figures, choices)
        except EntryRejected as exc:
            if exc.code == "warnings_not_acknowledged":
                stats.warnings_acknowledged += 1
                codes = [f["code"] for f in exc.detail["findings"] if f["severity"] == "warning"]
                return enter_ack(ch, user, n, key, figures, choices, codes)
            raise

    def enter_ack(ch, user, n, key, figures, choices, codes):
        return ch.finalise(user, key[0], key[1], n, figures, choices, codes)

    def type_entry(ch, user, n, key, paper):
        stats.entries += 1
        if rnd.random() < TYPO_RATE:
            fig, cho = _with_slip(rnd, *paper)
            try:
                return enter(ch, user, n, key, fig, cho)
            except EntryRejected:
                stats.slips_caught_by_checks += 1  # the operator looks again at the paper
            except BadInput:
                stats.slips_caught_by_checks += 1
        return enter(ch, user, n, key, *paper)

    for start in range(0, len(stations), chunk):
        part = stations[start:start + chunk]
        amendments, signed_at = [], {}
        with services.chain(catalog) as ch:
            ch.preload([(s.id, c) for s in part for c in contests[s.id]])
            for s in part:
                a, b = ops[s.id]
                coord = coords[s.territory_id]
                signed = closing + _minutes(rnd, 180, 0.35)
                reported = [(s.id, "polls_closed", closing),
                            (s.id, "protocol_signed", fit(signed))]
                if rnd.random() > COPY_MISSING:
                    reported.append((s.id, "copy_to_observers",
                                     fit(signed + dt.timedelta(minutes=rnd.uniform(2, 25)))))
                ch.report_times(a, reported)
                t = signed + _minutes(rnd, 45, 0.5)
                for cid in contests[s.id]:
                    key = (s.id, cid)
                    official = syn.protocols[key]
                    paper = (official["figures"], official["choices"])
                    amend = cid == list_contest and rnd.random() < AMEND_RATE
                    if amend:  # the first count moved a few votes; a recount corrects it
                        paper = _miscount(rnd, *paper)
                    ch.clock = _showing(fit(t))
                    type_entry(ch, a, 1, key, paper)
                    t += dt.timedelta(minutes=rnd.uniform(3, 40))
                    ch.clock = _showing(fit(t))
                    res = type_entry(ch, b, 2, key, paper)
                    if res.state == "entries_different":
                        stats.entries_different += 1
                        t += dt.timedelta(minutes=rnd.uniform(20, 120))
                        ch.clock = _showing(fit(t))
                        _resolve(ch, rnd, stats, coord, (a, b), key, paper, type_entry)
                    if amend:
                        stats.amendments += 1
                        # decided on the night, before the commission's coordinator enters it
                        amendments.append((ch.clock, (
                            coord, s.id, cid, official["figures"], official["choices"],
                            f"{s.territory_id.split('.')[-1]}-{s.number}/1",
                            ch.clock().astimezone(ALMATY).date(),
                            ("Қайта санау: дауыстар басқа партияға қате жазылған / "
                             "Пересчёт: голоса ошибочно записаны другой партии")),
                            _warnings(catalog, key, official)))
                        if not key_files:  # else after the commission signed what it amends
                            _amend(ch, amendments.pop())
                    stats.protocols += 1
                # the commission signs its protocols a few minutes after the last is definitive
                # (drawn apart: the night's other draws stay what they were)
                late = ch.clock() + dt.timedelta(minutes=signing.uniform(2, 10))
                signed_at[s.id] = max(ch.clock(), fit(late))
                received = signed + _minutes(rnd, 300, 0.4)
                if received < night.ends:  # later: the paper is still on its way
                    ch.report_times(coord, [(s.id, "received_by_territory", received)])
                stats.stations += 1
        if commissions is not None:
            ids = [s.id for s in part]

            def amend(ids=ids, amendments=amendments, signed_at=signed_at):
                if amendments:  # (its commission signs the amended version at once)
                    with services.chain(catalog) as ch:
                        for amendment in amendments:
                            _amend(ch, amendment)
                    commission_keys.sign(ids, members, key_files, catalog, signed_at.get)

            commissions.chunk(ids, signed_at.get, amend)
        if progress:
            progress(stats)
    if commissions is not None:
        commissions.close()
    stats.seconds = time.perf_counter() - t_start
    return stats


def _amend(ch, amendment) -> None:
    """One recount's amendment (clock, arguments, warnings acknowledged), at its time."""
    ch.clock, args, acknowledged = amendment
    ch.amend(*args, acknowledged=acknowledged)


def _warnings(catalog, key, p) -> list[str]:
    station, info = catalog.pair(*key)
    return [f.code for f in info.form.check(p["figures"], p["choices"],
                                            registered=station.registered)
            if f.severity == "warning"]


def _miscount(rnd, figures: dict, choices: dict) -> tuple[dict, dict]:
    """The commission's first count credited a few votes of one list to another."""
    choices = dict(choices)
    donors = [k for k, v in choices.items() if v > 0]
    if not donors:
        return figures, choices
    src = rnd.choice(donors)
    dst = rnd.choice([k for k in choices if k != src])
    k = rnd.randint(1, min(5, choices[src]))
    choices[src] -= k
    choices[dst] += k
    return figures, choices


def _resolve(ch, rnd, stats, coord, typists, key, paper, type_entry):
    """The coordinator holds both entries against the paper protocol."""
    view = ch.state_of(*key)
    first_right = (view.first.figures, view.first.choices) == tuple(paper)
    if rnd.random() < 0.5:
        action = "accept_first" if first_right else "accept_second"
        ch.resolve(coord, key[0], key[1], action)
        stats.resolutions[action] += 1
        return
    action = "return_second" if first_right else "return_first"
    ch.resolve(coord, key[0], key[1], action)
    stats.resolutions[action] += 1
    # The returned typist corrects their own entry, under its own number.
    n = 2 if first_right else 1
    res = type_entry(ch, typists[n - 1], n, key, paper)
    if res.state == "entries_different":  # slipped again: the coordinator accepts the paper's
        now = ch.state_of(*key)
        right = ("accept_first" if (now.first.figures, now.first.choices) == tuple(paper)
                 else "accept_second")
        ch.resolve(coord, key[0], key[1], right)
        stats.resolutions[right] += 1
