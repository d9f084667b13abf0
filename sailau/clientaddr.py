"""The address of the client a request comes from, for every throttle (sign-in failures, the
public lookup, the public API's rate limits): one function, so that no limit counts a proxy's
address as if it were one visitor's.

Behind a reverse proxy every request arrives from the proxy. The proxy appends the address it
was reached from to `X-Forwarded-For`; the part of the header before that comes from the client
and proves nothing. So the header is read right to left, and a hop is skipped only while the
address that handed the request on is one of SAILAU_TRUSTED_PROXIES (addresses or CIDR ranges,
separated by commas): the first address that is not a trusted proxy is the client. With no
trusted proxies configured the header is ignored and REMOTE_ADDR is the client.

django-ipware's trusted proxies are string prefixes and it reads the header from the left; the
rule here needs CIDR ranges and the right-to-left walk, which the standard `ipaddress` gives."""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(text: str, production: bool = False) -> tuple[Network, ...]:
    """`10.0.0.5, 10.1.0.0/16, ::1` as networks; a wrong entry stops the server at start-up
    rather than quietly trusting nothing (or everything).

    In production (`production`) a setting that trusts nothing or everything stops it too:
    an empty entry (`","`, `"127.0.0.1,"`: a variable assembled from an empty one) and a range
    of every address (`0.0.0.0/0`, `::/0`), under which any client may write its own
    X-Forwarded-For and escape every limit. The demo keeps its leniency."""
    nets = []
    for part in (text or "").split(","):
        if not (part := part.strip()):
            if production:
                raise RuntimeError(f"SAILAU_TRUSTED_PROXIES={text!r}: an empty entry; name "
                                   "each proxy's address or range, separated by commas")
            continue
        try:
            net = ipaddress.ip_network(part, strict=False)
        except ValueError as exc:
            raise RuntimeError(f"SAILAU_TRUSTED_PROXIES: {part!r} is not an address or a "
                               f"CIDR range") from exc
        if production and net.prefixlen == 0:
            raise RuntimeError(f"SAILAU_TRUSTED_PROXIES: {part!r} trusts every address, so "
                               "any client could name its own address and escape every limit; "
                               "name only the proxies in front")
        nets.append(net)
    if production and not nets:
        raise RuntimeError("SAILAU_TRUSTED_PROXIES names no proxy")
    return tuple(nets)


@lru_cache(maxsize=1)
def _configured(text: str) -> tuple[Network, ...]:
    return parse_proxies(text)


def trusted_proxies() -> tuple[Network, ...]:
    from django.conf import settings

    return _configured(getattr(settings, "SAILAU_TRUSTED_PROXIES", "")
                       or os.environ.get("SAILAU_TRUSTED_PROXIES", ""))


def _address(text: str):
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(addr, proxies) -> bool:
    return addr is not None and any(addr in net for net in proxies)


def resolve(remote_addr: str, forwarded_for: str, proxies) -> str:
    """The client's address from the peer's and the X-Forwarded-For header's."""
    peer = _address(remote_addr or "")
    if peer is None:
        return remote_addr or "unknown"
    if not _trusted(peer, proxies):
        return str(peer)
    hops = [h for h in (forwarded_for or "").split(",") if h.strip()]
    client = peer
    for hop in reversed(hops):
        addr = _address(hop)
        if addr is None:  # garbage a client wrote: the last good hop is as far as we trust
            break
        client = addr
        if not _trusted(addr, proxies):
            break
    return str(client)


def client_address(request) -> str:
    """The request's client, as the throttles count it ("unknown" for a request that came from
    no address, as one made inside the process)."""
    meta = request.META
    return resolve(meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""),
                   trusted_proxies())


def counted_as(address: str) -> str:
    """What a limit counts for a client address: an IPv4 address itself, an IPv6 address by its
    /64 (the first address of it). One subscriber, one machine even, is handed a whole /64 and
    may take a new address of it for each request: counted per address, an IPv6 client had a
    fresh allowance at will. An IPv4 address written as IPv6 (`::ffff:1.2.3.4`) is the IPv4
    one. Anything that is not an address is returned as it is."""
    addr = _address(address)
    if addr is None:
        return address
    if addr.version == 6:
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False).network_address)
    return str(addr)


def client_key(request) -> str:
    """The request's client as every limit counts it: `client_address`, an IPv6 one by its /64."""
    return counted_as(client_address(request))


def client_ip(request) -> str | None:
    """The same for django-axes (AXES_CLIENT_IP_CALLABLE), which stores it in an address column:
    an IPv6 client by its /64, and None when there is no address (PostgreSQL's inet type takes
    no "unknown")."""
    address = client_key(request)
    return address if _address(address) is not None else None


def unforwarded_peer(request):
    """The trusted proxy a request came from without X-Forwarded-For, or None: behind such a
    proxy every visitor is one client for every limit (the warning is sailau.api.health's)."""
    proxies = trusted_proxies()
    meta = request.META
    if not proxies or meta.get("HTTP_X_FORWARDED_FOR", "").strip():
        return None
    peer = _address(meta.get("REMOTE_ADDR", ""))
    return peer if _trusted(peer, proxies) else None
