"""Who signed a station's protocols, as its page says it: the commission with a key of its own
(its fingerprint, which commission confirmed it, whether it was registered after the polls
closed or revoked since) or the server, with the key it holds for the commission; and which
protocols are definitive but still await the commission's signature (nothing of them is
published until it arrives: `protocols.awaiting`). A key of the commission's own registered after
the polls closed is flagged on the protocols it has not signed yet too. A protocol the commission above typed from the paper and
signed on the station's behalf says so (`behalf`: one sentence, `sailau.verify.behalf`), never
as the station commission's own signature."""

from __future__ import annotations

from sailau.elections.models import Commission, CommissionKey, Station
from sailau.languages import WRITTEN
from sailau.protocols.models import AwaitingSignature
from sailau.verify import behalf
from sailau.verify.signatures import key_id


def add_to_sections(station: Station, sections: list[dict], lang: str) -> None:
    """Sets `signer` (None when unsigned) and `awaiting` on each section of the station page."""
    used = {(sec["part"].get("protocol") or {}).get("signed_with") for sec in sections} - {None,
                                                                                            ""}
    keys = {k.public_key: k for k in CommissionKey.objects.filter(public_key__in=used)}
    signed_by = {(sec["part"].get("protocol") or {}).get("signed_by") for sec in sections}
    above = Commission.objects.in_bulk({k.confirmed_by_commission for k in keys.values()
                                        if k.confirmed_by_commission} | signed_by - {None, ""})
    waiting = set(AwaitingSignature.objects.filter(station=station)
                  .values_list("contest_id", flat=True))
    # The commission's own key that signs now, when it was registered after the polls closed:
    # flagged on every protocol it has not signed yet (awaiting, or not definitive), as well as
    # beside the signature it made.
    active = CommissionKey.objects.filter(commission_id=station.commission_id,
                                          held_by_server=False, retired_at__isnull=True,
                                          late=True).values_list("public_key", flat=True).first()
    for sec in sections:
        p = sec["part"].get("protocol") or {}
        k = keys.get(p.get("signed_with") or "")
        sec["awaiting"] = sec["contest"].id in waiting
        sec["signer"] = None if k is None else {
            "own": not k.held_by_server, "key_id": key_id(k.public_key), "late": k.late,
            "revoked": bool(k.retired_at) and not k.held_by_server,
            "confirmed_by": (above[k.confirmed_by_commission].name(lang)
                             if k.confirmed_by_commission in above else None),
            "behalf": _behalf(p.get("signed_by"), above, station, lang)}
        sec["late_key"] = (key_id(active) if active and (k is None or k.public_key != active)
                           else None)


def _behalf(signed_by: str | None, commissions: dict, station: Station, lang: str) -> str | None:
    """The sentence of a protocol the commission above signed on the station's behalf."""
    if not signed_by:
        return None
    c = commissions.get(signed_by)
    name = ({code: c.name(code) for code in WRITTEN} if c is not None else signed_by)
    return behalf.sentence(name, station.number, lang)
