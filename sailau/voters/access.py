"""Keyed hashes and the log of staff access to personal data.

Staff accesses go to the audit chain (`sailau.audit.append`) rather than to a table of their
own: the chain is append-only and hash-linked, so an access cannot be removed afterwards
without `sailau audit verify` noticing, which is what oversight of the list needs. The chain
is public, so a record names the station or the list entry by its database id and never
carries a name, an address or an IIN."""

import hashlib
import hmac

from django.conf import settings

from sailau import audit
from sailau.accounts.permissions import username


def keyed_hash(value: str, purpose: str) -> str:
    """HMAC-SHA256 under the site's secret key: an IIN (about 10^8 plausible values) or an IP
    address would be recovered from a plain hash by trying them all."""
    key = hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def iin_hash(iin: str) -> str:
    return keyed_hash(iin.strip(), "iin")


def log_access(user, action: str, subject: str, **payload) -> None:
    """One audit record per staff access to personal data (a list, an entry, a report)."""
    audit.append(username(user), f"voters.{action}", subject, payload)
