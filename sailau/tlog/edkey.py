"""Which 32 bytes are an Ed25519 public key worth trusting, and which base64 spells them.

One home for the check, used wherever a key enters: a commission's key registered with the
server, a witness's or the log's verifier key, and `sailau verify` reading keys from the log.
Signatures themselves are verified by the `cryptography` package (which refuses a non-canonical
S, S >= L); what it does not refuse is a key that makes verification meaningless:

- a **small-order** point (one of the 8 points P with 8·P = the identity): with such a key A,
  the verification equation [S]B = R + [k]A holds for S = 0, R = the identity (or R = -[k]A,
  which takes one of 8 values) whatever the message, so one constant "signature" verifies for
  every protocol;
- a **non-canonical encoding**: y ≥ p (the same point written as y + p), or x = 0 with the sign
  bit set (the identity and the point of order 2 each have a second spelling): one key, two
  byte strings, two key ids;
- bytes that are not a point of the curve at all (no x for that y);
- base64 that is not the one spelling of the 32 bytes (standard alphabet, `=` padding, no
  whitespace, the unused low bits of the last character zero): one key, two strings.

A key's identity is its 32 bytes; its text is `base64.b64encode` of them and nothing else.

The check costs one Legendre symbol a key, not a decoding and three doublings (the national
demo registers over 10,000 commission keys, and `sailau verify` reads them all): a
non-canonical encoding is a comparison of y with p, or the sign bit on y = 1 or y = p - 1 (the
only points with x = 0); a small-order point is one of 8 fixed 32-byte strings
(`SMALL_ORDER`, derived once from the definition when the module loads); "on the curve" is
whether u·v is a square mod p, for x² = u/v (`is_square`). `decode_point`,
`small_order` and the rest of the arithmetic stay for the test vectors and for the test that
holds the fast check to the definition.

A **mixed-order** point (a key of large order plus a small-order point: canonical, on the
curve, 8·P not the identity) is accepted, as it always was: only the holder of the large-order
part's secret can sign with it, and no constant signature verifies every message. What its
holder can do is make signatures that a verifier with the cofactor in its equation
([8][S]B = [8]R + [8][k]A) accepts and one without it refuses, or the other way round; the
server and `sailau verify` both verify with `cryptography`, without the cofactor, so they
agree (docs/commission-keys.md says so for a verifier written from the docs).

`cached` keeps a verifier that reads each key three times from a log from checking it three
times."""

from __future__ import annotations

import base64
import binascii
import functools

