"""What the audit log records of a complaint decision, and what `sailau audit verify` compares
the stored decision with: one function for both, so they cannot drift apart."""


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
