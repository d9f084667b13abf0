"""What the audit log records of a complaint filing and of its decision, and what `sailau audit
verify` compares the stored rows with: one function each for both, so they cannot drift apart."""

import datetime as dt
import hashlib


def _keyed(text: str, purpose: str) -> str:
    from sailau.voters.access import keyed_hash

    return keyed_hash(text, purpose)


def filing_record(c, like: dict | None = None) -> dict:
    """The filing as the audit record's payload: what was filed, against whom, where and when.
    The filer's name and contact are private (the register shows a private filer's kind only,
    the audit log is public): they are recorded as an HMAC under the server's secret
    (`filer_hmac`), which nobody without the secret can confirm a guessed name against, and
    `sailau audit verify` can still check. Status and assignment change as the complaint is
    handled, and are not part of the filing.

    `like`: a recorded payload to compare with. Records written before the HMAC carry `filer`,
    the plain SHA-256 of the same text: such a record is rebuilt in its own form (the public
    view leaves that digest out, sailau.accounts.publicview)."""
    private = f"{c.filer_name}\n{c.filer_contact}"
    filer = ({"filer": hashlib.sha256(private.encode()).hexdigest()} if like and "filer" in like
             else {"filer_hmac": _keyed(private, "complaint-filer")})
    return {"complaint": c.pk, "receipt": c.receipt, "election": c.election_id,
            "filer_kind": c.filer_kind, **filer,
            "against_kind": c.against_kind, "against_name": c.against_name, "topic": c.topic,
            "text": c.text, "station": c.station_id, "commission": c.commission_id,
            "protocol": c.protocol_id, "body": c.body, "body_commission": c.body_commission_id,
            "contests": c.contests_id,
            "event_date": c.event_date.isoformat() if c.event_date else None,
            # in UTC: the time as written and as read back from either database
            "filed_at": c.filed_at.astimezone(dt.UTC).isoformat(), "late": c.late,
            "due_date": c.due_date.isoformat(), "due_rule": c.due_rule}


PRIVATE_FILER = "filer"  # the actor of a private filer's records: no account, role or organisation


def filer_actor(c, user) -> str:
    """Who filed, as the public audit log names them. A filer under a public name (a candidate,
    a party, an observer organisation) by their account (shown by its roles); a private filer
    (a voter, an observer, a proxy) as "filer" only: the public log shows an account by its
    roles and organisation (`observer@org:1`), which narrows a private filer down to a handful
    of people. The complaint's row keeps the account (`Complaint.user`) for those who decide."""
    from sailau.accounts import permissions as perm
    from sailau.complaints.models import PUBLIC_NAME_KINDS

    if not getattr(user, "is_authenticated", False):
        return "public"
    return perm.username(user) if c.filer_kind in PUBLIC_NAME_KINDS else PRIVATE_FILER


def record_filing(c, user) -> None:
    """Append the filing's audit record; call it in the transaction that stores it."""
    from sailau import audit

    audit.append(filer_actor(c, user), "complaint.filed", f"complaint/{c.pk}", filing_record(c))


def decision_record(dec) -> dict:
    """The decision's content as the audit record's payload (JSON: strings, integers, null)."""
    return {"complaint": dec.complaint_id, "number": dec.number,
            "decided_on": dec.decided_on.isoformat(), "text": dec.text, "outcome": dec.outcome,
            "not_considered_reason": dec.not_considered_reason, "effect": dec.effect,
            "protocol_version": dec.protocol_version_id}


def record_decision(dec, user) -> None:
    """Append the decision's audit record; call it in the transaction that stores it."""
    from sailau import audit
    from sailau.accounts import permissions as perm

    audit.append(perm.username(user), "complaint.decided", f"complaint/{dec.complaint_id}",
                 decision_record(dec))


def decision_leaf(dec) -> dict:
    """The decision's members in the election's published log (`complaint-decision`): what
    `log_decision` logs and what `sailau audit verify` compares the stored decision with. The
    text by its SHA-256 only (it may name the filer); the complaint by its public receipt."""
    c = dec.complaint
    return {"complaint": c.receipt, "body": c.body, "station": c.station_id,
            "number": dec.number, "decided_on": dec.decided_on.isoformat(),
            "outcome": dec.outcome, "effect": dec.effect,
            "text_sha256": hashlib.sha256(dec.text.encode()).hexdigest(),
            "protocol_version": dec.protocol_version.version if dec.protocol_version else None}


def log_decision(dec) -> None:
    """The decision's leaf in the election's published log, in the transaction that stores it: a
    decided complaint deleted later still has its decision in the log."""
    from sailau.ledger import outbox

    c = dec.complaint
    outbox.append(c.election_id, "complaint-decision", f"complaint/{c.receipt}",
                  **decision_leaf(dec))


def attachment_record(att, like: dict | None = None) -> dict:
    """An attachment as stored with its complaint, at filing or on a resubmission: its type, size
    and the SHA-256 of its bytes, which `audit verify` also checks the stored file against. Its
    file name ("Ivanova_passport.jpg") is recorded by HMAC only, as the filer's name is; a record
    written before that (`like` has `name`) is rebuilt with the name."""
    name = ({"name": att.name} if like and "name" in like
            else {"name_hmac": _keyed(att.name, "complaint-attachment-name")})
    return {"complaint": att.complaint_id, "attachment": att.pk, **name,
            "content_type": att.content_type, "size": att.size, "sha256": att.sha256}


def record_attachment(att, user) -> None:
    """Append the attachment's audit record; call it in the transaction that stores it."""
    from sailau import audit

    audit.append(filer_actor(att.complaint, user), "complaint.attached",
                 f"complaint/{att.complaint_id}", attachment_record(att))
