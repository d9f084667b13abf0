"""The signature of a definitive protocol version: made by the station's commission key (see
`sailau.elections.keys`) over the version's canonical JSON (`sailau.verify.signatures`), when the
chain writes the version, so that every stored version is signed in the same transaction."""

from sailau.elections import keys
from sailau.errors import Code
from sailau.protocols.errors import ChainError
from sailau.verify import signatures


class SigningUnavailable(ChainError):
    status = 503


def protocol_dict(station_id: str, contest_id: str, version: int, figures: dict,
                  choices: dict) -> dict:
    """The members of a protocol version that its signature covers."""
    return {"station": station_id, "contest": contest_id, "version": version,
            "figures": figures, "choices": choices}


def sign_versions(versions, commission_of) -> None:
    """Sets `signature` and `signed_with` on each version (objects with station_id, contest_id,
    version, figures and choices); `commission_of(station_id)` names the commission that signs,
    the station's own precinct commission."""
    versions = list(versions)
    if not versions:
        return
    try:
        private = keys.private_keys({commission_of(v.station_id) for v in versions})
    except keys.KeyUnavailable as exc:
        # Nothing is written without its signature: the whole chain is refused.
        raise SigningUnavailable(message=str(exc), code=Code.SIGNING_KEY_UNAVAILABLE) from None
    loaded = {cid: (public, signatures.load_private_key(raw))
              for cid, (public, raw) in private.items()}
    for v in versions:
        public, key = loaded[commission_of(v.station_id)]
        v.signature = signatures.sign(key, signatures.canonical_bytes(protocol_dict(
            v.station_id, v.contest_id, v.version, v.figures, v.choices)))
        v.signed_with = public
