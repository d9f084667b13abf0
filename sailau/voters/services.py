"""Every change to the lists after an extract is imported (`sailau.voters.importer`): absentee
certificates, transfers, mobile-voting requests, same-day additions. Each checks the law's deadline (from the
election's rule set, `sailau.law.eligibility`), changes the database in one transaction and
writes an audit record without personal data."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sailau import audit, clock
from sailau.accounts.permissions import username
from sailau.elections.models import Election, Station
from sailau.errors import Code, SailauError
from sailau.law.eligibility import KZ_1995, VoterRules
from sailau.voters import models as m
from sailau.voters.access import iin_hash
from sailau.voters.assign import Assigner, StationInfo

VOTER_FIELDS = ("last_name", "first_name", "patronymic", "birth_date", "sex", "citizenship",
                "region", "locality", "street", "house", "apartment", "legal_capacity",
                "in_detention")


class VoterError(SailauError, ValueError):
    """A request the law or the list refuses; `field` names what is wrong."""

    status = 422


def rules_for(election: Election) -> VoterRules:
    """The voter rules of the election's rule set (every contest of one election shares them)."""
    from sailau.law import get_ruleset

    name = election.contests.values_list("ruleset", flat=True).first()
    return get_ruleset(name).voter_rules if name else KZ_1995


def local(day: dt.date, naive: dt.datetime) -> dt.datetime:
    return timezone.make_aware(naive, timezone.get_current_timezone())


def assigner_for(election: Election, gazetteer=None) -> Assigner:
    stations = [StationInfo(*row) for row in election.stations.filter(kind=Station.ORDINARY)
                .values_list("id", "number", "territory_id", "settlements")]
    return Assigner(stations, gazetteer)


# --- list entries -------------------------------------------------------------------------

def entry_by_iin(election: Election, iin: str, user) -> m.ListEntry:
    """The voter's list entry, for staff whose role covers the voter's station. Asked before
    anything else, so that whether an IIN is registered is never told to an account without a
    role; and a voter whose station the caller's role does not cover is answered exactly as an
    IIN not in the register: a refusal naming the station would tell anyone with a commission
    account where any citizen votes. Such misses are recorded in the audit log (the IIN by its
    keyed hash) and counted per account: probing is stopped (sailau.voters.probing)."""
    from sailau.voters import probing
    from sailau.voters.permissions import can_see, require_staff

    require_staff(user, election.id, "look up a voter by IIN")
    probing.refuse_if_limited(user)
    iin = (iin or "").strip()
    e = (m.ListEntry.objects.select_related("voter", "station", "home_station")
         .filter(election=election, voter__iin=iin).first())
    # The station the voter is (or was, before an absentee certificate) listed at.
    station = (e.station or e.home_station) if e is not None else None
    if station is None or not can_see(user, station):
        probing.missed(user, election, iin)
        raise VoterError(code=Code.NOT_FOUND, field="iin",
                         message="no voter with this IIN in the lists of your "
                         "stations", status=404)
    return e


def _now(at):
    return at or clock.now()


def _station(election: Election, number) -> Station:
    st = Station.objects.filter(election=election, number=number).first()
    if st is None:
        raise VoterError(code=Code.UNKNOWN_STATION, field="station",
                         message=f"no station {number} in {election.id}")
    return st


def _deadline(at: dt.datetime, deadline_naive: dt.datetime, field_: str, what: str) -> None:
    deadline = local(deadline_naive.date(), deadline_naive)
    if at > deadline:
        raise VoterError(code=Code.DEADLINE_PASSED, field=field_,
                         message=f"{what}: the deadline was {deadline:%Y-%m-%d %H:%M} (local time)")


# Letters and digits that cannot be misread for one another (no 0/O, 1/I/L): typed by hand.
CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def certificate_number(station_number) -> str:
    """`<home station>-XXXXX-XXXXX`: ten random characters (about 2^49 numbers per station).
    A certificate is redeemed by its number at any station, so a number made from the list
    entry's id let anyone who saw one certificate redeem (and so burn) the next voter's. The
    number is read case-insensitively; one issued in the old form is still redeemed."""
    token = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(10))
    return f"{station_number}-{token[:5]}-{token[5:]}"


