"""Filing, assigning and deciding complaints: the one place that validates input, computes the
legal deadline and refuses to store anything twice. Pages, the API and the demo all call it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sailau import clock, uploads
from sailau.complaints import models as m
from sailau.complaints.audit import log_decision, record_attachment, record_decision, record_filing
from sailau.elections.models import Commission, Election
from sailau.errors import BadInput, Code
from sailau.filestores import refused_when_unavailable
from sailau.law import deadlines as law
from sailau.protocols.models import Protocol

# A resubmission of the same complaint within this window returns the first receipt.
DEDUPE_WINDOW = dt.timedelta(hours=24)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_PAGES = 50  # a complaint's evidence, not a book
# Accepted attachment types, told apart by their content (sailau.uploads), and the file names
# that go with each: a PNG named .pdf is refused.
EXTENSIONS = {uploads.PDF: (".pdf",), uploads.JPEG: (".jpg", ".jpeg"), uploads.PNG: (".png",)}
# Text limits, in characters: a complaint of ten pages is long; a megabyte is not a complaint.
MAX_TEXT = 20_000
# The names' limits are their columns' own (read from the model, as every write's check reads
# them: sailau.errors.lengths), so that the form names every error at once before anything else.
MAX_LENGTHS = {**{k: m.Complaint._meta.get_field(k).max_length
                  for k in ("filer_name", "filer_contact", "against_name")}, "text": MAX_TEXT}
REQUIRED = ("election", "filer_kind", "filer_name", "against_kind", "against_name", "topic",
            "text", "body")


class ComplaintInputError(BadInput, ValueError):
    """Input that cannot be filed: `errors` maps each field at fault to a message (also in
    `detail["errors"]`; `field` is the first of them)."""

    status = 422

    @classmethod
    def of(cls, errors: dict[str, str]) -> ComplaintInputError:
        """The refusal of every field in `errors` ({field: message})."""
        return cls(code=Code.BAD_INPUT, message="; ".join(f"{k}: {v}" for k, v in errors.items()),
                   field=next(iter(errors), None), detail={"errors": errors})

    @property
    def errors(self) -> dict[str, str]:
        return self.detail["errors"]


class ComplaintConflict(ComplaintInputError):
    """The complaint changed meanwhile (decided by someone else at the same moment)."""

    status = 409


@dataclass
class Upload:
    name: str
    content: bytes


def deadlines_for(election: Election) -> law.Deadlines:
    contest = election.contests.first()
    return law.for_ruleset(contest.ruleset) if contest else law.KZ_2022


def addressee(body: str, station=None, commission=None, appealed=None) -> Commission | None:
    """The commission that decides a complaint filed with "the election commission" or "the
    higher commission" that names none (None: the CEC's, `permissions.deciding_body`).

    The commission complained of is the one named, else the station's own. Filed with the
    commission, it is that commission; filed with the higher commission, the one above it in
    the commissions' tree (precinct, district or city, territorial, CEC: the hierarchy the
    structure enforces, `elections.structure_checks.PARENT_LEVEL`). An appeal to the higher
    commission goes above the commission that decided the appealed complaint. The CEC has no
    higher commission: its decisions go to the Supreme Court."""
    own = commission or (station.commission if station is not None else None)
    if body == law.HIGHER_COMMISSION and appealed is not None:
        decided_by = appealed.complaint
        if decided_by.body in law.COMMISSION_BODIES:
            own = decided_by.body_commission or Commission.objects.filter(
                election_id=decided_by.election_id, level=Commission.CEC).first()
    if own is None or body != law.HIGHER_COMMISSION:
        return own
    if own.parent_id is None:
        raise ComplaintInputError.of({"body": _(
            "The Central Election Commission has no higher commission: its decisions are "
            "appealed to the Supreme Court.")})
    return own.parent


def deciding_commission(c: m.Complaint) -> Commission | None:
    """The commission that decides `c` (filed with a commission or the higher one), else None."""
    if c.body not in law.COMMISSION_BODIES:
        return None
    return c.body_commission or Commission.objects.filter(
        election_id=c.election_id, level=Commission.CEC).first()


def decider_name(c: m.Complaint) -> str:
    """Who decides `c`, as the pages name it in their language: the commission by its name, a
    court or the prosecutor by what it is."""
    commission = deciding_commission(c)
    return commission.name() if commission is not None else str(dict(m.BODIES)[c.body])


# The fields that say where a complaint goes; the form asks the server before it is filed.
ROUTING = ("election", "station", "commission", "body_commission", "contests", "body")


def route(data: dict) -> tuple[str | None, dict[str, str]]:
    """Who would decide a complaint with these fields (the form tells the filer before it is
    filed): (its name in the page's language, None) or (None, the routing fields' errors). The
    other fields are not read: a complaint not written yet still learns where it would go."""
    probe = {"filer_kind": "voter", "filer_name": "-", "against_kind": "other",
             "against_name": "-", "topic": "other", "text": "-",
             **{k: data[k] for k in ROUTING if data.get(k)}}
    try:
        d = _clean(probe)
    except ComplaintInputError as exc:
        return None, {k: v for k, v in exc.errors.items() if k in ROUTING}
    c = m.Complaint(election=d["election"], body=d["body"], body_commission=d["body_commission"])
    return decider_name(c), {}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().casefold())


def _hash(*parts) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def check_attachment(i: int, up: Upload) -> str:
    """The attachment's content type, or ComplaintInputError naming it. The content is checked
    as every upload is (size, type, pixels, pages: `sailau.uploads`), and the name must match."""
    field = f"attachments[{i}]"
    try:
        ctype = uploads.check(up.content, field=field, accept=tuple(EXTENSIONS),
                              max_bytes=MAX_ATTACHMENT_BYTES,
                              max_pages=MAX_ATTACHMENT_PAGES).content_type
    except uploads.UploadError as exc:
        raise ComplaintInputError.of(
            {field: f"{up.name}: {exc.text(translation.get_language())}"}) from None
    if not up.name.lower().endswith(EXTENSIONS[ctype]):
        raise ComplaintInputError.of(
            {field: _("%(name)s: only PDF, JPEG and PNG files are accepted, "
                   "with a matching file name") % {"name": up.name}})
    return ctype


def _clean(data: dict) -> dict:
    """Resolve ids and choices; collect every error before raising."""
    errors: dict[str, str] = {}
    get = lambda k: (data.get(k) or "").strip() if isinstance(data.get(k, ""), str) else data.get(k)
    out: dict = {}
    for k in REQUIRED:
        if not get(k):
            errors[k] = _("This field is required.")
    for k, choices in (("filer_kind", m.FILER_KINDS), ("topic", m.TOPICS), ("body", m.BODIES),
                       ("against_kind", m.AGAINST_KINDS)):
        if get(k) and get(k) not in dict(choices):
            errors[k] = _("Unknown value %(v)r; expected one of %(known)s") % {
                "v": get(k), "known": ", ".join(dict(choices))}
        out[k] = get(k)
    for k in ("filer_name", "filer_contact", "against_name", "text"):
        out[k] = get(k) or ""
        if not isinstance(out[k], str):
            errors[k] = _("Expected text.")
        elif len(out[k]) > MAX_LENGTHS[k]:
            errors[k] = _("At most %(n)d characters (this has %(got)d).") % {
                "n": MAX_LENGTHS[k], "got": len(out[k])}
    election = None
    if get("election"):
        election = Election.objects.filter(id=get("election")).first()
        if election is None:
            errors["election"] = _("No election with id %(v)r") % {"v": get("election")}
    out["election"] = election
    out["station"] = out["commission"] = out["protocol"] = out["body_commission"] = None
    out["contests"] = None
    if election is not None:
        if get("station") not in (None, ""):
            try:
                number = int(get("station"))
            except (TypeError, ValueError):
                number = None
            out["station"] = election.stations.filter(number=number).first() if number else None
            if out["station"] is None:
                errors["station"] = _("No station number %(v)s here") % {
                    "v": get("station")}
        for k in ("commission", "body_commission"):
            if get(k):
                out[k] = Commission.objects.filter(id=get(k), election=election).first()
                if out[k] is None:
                    errors[k] = _("No commission %(v)r here") % {"v": get(k)}
        if get("protocol"):
            out["protocol"] = Protocol.objects.filter(
                id=get("protocol") if str(get("protocol")).isdigit() else None,
                station__election=election).first()
            if out["protocol"] is None:
                errors["protocol"] = _("No protocol %(v)s here") % {"v": get("protocol")}
            elif out["station"] and out["protocol"].station_id != out["station"].id:
                errors["protocol"] = _("The protocol is of another station")
        if get("contests"):
            appealed = m.Complaint.objects.filter(receipt=get("contests")).first()
            if appealed is None or not appealed.decided:
                errors["contests"] = _("No decided complaint with receipt %(v)r") % {
                    "v": get("contests")}
            else:
                out["contests"] = appealed.decision
    if election is not None and not errors and out["body"] in law.COMMISSION_BODIES \
            and out["body_commission"] is None:
        try:
            out["body_commission"] = addressee(out["body"], out["station"], out["commission"],
                                               out["contests"])
        except ComplaintInputError as exc:
            errors.update(exc.errors)
    out["event_date"] = None
    if get("event_date"):
        ev = get("event_date")
        try:
            out["event_date"] = ev if isinstance(ev, dt.date) else dt.date.fromisoformat(str(ev))
        except ValueError:
            errors["event_date"] = _("Not a date (YYYY-MM-DD): %(v)r") % {"v": ev}
    filed_at = get("filed_at") or clock.now()
    if isinstance(filed_at, str):
        try:
            filed_at = dt.datetime.fromisoformat(filed_at)
        except ValueError:
            errors["filed_at"] = _("Not a date and time: %(v)r") % {"v": filed_at}
            filed_at = clock.now()
    if timezone.is_naive(filed_at):
        filed_at = timezone.make_aware(filed_at)
    out["filed_at"] = filed_at
    if out["event_date"] and out["event_date"] > timezone.localtime(filed_at).date():
        errors["event_date"] = _("The event is after the filing date")
    if errors:
        raise ComplaintInputError.of(errors)
    return out


def file_complaint(data: dict, uploads: list[Upload] = (), user=None) -> tuple[m.Complaint, bool]:
    """Register a complaint. Returns (complaint, created): a resubmission of the same complaint
    (same filer, text, target and body) by the same account within DEDUPE_WINDOW returns the
    first one, storing only attachments it did not have yet. A late complaint is accepted and
    marked late.

    The same complaint is the same *account's*: its `matter` and `fingerprint` include the
    filing account. Matched across accounts, a public complaint's text re-filed with a guessed
    private filer name answered "already registered" with the victim's receipt exactly when the
    guess was right, attached the guesser's files to the victim's complaint, and (filed with a
    court) suspended the victim's complaint. Another account's identical filing is a complaint
    of its own, answered as any new one."""
    d = _clean(data)
    uploads = list(uploads)
    if len(uploads) > MAX_ATTACHMENTS:
        raise ComplaintInputError.of({"attachments": _("At most %(n)d attachments") % {
            "n": MAX_ATTACHMENTS}})
    types = [check_attachment(i, up) for i, up in enumerate(uploads)]
    e = d["election"]
    target = (d["against_kind"], _norm(d["against_name"]), getattr(d["station"], "id", ""),
              getattr(d["commission"], "id", ""), getattr(d["protocol"], "id", ""),
              getattr(d["contests"], "id", ""))
    account = getattr(user, "pk", None) or ""  # none: the demo and the command line
    matter = _hash(e.id, account, d["filer_kind"], _norm(d["filer_name"]), _norm(d["text"]),
                   *target)
    fingerprint = _hash(matter, d["body"], getattr(d["body_commission"], "id", ""))
    with transaction.atomic():
        _lock_filing(fingerprint)
        existing = (m.Complaint.objects.select_for_update()
                    .filter(fingerprint=fingerprint, user_id=account or None,
                            filed_at__gte=d["filed_at"] - DEDUPE_WINDOW,
                            filed_at__lte=d["filed_at"] + DEDUPE_WINDOW).first())
        if existing is not None:
            _attach(existing, uploads, types, user)
            return existing, False
        law_terms = deadlines_for(e)
        filed_on = timezone.localtime(d["filed_at"]).date()
        event = d["event_date"] or (d["contests"].decided_on if d["contests"] else None)
        lower_decision = bool(d["contests"] and d["contests"].complaint.body in law.COMMISSION_BODIES)
        due = law_terms.decision_due(filed_on, body=d["body"], topic=d["topic"],
                                     election_day=e.date,
                                     against_lower_commission_decision=lower_decision)
        c = m.Complaint.objects.create(
            receipt=f"tmp-{uuid.uuid4().hex}", election=e, user=user,
            filer_kind=d["filer_kind"], filer_name=d["filer_name"],
            filer_contact=d["filer_contact"], against_kind=d["against_kind"],
            against_name=d["against_name"], topic=d["topic"], text=d["text"],
            station=d["station"], commission=d["commission"], protocol=d["protocol"],
            body=d["body"], body_commission=d["body_commission"], contests=d["contests"],
            event_date=event, filed_at=d["filed_at"], late=law_terms.is_late(filed_on, event),
            due_date=due.date, due_rule=due.rule, matter=matter, fingerprint=fingerprint)
        # Receipt from the row id: unique without a counter to race on.
        c.receipt = f"{e.date:%Y%m%d}-{c.pk:06d}"
        _suspend_for_court(c, law_terms)
        c.save()
        record_filing(c, user)
        _attach(c, uploads, types, user)
    return c, True


def _lock_filing(fingerprint: str) -> None:
    """Make the "is this complaint filed already?" check and the insert one step for identical
    filings. SQLite's write transactions queue already (IMMEDIATE). On PostgreSQL a lock on rows
    that do not exist yet locks nothing, so six identical filings at once made six complaints:
    a transaction-scoped advisory lock keyed by the fingerprint makes the second wait for the
    first to commit, after which (READ COMMITTED) it sees the first's row and returns it.
    Different complaints take different keys and never wait on each other."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(bytes.fromhex(fingerprint[:16]), "big", signed=True)
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _suspend_for_court(c: m.Complaint, terms: law.Deadlines) -> None:
    """Filed with a commission and a court at once: the court goes first, the commission waits."""
    pending = list(m.Complaint.objects.filter(matter=c.matter, decision__isnull=True)
                   .exclude(pk=c.pk))
    if not pending:
        return
    _first, suspended = terms.first_body([c.body, *{p.body for p in pending}])
    if c.body in suspended:
        c.status = m.SUSPENDED
    m.Complaint.objects.filter(pk__in=[p.pk for p in pending if p.body in suspended]).update(
        status=m.SUSPENDED)


