"""The protocol chain's unit of work (`Chain`): it locks the data-entry rows it touches, runs
each operation through the state machine in `entry` (checking permissions and the rule set's
control relations, `content.check`), and collects what follows — new protocol versions, tally
changes, audit records, step times — to write them together in `flush()`. `services.chain()`
wraps it in one transaction; a bulk submission is a chain of many operations that writes each
table once.

Drafts are not audited (they are not yet anyone's statement); every finalisation, resolution,
amendment, publication and reported time is."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from sailau import audit
from sailau import clock as app_clock
from sailau.accounts import permissions as perm
from sailau.audit.sql import insert_rows, update_rows
from sailau.errors import BadInput, Code
from sailau.languages import every_language
from sailau.ledger import wake
from sailau.protocols import awaiting, chronometry, entry, logged, signing, tabulation
from sailau.protocols.catalog import Catalog, ContestInfo
from sailau.protocols.content import HARD_LIMIT, MAX_DRAFT_TEXT, changed_lines, check, digest
from sailau.protocols.entry import Definitive, Entry, State, Status
from sailau.protocols.errors import REFUSALS, TransitionError
from sailau.protocols.models import Amendment, DataEntry, Protocol, StepTime
from sailau.verify import signatures

Key = tuple[str, str]  # (station id, contest id)


def subject(key: Key) -> str:
    return f"{key[0]}/{key[1]}"


@dataclass
class _NewVersion:
    key: Key
    figures: dict
    choices: dict
    source: str
    findings: list
    actor: object
    amendment: dict | None = None
    # (signature, public key, scans, version signed, form) of a version its commission signed
    # (`own_signing`)
    signed: tuple | None = None


class _Row:
    """One data-entry row as the chain works on it: plain values, no model instance (a bulk
    run touches tens of thousands). `pk` is None until it is first written."""

    __slots__ = (
        "accepted",
        "contest_id",
        "first",
        "first_user_id",
        "pk",
        "resolved_by_id",
        "second",
        "second_user_id",
        "state",
        "station_id",
        "updated_at",
    )
    COLUMNS = ("pk", "station_id", "contest_id", "state", "first", "second", "first_user_id",
               "second_user_id", "accepted", "resolved_by_id", "updated_at")

    def __init__(self, pk, station_id, contest_id, state=State.EMPTY, first=None, second=None,
                 first_user_id=None, second_user_id=None, accepted=None, resolved_by_id=None,
                 updated_at=None):
        self.pk, self.station_id, self.contest_id, self.state = pk, station_id, contest_id, state
        self.first, self.second = first, second
        self.first_user_id, self.second_user_id = first_user_id, second_user_id
        self.accepted, self.resolved_by_id = accepted, resolved_by_id
        self.updated_at = updated_at


@dataclass
class _Version:
    station_id: str
    contest_id: str
    version: int
    current: bool
    figures: dict
    choices: dict
    source: str
    findings: list
    signature: str = ""
    signed_with: str = ""
    message: str = ""  # "" for sailau-protocol/1; the commission's own: sailau-protocol/2
    scans: list | None = None  # the scans a commission's own signature covers
    signed_by: str = ""  # sailau-protocol/4: the commission above that signed on its behalf


@dataclass(frozen=True)
class Result:
    """What one operation did, for the caller to show."""

    key: Key
    state: str
    event: str
    findings: tuple = ()
    differences: tuple = ()
    version: int | None = None

    def to_json(self) -> dict:
        return {"station": self.key[0], "contest": self.key[1], "state": self.state,
                "event": self.event,
                # the form's script shows a finding in the page's language, kk-latn too
                "findings": [{**f.to_json(), "message": every_language(f.message)}
                             for f in self.findings],
                "differences": list(self.differences), "version": self.version}


class Chain:
    def __init__(self, catalog: Catalog | None = None, clock=app_clock.now):
        self.catalog = catalog or Catalog()
        # When steps happen, for the chronometry (the demo replays election night with its own).
        self.clock = clock
        self._rows: dict[Key, _Row] = {}
        self.key: Key | None = None  # the protocol the operation in progress works on
        self._dirty: set[Key] = set()
        self._versions: list[_NewVersion] = []
        self._audit: list[tuple] = []
        self._times: list[tuple] = []  # (station, step, at): system-recorded steps
        self._reports: list[tuple] = []  # (station, step, at, by): written at flush

    # -- loading -----------------------------------------------------------------------------
    def preload(self, keys: list[Key]) -> None:
        """Lock and read many entry rows at once (bulk submissions)."""
        todo = sorted({k for k in keys if k not in self._rows})
        stations = sorted({s for s, _ in todo})
        contests = {c for _, c in todo}
        wanted = set(todo)
        for i in range(0, len(stations), 500):
            qs = (DataEntry.objects.select_for_update()
                  .filter(station_id__in=stations[i:i + 500], contest_id__in=contests)
                  .order_by("station_id", "contest_id").values_list(*_Row.COLUMNS))
            for values in qs:
                k = (values[1], values[2])
                if k in wanted:
                    self._rows[k] = _Row(*values)
        for k in todo:
            if k not in self._rows:
                self.catalog.pair(*k)
                self._rows[k] = _Row(None, k[0], k[1])

    def _row(self, key: Key) -> _Row:
        self.key = key
        row = self._rows.get(key)
        if row is None:
            self.catalog.pair(*key)
            values = (DataEntry.objects.select_for_update()
                      .filter(station_id=key[0], contest_id=key[1])
                      .values_list(*_Row.COLUMNS).first())
            row = _Row(*values) if values else _Row(None, key[0], key[1])
            self._rows[key] = row
        return row

    @staticmethod
    def status(row) -> Status:
        """The state of a data-entry row (a model instance or a `_Row`)."""
        return entry.load(row.state, row.first, row.second, row.accepted, row.resolved_by_id)

    def state_of(self, station_id: str, contest_id: str) -> Status:
        """The state of one protocol's double entry as this chain sees it (locked)."""
        return self.status(self._row((station_id, contest_id)))

    def _store(self, key: Key, status: Status, now: dt.datetime) -> None:
        row = self._rows[key]
        first, second = entry.entries(status)
        row.state = status.state.value
        row.first = first.to_json() if first else None
        row.second = second.to_json() if second else None
        row.first_user_id = first.user if first else None
        row.second_user_id = second.user if second else None
        match status:
            case Definitive(accepted=accepted, resolved_by=by):
                row.accepted, row.resolved_by_id = accepted, by
            case _:
                row.accepted = row.resolved_by_id = None
        row.updated_at = now
        self._dirty.add(key)

    # -- checks ------------------------------------------------------------------------------
    def _check_draft(self, info: ContestInfo, figures, choices) -> None:
        known = {"figures": set(info.form.keys),
                 "choices": set(info.choice_keys) | ({"against_all"} if info.form.against_all
                                                     else set())}
        for part, values in (("figures", figures), ("choices", choices)):
            if not isinstance(values, dict):
                raise BadInput(field=part, message=f"{part}: must be an object of name: number")
            for k, v in values.items():
                if k not in known[part]:
                    raise BadInput(field=f"{part}.{k}", message=f"{part}.{k}: not on this protocol")
                ok = (v is None or (isinstance(v, int) and not isinstance(v, bool)
                                    and 0 <= v <= HARD_LIMIT)
                      or (isinstance(v, str) and len(v) <= MAX_DRAFT_TEXT))
                if not ok:
                    raise BadInput(field=f"{part}.{k}",
                                   message=f"{part}.{k}: not a count being typed: {v!r}")

    # -- operations --------------------------------------------------------------------------
    def save_draft(self, user, station_id: str, contest_id: str, n: int, figures: dict,
                   choices: dict) -> Result:
        key = (station_id, contest_id)
        station, info = self.catalog.pair(*key)
        perm.require(user, perm.ENTER, station)
        self._check_draft(info, figures, choices)
        row = self._row(key)
        out = entry.save_draft(self.status(row), n, user.pk, figures, choices)
        self._store(key, out.status, self.clock())
        findings = ()
        try:  # complete enough to check: show the findings as the operator types
            findings = tuple(check(info, station, figures, choices)[2])
        except REFUSALS:
            pass
        return Result(key, out.status.state.value, out.event, findings)

    def finalise(self, user, station_id: str, contest_id: str, n: int, figures: dict,
                 choices: dict, acknowledged=()) -> Result:
        key = (station_id, contest_id)
        station, info = self.catalog.pair(*key)
        perm.require(user, perm.ENTER, station)
        fig, cho, findings = check(info, station, figures, choices)
        row = self._row(key)
        out = entry.finalise(self.status(row), n, user.pk, fig, cho, findings, acknowledged)
        now = self.clock()
        self._store(key, out.status, now)
        self._audit.append((perm.username(user), "entry.finalised", subject(key), {
            "entry": n, "result": out.event, "figures": fig, "choices": cho,
            "acknowledged": list(entry.entries(out.status)[n - 1].acknowledged),
            "differences": list(out.differences)}))
        if n == 1:
            self._time(station_id, chronometry.FIRST_ENTRY, now)
        if out.accepted is not None:
            self._definitive(key, out.accepted, findings, user, "entry", now)
        return Result(key, out.status.state.value, out.event, tuple(findings), out.differences)

    def discard(self, user, station_id: str, contest_id: str, n: int) -> Result:
        key = (station_id, contest_id)
        station, _ = self.catalog.pair(*key)
        perm.require(user, perm.ENTER, station)
        out = entry.discard(self.status(self._row(key)), n, user.pk)
        self._store(key, out.status, self.clock())
        self._audit.append((perm.username(user), "entry.discarded", subject(key), {"entry": n}))
        return Result(key, out.status.state.value, out.event)

    def resolve(self, user, station_id: str, contest_id: str, action: str) -> Result:
        key = (station_id, contest_id)
        station, info = self.catalog.pair(*key)
        perm.require(user, perm.RESOLVE, station)
        before = self.status(self._row(key))
        out = entry.resolve(before, user.pk, action)  # refuses unless `before` is Different
        now = self.clock()
        self._store(key, out.status, now)
        diff = entry.differences(*entry.entries(before))
        self._audit.append((perm.username(user), "entry.resolved", subject(key),
                            {"action": action, "differences": list(diff)}))
        if out.accepted is not None:
            findings = info.form.check(out.accepted.figures, out.accepted.choices,
                                       registered=station.registered)
            self._definitive(key, out.accepted, findings, user, "resolution", now)
        return Result(key, out.status.state.value, out.event, differences=diff)

    def amend(self, user, station_id: str, contest_id: str, figures: dict, choices: dict,
              decision_number: str, decision_date, reason: str, acknowledged=()) -> Result:
        """Change a definitive protocol by a commission decision: a new version."""
        key = (station_id, contest_id)
        station, info = self.catalog.pair(*key)
        perm.require(user, perm.AMEND, station)
        decision_number = (decision_number or "").strip()
        reason = (reason or "").strip()
        if not decision_number:
            raise BadInput(field="decision_number",
                           message="decision_number: the commission decision's number is required")
        if len(decision_number) > 60:
            raise BadInput(field="decision_number",
                           message="decision_number: at most 60 characters")
        if not reason:
            raise BadInput(field="reason",
                           message="reason: the reason for the amendment is required")
        if isinstance(decision_date, str):
            try:
                decision_date = dt.date.fromisoformat(decision_date)
            except ValueError:
                raise BadInput(field="decision_date",
                               message=f"decision_date: not a date (YYYY-MM-DD): {decision_date!r}")
        if not isinstance(decision_date, dt.date):
            raise BadInput(field="decision_date",
                           message="decision_date: the decision's date is required")
        election_date = info.contest.election.date
        if decision_date < election_date or decision_date > app_clock.localdate():
            raise BadInput(field="decision_date",
                           message=f"decision_date: {decision_date} is not between election day "
                           f"({election_date}) and today")
        row = self._row(key)
        if row.state != State.DEFINITIVE:
            raise TransitionError(message="only a definitive protocol can be amended; this one is "
                                  f"{row.state}", code=Code.NOT_DEFINITIVE)
        awaiting.refuse_while_waiting(*key)
        fig, cho, findings = check(info, station, figures, choices)
        acks = entry.acknowledge_check(findings, acknowledged)
        current = self._current(key)
        changes = changed_lines(current, (fig, cho))
        if not changes:
            raise BadInput(field="figures",
                           message="figures: the amendment changes nothing: the figures equal the "
                           "current version")
        now = self.clock()
        decision = {"decision_number": decision_number,
                    "decision_date": decision_date.isoformat(), "reason": reason}
        self._audit.append((perm.username(user), "protocol.amended", subject(key),
                            {**decision, "changes": changes, "acknowledged": list(acks)}))
        self._definitive(key, Entry(user.pk, fig, cho, acks), findings, user,
                         "amendment", now, amendment=decision)
        return Result(key, row.state, "amended", tuple(findings), tuple(changes))

    def record_time(self, user, station_id: str, step: str, at: dt.datetime) -> None:
        """A step reported by a person: replaces an earlier report of it (audited)."""
        self.report_times(user, [(station_id, step, at)])

    def report_times(self, user, items: list[tuple[str, str, dt.datetime]]) -> None:
        """Steps reported by people (polls closed, signed, copy handed, received upstream), each
        replacing an earlier report of the same step, each audited with the time it replaces."""
        late = app_clock.now() + dt.timedelta(minutes=5)
        for i, (station_id, step, at) in enumerate(items):
            chronometry.check_step(step)
            station = self.catalog.station(station_id)
            perm.require(user, perm.RECEIVE if step == chronometry.RECEIVED
                         else perm.PRECINCT_TIME, station)
            if not isinstance(at, dt.datetime) or at.tzinfo is None:
                raise BadInput(field="at", message="at: give the time with its offset, e.g. "
                                     "2023-03-19T20:05:00+05:00")
            if at > late:
                raise BadInput(field="at", message=f"at: {at.isoformat()} is in the future")
            self._reports.append((station_id, step, at, perm.username(user)))

    # -- effects -----------------------------------------------------------------------------
    def _current(self, key: Key) -> tuple[dict, dict] | None:
        for v in reversed(self._versions):
            if v.key == key:
                return v.figures, v.choices
        p = (Protocol.objects.current().of(*key).values_list("figures", "choices").first())
        return tuple(p) if p else None

    def _definitive(self, key: Key, accepted: Entry, findings, user, source: str, now,
                    amendment: dict | None = None) -> None:
        warnings = [f.to_json() for f in findings if f.severity == "warning"]
        self._versions.append(_NewVersion(key, accepted.figures, accepted.choices, source,
                                          warnings, user, amendment))
        self._time(key[0], chronometry.DEFINITIVE, now)
        self._time(key[0], chronometry.PUBLISHED, now)  # public the moment it is definitive

    def publish_signed(self, held, signature: str, public_key: str, scans: list[str],
                       message: str = signatures.FORMAT_OWN, signed_by: str = "") -> None:
        """Write the version `held` (an `AwaitingSignature`) its commission (or, `signed_by`,
        the one above) signed in the form `message`, as `_definitive` writes one unsigned."""
        self._versions.append(_NewVersion((held.station_id, held.contest_id), held.figures,
                                          held.choices, held.source, held.findings, held.actor,
                                          held.amendment,
                                          (signature, public_key, scans, held.version,
                                           message, signed_by)))
        self._time(held.station_id, chronometry.PUBLISHED, self.clock())

    def _time(self, station_id: str, step: str, at) -> None:
        self._times.append((station_id, step, at))

    def flush(self) -> None:
        """Write everything collected, in an order that keeps locks short and deadlock-free:
        entries, protocol versions, tallies, step times, then the audit chain's head last."""
        now = app_clock.now()
        rows = [self._rows[k] for k in sorted(self._dirty)]
        fields = ["state", "first", "second", "first_user", "second_user", "accepted",
                  "resolved_by", "updated_at"]
        new = [r for r in rows if r.pk is None]
        try:
            with transaction.atomic():
                insert_rows(DataEntry, ["station", "contest", *fields],
                            [(r.station_id, r.contest_id, *self._values(r)) for r in new])
        except IntegrityError:
            raise TransitionError(
                message="another user started this entry at the same moment; reload "
                "and try again", code=Code.CONCURRENT_CHANGE) from None
        update_rows(DataEntry, fields, [(*self._values(r), r.pk) for r in rows if r.pk])
        self._dirty.clear()
        self._write_versions(now)
        if self._times:  # a station's file shows its steps: the batches woken on commit
            wake.stage_written("batches")
        # Sorted: two transactions inserting the same stations' steps queue, never deadlock.
        insert_rows(StepTime, ["station", "step", "at", "recorded_by"],
                    [(sid, step, at, "system") for sid, step, at in sorted(self._times)],
                    ignore_conflicts=True)
        self._times.clear()
        self._write_reports()
        audit.append_many(self._audit)
        self._audit.clear()

    @staticmethod
    def _values(r: _Row) -> tuple:
        return (r.state, r.first, r.second, r.first_user_id, r.second_user_id, r.accepted,
                r.resolved_by_id, r.updated_at)

    def _write_reports(self) -> None:
        if not self._reports:
            return
        previous = {}
        stations = sorted({r[0] for r in self._reports})
        steps = {r[1] for r in self._reports}
        for i in range(0, len(stations), 500):
            for pk, sid, step, at in StepTime.objects.filter(
                    station_id__in=stations[i:i + 500], step__in=steps).values_list(
                    "pk", "station_id", "step", "at"):
                previous[(sid, step)] = (pk, at)
        latest = {}
        for sid, step, at, by in self._reports:
            old = previous.get((sid, step))
            self._audit.append((by, "time.recorded", sid, {
                "step": step, "at": at.isoformat(),
                "previous": old[1].isoformat() if old else None}))
            previous[(sid, step)] = (old[0] if old else None, at)
            latest[(sid, step)] = (at, by, old[0] if old else None)
        update_rows(StepTime, ["at", "recorded_by"],
                    [(at, by, pk) for (at, by, pk) in latest.values() if pk is not None])
        insert_rows(StepTime, ["station", "step", "at", "recorded_by"],
                    [(sid, step, at, by) for (sid, step), (at, by, pk) in latest.items()
                     if pk is None])
        self._reports.clear()

    def _write_versions(self, now) -> None:
        # Those of commissions that sign their own wait for it (`awaiting`), unwritten.
        self._versions = awaiting.hold(self._versions, self.catalog.station, self._times, now)
        if not self._versions:
            return
        keys = sorted({v.key for v in self._versions})
        current: dict[Key, tuple] = {}  # key -> (pk, version, figures, choices)
        by_contest = defaultdict(list)
        for s, c in keys:
            by_contest[c].append(s)
        for c, stations in by_contest.items():
            for i in range(0, len(stations), 500):
                for pk, sid, ver, fig, cho in Protocol.objects.current().filter(
                        contest_id=c, station_id__in=stations[i:i + 500]
                ).values_list("pk", "station_id", "version", "figures", "choices"):
                    current[(sid, c)] = (pk, ver, fig, cho)
        if current:
            Protocol.objects.filter(pk__in=[p[0] for p in current.values()]).update(current=False)
        before = {k: (p[2], p[3]) for k, p in current.items()}
        version = {k: p[1] for k, p in current.items()}
        latest: dict[Key, _Version] = {}
        created, amendments = [], []
        for v in self._versions:
            version[v.key] = version.get(v.key, 0) + 1
            p = _Version(v.key[0], v.key[1], version[v.key], False, v.figures, v.choices,
                         v.source, v.findings)
            if v.signed is not None:  # the commission's own signature, verified over this
                p.signature, p.signed_with, p.scans, signed_version, p.message, p.signed_by = \
                    v.signed
                if signed_version != p.version:  # never a signature under another version
                    raise TransitionError(
                        message="another version was written meanwhile: fetch what "
                        "awaits the signature again", code=Code.CONCURRENT_CHANGE)
            created.append(p)
            latest[v.key] = p
            if v.amendment:
                amendments.append((p, v))
        for p in latest.values():
            p.current = True
        signing.sign_versions([p for p in created if not p.signature],
                              lambda sid: self.catalog.station(sid).commission_id)
        insert_rows(Protocol, ["station", "contest", "version", "current", "figures", "choices",
                               "source", "findings", "signature", "signed_with",
                               "signed_message", "signed_scans", "signed_by", "created_at"],
                    [(p.station_id, p.contest_id, p.version, p.current, p.figures, p.choices,
                      p.source, p.findings, p.signature, p.signed_with, p.message, p.scans,
                      p.signed_by, now)
                     for p in created])
        # Their leaves in the published log, in this transaction: committed with the versions.
        logged.write(created, lambda sid: self.catalog.station(sid).election_id,
                     {id(p): v.amendment for p, v in amendments}, now)
        for p, v in amendments:  # rare: look their new versions' ids up
            pk = Protocol.objects.get(station_id=p.station_id, contest_id=p.contest_id,
                                      version=p.version).pk
            Amendment.objects.create(protocol_id=pk,
                                     decision_number=v.amendment["decision_number"],
                                     decision_date=v.amendment["decision_date"],
                                     reason=v.amendment["reason"], entered_by=v.actor)
        deltas = tabulation.Deltas()
        for k, p in latest.items():
            station, info = self.catalog.pair(*k)
            deltas.add(info.contest, station, before.get(k), (p.figures, p.choices))
        tabulation.apply_deltas(deltas)
        for p in created:
            self._audit.append(("system", "protocol.published", f"{p.station_id}/{p.contest_id}",
                                {"version": p.version, "source": p.source,
                                 "digest": digest(p.station_id, p.contest_id, p.figures,
                                                  p.choices),
                                 "signature": p.signature, "signed_with": p.signed_with}))
        self._versions.clear()