def issue_absentee(entry: m.ListEntry, user, at: dt.datetime | None = None) -> m.AbsenteeCertificate:
    """The voter leaves the home list and may vote at any station with the certificate."""
    from sailau.voters.permissions import require

    at = _now(at)
    election = entry.election
    rules = rules_for(election)
    start, end = rules.absentee_window(election.date)
    if at < local(start.date(), start):
        raise VoterError(code=Code.TOO_EARLY, field="at",
                         message=f"absentee certificates are issued from "
                         f"{start:%Y-%m-%d %H:%M}")
    _deadline(at, end, "at", "absentee certificate")
    # Permission first: the answer must not tell someone else's staff what state a voter is in.
    if entry.station_id is not None:
        require(user, entry.station, "issue an absentee certificate")
    if entry.state != m.ListEntry.ON_LIST or entry.station_id is None:
        raise VoterError(code=Code.NOT_ON_LIST, field="iin",
                         message=f"the voter is not on a station list "
                         f"({entry.get_state_display()})", status=409)
    with transaction.atomic():
        home = entry.station
        cert = m.AbsenteeCertificate.objects.create(
            number=certificate_number(home.number), entry=entry, home_station=home, issued_at=at,
            issued_by=username(user))
        entry.state, entry.station = m.ListEntry.ABSENTEE, None
        entry.save(update_fields=["state", "station"])
        audit.append(username(user), "voters.absentee_issued", f"entry:{entry.pk}",
                     {"certificate": cert.number, "home_station": home.number})
    return cert


def redeem_absentee(election: Election, number: str, station_number, user,
                    at: dt.datetime | None = None) -> m.AbsenteeCertificate:
    """Once, at any station of the election. A second presentation is refused, recorded as a
    `RefusedRedemption` and in the audit chain, and shows in the oversight report."""
    from sailau.voters.permissions import require

    at = _now(at)
    station = _station(election, station_number)
    require(user, station, "redeem an absentee certificate")
    # A certificate is a ballot's worth: it is good during the voting hours of its election only.
    opens, closes = rules_for(election).voting_period(election.date)
    if at < local(opens.date(), opens) or at > local(closes.date(), closes):
        raise VoterError(code=Code.NOT_ELECTION_DAY, field="at",
                         message=f"absentee certificates are redeemed during "
                         f"voting only: {opens:%Y-%m-%d %H:%M} to {closes:%H:%M}")
    cert = (m.AbsenteeCertificate.objects.select_related("entry", "redeemed_station")
            .filter(number=(number or "").strip().upper(), entry__election=election).first())
    if cert is None:
        raise VoterError(code=Code.UNKNOWN_CERTIFICATE, field="certificate",
                         message="no such absentee certificate", status=404)
    with transaction.atomic():
        locked = m.AbsenteeCertificate.objects.select_for_update().get(pk=cert.pk)
        if locked.redeemed_at is None:
            locked.redeemed_at, locked.redeemed_station, locked.redeemed_by = at, station, username(user)
            locked.save(update_fields=["redeemed_at", "redeemed_station", "redeemed_by"])
            audit.append(username(user), "voters.absentee_redeemed", f"entry:{cert.entry_id}",
                         {"certificate": cert.number, "station": station.number})
            return locked
        m.RefusedRedemption.objects.create(certificate=locked, station=station, at=at,
                                           by=username(user))
        audit.append(username(user), "voters.absentee_refused", f"entry:{cert.entry_id}",
                     {"certificate": cert.number, "station": station.number,
                      "first_station": locked.redeemed_station.number})
    raise VoterError(code=Code.ALREADY_REDEEMED, field="certificate",
                     message=f"certificate {cert.number} was already redeemed at station "
                             f"{locked.redeemed_station.number} on {timezone.localtime(
                                 locked.redeemed_at):%Y-%m-%d %H:%M};"
                             " this attempt is refused and reported", status=409)