def _attach(c: m.Complaint, uploads: list[Upload], types: list[str], user) -> None:
    """Store the uploads `c` does not have yet (by content), each with its audit record: a
    resubmission's new attachments are evidence added later, audited like the first ones."""
    have = set(c.attachments.values_list("sha256", flat=True))
    for up, ctype in zip(uploads, types):
        digest = hashlib.sha256(up.content).hexdigest()
        if digest in have:
            continue
        have.add(digest)
        att = m.Attachment(complaint=c, name=up.name[:200], content_type=ctype,
                           size=len(up.content), sha256=digest)
        # Storage down: a 503 refusal (sailau.errors) that rolls the filing's transaction back.
        with refused_when_unavailable(f"storing an attachment of {c.receipt}"):
            att.file.save(f"{c.receipt}-{digest[:12]}{EXTENSIONS[ctype][0]}",
                          ContentFile(up.content), save=False)
        att.save()
        record_attachment(att, user)


def assign(c: m.Complaint, user) -> m.Complaint:
    c.assigned_to = user
    if c.status == m.REGISTERED:
        c.status = m.ASSIGNED
    c.save(update_fields=["assigned_to", "status"])
    return c


def decide(c: m.Complaint, data: dict, user=None) -> m.Decision:
    """Record the decision on `c`. A court's decision lets suspended commission filings of the
    same matter resume."""
    errors: dict[str, str] = {}
    # Deciding a decided complaint is a conflict with its state (409), whether the other decision
    # was committed before this request read the row or while it waited for the lock below.
    already = ComplaintConflict.of({"complaint": _("%(r)s is already decided") % {"r": c.receipt}})
    if c.decided:
        raise already
    outcome = (data.get("outcome") or "").strip()
    reason = (data.get("not_considered_reason") or "").strip()
    effect = (data.get("effect") or m.NO_EFFECT).strip()
    text = (data.get("text") or "").strip()
    if outcome not in dict(m.OUTCOMES):
        errors["outcome"] = _("Choose one of %(known)s") % {"known": ", ".join(dict(m.OUTCOMES))}
    if outcome == m.NOT_CONSIDERED and reason not in dict(m.NOT_CONSIDERED_REASONS) | {"": 0}:
        errors["not_considered_reason"] = _("Unknown reason %(v)r") % {"v": reason}
    elif outcome == m.NOT_CONSIDERED and not reason:
        errors["not_considered_reason"] = _("Say why the complaint was not considered")
    elif outcome and outcome != m.NOT_CONSIDERED and reason:
        errors["not_considered_reason"] = _("Only a complaint not considered has a reason")
    if effect not in dict(m.EFFECTS):
        errors["effect"] = _("Unknown effect %(v)r") % {"v": effect}
    elif effect != m.NO_EFFECT and outcome not in (m.UPHELD, m.PARTLY):
        errors["effect"] = _("Only an upheld complaint changes results")
    if not text:
        errors["text"] = _("This field is required.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("At most %(n)d characters (this has %(got)d).") % {
            "n": MAX_TEXT, "got": len(text)}
    decided_on = data.get("decided_on") or clock.localdate()
    if isinstance(decided_on, str):
        try:
            decided_on = dt.date.fromisoformat(decided_on)
        except ValueError:
            errors["decided_on"] = _("Not a date (YYYY-MM-DD): %(v)r") % {"v": decided_on}
    if isinstance(decided_on, dt.date):
        if decided_on > clock.localdate():
            errors["decided_on"] = _("A decision cannot be dated in the future.")
        elif decided_on < timezone.localtime(c.filed_at).date():
            errors["decided_on"] = _("A decision cannot be dated before the complaint was filed "
                                     "(%(d)s).") % {"d": timezone.localtime(c.filed_at).date()}
    protocol = None
    if data.get("protocol_version"):
        protocol = Protocol.objects.filter(pk=data["protocol_version"]).first() \
            if str(data["protocol_version"]).isdigit() else None
        if protocol is None or (c.station_id and protocol.station_id != c.station_id):
            errors["protocol_version"] = _("No protocol version %(v)s of this station") % {
                "v": data["protocol_version"]}
    if errors:
        raise ComplaintInputError.of(errors)
    try:
        with transaction.atomic():
            # Two deciders at once: the second waits here, then finds the decision made.
            m.Complaint.objects.select_for_update().filter(pk=c.pk).first()
            if m.Decision.objects.filter(complaint_id=c.pk).exists():
                raise already
            dec = m.Decision.objects.create(
                complaint=c, number=(data.get("number") or "").strip()[:60],
                decided_on=decided_on, text=text, outcome=outcome, not_considered_reason=reason,
                effect=effect, protocol_version=protocol, decided_by=user)
            c.status = m.DECIDED
            c.save(update_fields=["status"])
            record_decision(dec, user)
            log_decision(dec)
            if c.body in law.COURT_BODIES:
                m.Complaint.objects.filter(matter=c.matter, status=m.SUSPENDED,
                                           decision__isnull=True).update(status=m.REGISTERED)
    except IntegrityError:  # the unique decision per complaint, should a lock not have held
        raise already from None
    return dec


def case_chain(c: m.Complaint) -> list[tuple[int, m.Complaint]]:
    """The whole case `c` belongs to: the first complaint and every appeal below it, in order,
    each with its depth (0 for the first complaint)."""
    root = c
    seen = {root.pk}
    while root.contests_id:
        root = root.contests.complaint
        if root.pk in seen:  # a cycle cannot be built through file_complaint; stay safe
            break
        seen.add(root.pk)
    out: list[tuple[int, m.Complaint]] = []

    def walk(node: m.Complaint, depth: int) -> None:
        out.append((depth, node))
        if node.decided:
            for appeal in node.decision.appeals.order_by("filed_at", "pk"):
                walk(appeal, depth + 1)

    walk(root, 0)
    return out
