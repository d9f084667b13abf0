"""Commission-held keys and the commission's own signature of its protocols (see
`sailau.protocols.own_keys` and `own_signing`): a member registers the public key its device
made, the commission above confirms it, either revokes it with a reason; a definitive protocol
of a commission that signs its own waits for its signature, which a member submits here."""

from ninja import Field, Router, Schema

from sailau.api.auth import WRITE, user_of
from sailau.protocols import own_keys, own_signing

router = Router(tags=["commission keys"])


class KeyIn(Schema):
    public_key: str = Field(description="base64 of the 32 raw bytes of an Ed25519 public key "
                                        "(what `sailau keys generate` prints)")


class RevokeIn(Schema):
    reason: str = Field(description="why: lost device, replaced, compromised…")


class SignatureIn(Schema):
    version: int = Field(description="the version awaiting the signature")
    signature: str = Field(description="base64 Ed25519 signature of the bytes `message` of "
                                       "GET …/signature (format sailau-protocol/2)")
    key_id: str | None = Field(default=None, description="the signing key's fingerprint "
                                                         "(optional: the confirmed key)")
    commission: str | None = Field(default=None, description=(
        "the commission signing (optional): the station's own, or the commission above that "
        "typed the protocol from the paper on its behalf (sailau-protocol/4); by default the "
        "station's own when the user is its member"))


@router.get("/commissions/{commission}", auth=None,
            summary="Every key of a commission: held by the server or by the commission, "
                    "registered, confirmed, revoked")
def list_keys(request, commission: str):
    return {"commission": commission, "keys": own_keys.keys_of(commission)}


@router.post("/commissions/{commission}", auth=WRITE,
             summary="Register the commission's own public key (a member of the commission)")
def register(request, commission: str, body: KeyIn):
    return own_keys.register(user_of(request), commission, body.public_key)


@router.post("/commissions/{commission}/{key_id}/confirm", auth=WRITE,
             summary="Confirm a commission's key (the coordinator of the commission above)")
def confirm(request, commission: str, key_id: str):
    return own_keys.confirm(user_of(request), commission, key_id)


@router.post("/commissions/{commission}/{key_id}/revoke", auth=WRITE,
             summary="Revoke a commission's key, with the reason (a member, or the "
                     "commission above)")
def revoke(request, commission: str, key_id: str, body: RevokeIn):
    return own_keys.revoke(user_of(request), commission, key_id, body.reason)


@router.get("/protocols/{station}/{contest}/signature", auth=None,
            summary="A definitive protocol awaiting its commission's signature: the bytes "
                    "to sign (base64) and the fields they are made of")
def to_sign(request, station: str, contest: str, commission: str | None = None):
    # `commission`: the one above that typed it, to sign on the station's behalf
    return own_signing.to_sign(station, contest, commission)


@router.post("/protocols/{station}/{contest}/signature", auth=WRITE,
             summary="Sign a definitive protocol as its commission (a member): verified, then "
                     "published")
def sign(request, station: str, contest: str, body: SignatureIn):
    return own_signing.submit(user_of(request), station, contest, body.version,
                              body.signature, body.key_id, body.commission)