def transfer(entry: m.ListEntry, station_number, address: str, user,
             at: dt.datetime | None = None) -> m.Transfer:
    """To the list of the station of the voter's temporary residence."""
    from sailau.voters.permissions import require

    at = _now(at)
    election = entry.election
    _deadline(at, rules_for(election).transfer_deadline(election.date), "at", "transfer")
    if not address.strip():
        raise VoterError(code=Code.REQUIRED, field="address",
                         message="the address of temporary residence is required")
    to = _station(election, station_number)
    # Both lists change: staff must cover the home station as well as the new one, and are
    # checked before the voter's state is told.
    require(user, to, "transfer a voter")
    if entry.station_id is not None:
        require(user, entry.station, "transfer a voter off this station's list")
    if entry.state != m.ListEntry.ON_LIST or entry.station_id is None:
        raise VoterError(code=Code.NOT_ON_LIST, field="iin",
                         message=f"the voter is not on a home list "
                         f"({entry.get_state_display()})", status=409)
    if to.pk == entry.station_id:
        raise VoterError(code=Code.SAME_STATION, field="station",
                         message="the voter is already on that station's list")
    with transaction.atomic():
        t = m.Transfer.objects.create(entry=entry, from_station=entry.station, to_station=to,
                                      address=address.strip(), at=at, by=username(user))
        entry.state, entry.station = m.ListEntry.TRANSFERRED, to
        entry.save(update_fields=["state", "station"])
        audit.append(username(user), "voters.transferred", f"entry:{entry.pk}",
                     {"from": t.from_station.number, "to": to.number})
    return t


def request_mobile(entry: m.ListEntry, reason: str, user, at: dt.datetime | None = None) -> m.MobileRequest:
    """A written request to vote outside the station (illness, disability, care)."""
    from sailau.voters.permissions import require

    at = _now(at)
    election = entry.election
    if entry.station_id is not None:  # permission first, as everywhere: then the deadline
        require(user, entry.station, "record a mobile-voting request")
    _deadline(at, rules_for(election).mobile_deadline(election.date), "at", "mobile-voting request")
    if not reason.strip():
        raise VoterError(code=Code.REQUIRED, field="reason",
                         message="the reason for voting outside the station is required")
    if entry.state not in (m.ListEntry.ON_LIST, m.ListEntry.TRANSFERRED) or entry.station_id is None:
        raise VoterError(code=Code.NOT_ON_LIST, field="iin",
                         message=f"the voter is not on a station list "
                         f"({entry.get_state_display()})", status=409)
    if entry.mobile_requests.exists():
        raise VoterError(code=Code.DUPLICATE, field="iin",
                         message="this voter already has a mobile-voting request", status=409)
    with transaction.atomic():
        r = m.MobileRequest.objects.create(entry=entry, station=entry.station, reason=reason.strip(),
                                           at=at, by=username(user))
        audit.append(username(user), "voters.mobile_request", f"entry:{entry.pk}",
                     {"station": entry.station.number})
    return r


@dataclass(frozen=True)
class Person:
    """Who is added on election day when the register does not know them."""

    iin: str
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""  # birth date and sex come from the IIN
    region: str = ""
    locality: str = ""
    street: str = ""
    house: str = ""
    apartment: str = ""