P = 2**255 - 19
D = (-121665 * pow(121666, P - 2, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)  # a square root of -1 mod p
# The order of the prime subgroup: the base point's order.
L = 2**252 + 27742317777372353535851937790883648493


class WeakKey(ValueError):
    """Not a key worth trusting. `reason` is one of: base64 (not the one standard spelling),
    length (not 32 bytes), non-canonical (y >= p, or x = 0 with the sign bit), not-on-curve,
    small-order. The message says which in English (a verifier's report, a command's error)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


# --- the curve: twisted Edwards -x^2 + y^2 = 1 + d x^2 y^2, extended coordinates (X:Y:Z:T) ---

IDENTITY = (0, 1, 1, 0)


def decode_point(raw: bytes) -> tuple[int, int, int, int]:
    """The point of a 32-byte encoding (RFC 8032, 5.1.3), refusing every non-canonical one."""
    if len(raw) != 32:
        raise WeakKey("length", f"{len(raw)} bytes, an Ed25519 public key is 32")
    n = int.from_bytes(raw, "little")
    sign, y = n >> 255, n & ((1 << 255) - 1)
    if y >= P:
        raise WeakKey("non-canonical", "a non-canonical encoding (y is not below p): the same "
                                       "point has another, canonical, spelling")
    u, v = (y * y - 1) % P, (D * y * y + 1) % P
    x = (u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P)) % P
    if (v * x * x - u) % P:
        if (v * x * x + u) % P:
            raise WeakKey("not-on-curve", "not a point of the Ed25519 curve")
        x = (x * SQRT_M1) % P
    if x == 0 and sign:
        raise WeakKey("non-canonical", "a non-canonical encoding (x is 0 and the sign bit is "
                                       "set): the same point has another, canonical, spelling")
    if x & 1 != sign:
        x = P - x
    return (x, y, 1, (x * y) % P)


def encode_point(pt: tuple[int, int, int, int]) -> bytes:
    x_, y_, z, _ = pt
    zi = pow(z, P - 2, P)
    x, y = (x_ * zi) % P, (y_ * zi) % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def add(p1, p2):
    """P1 + P2 (add-2008-hwcd-3, a = -1): complete, so it adds a point to itself too."""
    x1, y1, z1, t1 = p1
    x2, y2, z2, t2 = p2
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = 2 * D * t1 * t2 % P
    d = 2 * z1 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def double(pt):
    """2·P (dbl-2008-hwcd, a = -1)."""
    x1, y1, z1, _ = pt
    a, b, c = x1 * x1 % P, y1 * y1 % P, 2 * z1 * z1 % P
    h = a + b
    e = (h - (x1 + y1) ** 2) % P
    g = (a - b) % P
    f = (c + g) % P
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def multiply(k: int, pt):
    """k·P, double and add (for the test vectors and tests: keys are checked with `double`)."""
    out = IDENTITY
    while k:
        if k & 1:
            out = add(out, pt)
        pt, k = double(pt), k >> 1
    return out


def is_identity(pt) -> bool:
    x, y, z, _ = pt
    return x % P == 0 and (y - z) % P == 0


def small_order(pt) -> bool:
    """Whether 8·P is the identity: P is one of the curve's 8 small-order points."""
    return is_identity(double(double(double(pt))))


# --- what callers use ---------------------------------------------------------------------------

def b64decode_strict(text, size: int | None = None) -> bytes:
    """The bytes of `text` if it is their one standard base64 spelling (RFC 4648 section 4,
    with padding, no whitespace, unused bits zero), of `size` bytes if given; WeakKey("base64")
    or WeakKey("length") otherwise."""
    if not isinstance(text, str):
        raise WeakKey("base64", f"{type(text).__name__}, not a base64 text")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = None
    # re-encoding gives the one spelling: padding, trailing bits and the alphabet all show
    if raw is None or base64.b64encode(raw).decode("ascii") != text:
        raise WeakKey("base64", f"{text[:60]!r} is not standard base64 (RFC 4648: the "
                                "alphabet with + and /, = padding, no spaces or line breaks, "
                                "unused bits zero)")
    if size is not None and len(raw) != size:
        raise WeakKey("length", f"{len(raw)} bytes, {size} expected")
    return raw


def _small_order_encodings() -> frozenset[bytes]:
    """The canonical encodings of the 8 points P with 8·P the identity: the multiples of L·Q for
    a point Q (y = 3) whose torsion part generates the whole torsion group (Z/8)."""
    t = multiply(L, decode_point((3).to_bytes(32, "little")))
    out, pt = set(), IDENTITY
    for _ in range(8):
        out.add(encode_point(pt))
        pt = add(pt, t)
    return frozenset(out)


# The 8 small-order points, canonically encoded (their non-canonical spellings are refused as
# non-canonical before this set is asked).
SMALL_ORDER = _small_order_encodings()
_MASK = (1 << 255) - 1


def is_square(a: int) -> bool:
    """Whether a (0 < a < p) is a square mod p: its Legendre symbol is 1. Computed as the Jacobi
    symbol (a / p), which for a prime p is the Legendre symbol, by quadratic reciprocity and
    halving (a quarter of the time of Euler's criterion, a^((p-1)/2) mod p, in Python; a test
    holds the two to each other)."""
    n, sign = P, 1
    while a:
        twos = (a & -a).bit_length() - 1
        a >>= twos
        if twos & 1 and n & 7 in (3, 5):  # (2 / n) = -1 when n is 3 or 5 mod 8
            sign = -sign
        if a & n & 3 == 3:  # reciprocity: both 3 mod 4
            sign = -sign
        a, n = n % a, a
    return n == 1 and sign == 1


def check_public_key(raw: bytes) -> bytes:
    """`raw` when it is the canonical encoding of an Ed25519 point of large order; WeakKey
    naming why not. The same refusals, for the same reasons, as decoding the point and doubling
    it three times (the test holds the two to each other), at the cost of one Legendre symbol."""
    if len(raw) != 32:
        raise WeakKey("length", f"{len(raw)} bytes, an Ed25519 public key is 32")
    n = int.from_bytes(raw, "little")
    y = n & _MASK
    if y >= P:
        raise WeakKey("non-canonical", "a non-canonical encoding (y is not below p): the same "
                                       "point has another, canonical, spelling")
    yy = y * y % P
    u, v = (yy - 1) % P, (D * yy + 1) % P  # x² = u / v; v is never 0 (d is not a square)
    # u / v is a square mod p (or 0) exactly when u·v is
    if u and not is_square(u * v % P):
        raise WeakKey("not-on-curve", "not a point of the Ed25519 curve")
    if not u and n >> 255:  # u = 0: y = 1 or y = p - 1, where x = 0
        raise WeakKey("non-canonical", "a non-canonical encoding (x is 0 and the sign bit is "
                                       "set): the same point has another, canonical, spelling")
    if raw in SMALL_ORDER:
        raise WeakKey("small-order", "a small-order point (8 times it is the identity): with "
                                     "such a key one signature verifies for any message")
    return raw


@functools.lru_cache(maxsize=65536)
def _checked(raw: bytes) -> bytes:
    return check_public_key(raw)


def cached(raw: bytes) -> bytes:
    """`check_public_key` remembered (a refusal is not cached: it raises again)."""
    return _checked(bytes(raw))


def public_key(text) -> bytes:
    """The 32 bytes of a base64 public key (as commission keys travel), checked: WeakKey when
    the text is not their one spelling or the key is not one worth trusting."""
    return cached(b64decode_strict(text, 32))
