"""The commission's key in the browser (issue: protocols signed on the commission's device).

- `commission_key`: a member of the commission makes its Ed25519 key on this computer with
  WebCrypto (a non-extractable private key kept in the browser's IndexedDB: the page's script,
  `protocols/commission_key.js`) and registers its public half through the API; the coordinator
  of the commission above confirms it here (a form, `own_keys.confirm`).
- `sign`: the chair or secretary reads the definitive protocol awaiting the commission's
  signature and confirms "we sign this protocol": the script rebuilds the exact bytes the
  command `sailau keys sign` signs from the fields shown, refuses to sign when the server's
  bytes differ, signs them with the key in IndexedDB and submits the signature through the API.

A browser without WebCrypto Ed25519 is told so, in the page's language, and pointed to
`sailau keys generate` / `sailau keys sign`. Nothing here sees a private key."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sailau.accounts import permissions as perm
from sailau.elections.models import Commission, Station
from sailau.errors import Code, NotFound, SailauError
from sailau.i18n import page_lang
from sailau.languages import WRITTEN, pick
from sailau.protocols import own_keys, own_signing
from sailau.protocols.catalog import Catalog
from sailau.protocols.models import AwaitingSignature
from sailau.protocols.views import _choice_rows, page
from sailau.verify import behalf


def _commission(commission_id: str) -> Commission:
    c = Commission.objects.filter(pk=commission_id).first()
    if c is None:
        raise NotFound(message=f"no commission {commission_id!r}", code=Code.UNKNOWN_COMMISSION)
    return c


def _texts() -> dict:
    """What the script says, in the page's language."""
    return {
        "generating": _("Making the key on this computer…"),
        "registered": _("The key is made on this computer and registered. The commission "
                        "above must confirm it before it signs."),
        "no_key_here": _("This computer holds no key of the commission. Sign on the computer "
                         "where the key was made, or with the command sailau keys sign."),
        "mismatch": _("The protocol to sign is not the one shown: not signed. Reload the page."),
        "signing": _("Signing…"),
        "signed": _("Signed and published."),
        "failed": _("Refused"),
        "stored_other": _("This computer holds another key of the commission, not the one "
                          "that must sign."),
    }


@page
def commission_key(request, commission_id: str):
    c = _commission(commission_id)
    user = request.user
    member, confirms = own_keys.member_of(user, c.pk), own_keys.may_confirm(user, c)
    if not (member or confirms):
        raise perm.NotAllowed(message=f"{perm.username(user)} is neither a member of commission "
                                      f"{c.pk} nor its coordinator above")
    error = None
    if request.method == "POST" and confirms:
        try:
            own_keys.confirm(user, c.pk, request.POST.get("key_id", ""))
            return redirect(reverse("entry:keys", args=[c.pk]) + "?confirmed=1")
        except SailauError as exc:
            error = exc.page_text(page_lang())
    keys = own_keys.keys_of(c.pk)
    mine = [k for k in keys if not k["held_by_server"] and k["state"] != "revoked"]
    lang = page_lang()
    above = Commission.objects.in_bulk({k["confirmed_by"] for k in keys if k["confirmed_by"]})
    for k in keys:
        k["confirmed_by_name"] = (above[k["confirmed_by"]].name(lang)
                                  if k["confirmed_by"] in above else None)
    return render(request, "protocols/commission_key.html", {
        "commission": c, "commission_name": c.name(lang), "keys": keys, "member": member,
        "confirms": confirms, "active": mine[0] if mine else None, "error": error,
        "boot": {"commission": c.pk, "register": f"/api/keys/commissions/{c.pk}",
                 "lang": lang, "texts": _texts()}})


def signing_commission(user, station, held) -> str | None:
    """The commission `user` signs for on the sign page: the station's own when the user is
    its member, else the commission above that typed the version waiting (`typed_by`) when the
    user is its member; None when neither."""
    if own_keys.member_of(user, station.commission_id):
        return station.commission_id
    if held is not None and held.typed_by and own_keys.member_of(user, held.typed_by):
        return held.typed_by
    return None


@page
def sign(request, station_id: str, contest_id: str):
    catalog = Catalog()
    station, info = catalog.pair(station_id, contest_id)
    held = AwaitingSignature.objects.filter(station_id=station_id, contest_id=contest_id).first()
    by = signing_commission(request.user, station, held)
    if by is None:
        raise perm.NotAllowed(message=f"{perm.username(request.user)} may not sign for "
                                      f"commission {station.commission_id}")
    lang = page_lang()
    row = Station.objects.get(pk=station_id)
    context = {"station": row, "contest": info.contest, "held": held}
    if held is not None:
        req = own_signing.to_sign(station_id, contest_id, by)
        if by != station.commission_id:  # typed from the paper and signed on its behalf
            context["behalf"] = behalf.sentence(
                {code: _commission(by).name(code) for code in WRITTEN},
                row.number, lang)
        context.update({
            "lines": [{"number": ln.number, "label": pick(ln.label, lang),
                       "value": held.figures.get(ln.key)} for ln in info.form.lines
                      if held.figures.get(ln.key) is not None],
            "choices": [(label, held.choices.get(k)) for k, label in _choice_rows(info)],
            "decision": req["protocol"].get("decision"), "key_id": req["key_id"],
            "scans": len(req["protocol"]["scans"]),
            "boot": {"commission": by, "lang": lang,
                     "to_sign": f"/api/keys/protocols/{station_id}/{contest_id}/signature"
                                + ("" if by == station.commission_id else f"?commission={by}"),
                     "version": held.version, "key_id": req["key_id"], "texts": _texts()}})
    return render(request, "protocols/sign.html", context)