class _Refused(Exception):
    """An addition refused inside its transaction (so that a voter row made for it is rolled
    back): the code it is answered with, outside."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def add_same_day(election: Election, station_number, person: Person, reason: str,
                 document_kind: str, document_number: str, user, reason_text: str = "",
                 at: dt.datetime | None = None) -> m.SameDayAddition:
    """On election day only; logged with the reason, the document shown and who added it.
    Refused when the person is on another list, holds an absentee certificate, or is not
    eligible: an addition must never give anyone a second vote.

    The answer depends on a person's IIN, so it is guarded as every IIN look-up of staff is
    (sailau.voters.probing): everything that does not depend on the IIN is checked first (the
    name and locality too, asked of every person: "required because not in the register"
    would tell whether the register knows the IIN), the account's probing limit is checked,
    and a refusal says no more than the operator needs: "already on this station's list" for
    the station's own list, which the operator sees anyway, and otherwise one answer, "cannot
    be added here, see the territorial commission", for a voter of another station, an
    absentee voter and a person the law excludes alike. Such a refusal is counted against the
    probing limit and recorded in the audit log (the IIN by its keyed hash): it neither names
    where the person votes nor why they are excluded."""
    from sailau.register.iin import IinError, parse_iin
    from sailau.voters import probing
    from sailau.voters.permissions import require

    at = _now(at)
    station = _station(election, station_number)
    require(user, station, "add a voter on election day")
    if timezone.localtime(at).date() != election.date:
        raise VoterError(code=Code.NOT_ELECTION_DAY, field="at",
                         message=f"same-day additions are made on election "
                         f"day ({election.date}) only")
    if reason not in dict(m.SameDayAddition.REASONS):
        raise VoterError(code=Code.UNKNOWN, field="reason", message=f"reason must be one of "
                                               f"{', '.join(dict(m.SameDayAddition.REASONS))}")
    if document_kind not in dict(m.SameDayAddition.DOCUMENTS):
        raise VoterError(code=Code.UNKNOWN, field="document_kind",
                         message=f"document must be one of "
                         f"{', '.join(dict(m.SameDayAddition.DOCUMENTS))}")
    if not document_number.strip():
        raise VoterError(code=Code.REQUIRED, field="document_number",
                         message="the number of the document shown is required")
    if reason == "other" and not reason_text.strip():
        raise VoterError(code=Code.REQUIRED, field="reason_text",
                         message="say what the other reason is")
    iin = person.iin.strip()
    try:
        info = parse_iin(iin)
    except IinError as exc:
        raise VoterError(code=Code.INVALID, field="iin", message=exc.message) from None
    missing = [f for f in ("last_name", "first_name", "locality") if not getattr(person, f).strip()]
    if missing:
        raise VoterError(code=Code.REQUIRED, field=missing[0],
                         message="the person's last name, first name and locality are required")
    probing.refuse_if_limited(user)
    rules = rules_for(election)
    try:
        with transaction.atomic():
            return _add(election, station, person, info, rules, reason, reason_text,
                        document_kind, document_number, user, at)
    except _Refused as refused:
        code = refused.code
    # Outside the rolled-back transaction, so that the count and the audit record stay.
    if code == Code.SAME_STATION:
        raise VoterError(code=Code.SAME_STATION, field="iin", status=409,
                         message=f"already on the list of station {station.number}")
    probing.missed(user, election, iin, action="voters.addition_refused",
                   station=station.number)
    raise VoterError(code=Code.NOT_ADDABLE, field="iin", status=409)


def _add(election, station, person, info, rules, reason, reason_text, document_kind,
         document_number, user, at) -> m.SameDayAddition:
    from sailau.register.eligibility import eligibility

    voter = m.Voter.objects.filter(iin=person.iin.strip()).first()
    if voter is None:
        voter = m.Voter.objects.create(
            iin=person.iin.strip(), last_name=person.last_name.strip(),
            first_name=person.first_name.strip(), patronymic=person.patronymic.strip(),
            birth_date=info.birth_date, sex=info.sex, citizenship="KAZ",
            region=person.region.strip(), locality=person.locality.strip(),
            street=person.street.strip(), house=person.house.strip(),
            apartment=person.apartment.strip())
    entry = m.ListEntry.objects.filter(election=election, voter=voter).first()
    if entry is not None and entry.state != m.ListEntry.EXCLUDED:
        raise _Refused(Code.SAME_STATION if entry.station_id == station.pk else Code.NOT_ADDABLE)
    ok = eligibility(voter, election.date, rules)
    if not ok.eligible and reason not in ("court_decision", "commission_decision"):
        raise _Refused(Code.NOT_ADDABLE)
    if entry is None:
        entry = m.ListEntry(election=election, voter=voter, home_station=station)
    entry.station, entry.state, entry.same_day = station, m.ListEntry.ON_LIST, True
    entry.eligible, entry.reasons = True, [] if ok.eligible else list(ok.reasons)
    entry.save()
    a = m.SameDayAddition.objects.create(
        entry=entry, station=station, reason=reason, reason_text=reason_text.strip(),
        document_kind=document_kind, document_number=document_number.strip(), at=at,
        added_by=user)
    audit.append(username(user), "voters.same_day_addition", f"entry:{entry.pk}",
                 {"station": station.number, "reason": reason, "document_kind": document_kind,
                  "iin_hmac": iin_hash(voter.iin)})
    return a
