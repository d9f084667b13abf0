"""The client address every throttle counts (sailau.clientaddr): X-Forwarded-For is read from
the right and believed only as far as trusted proxies handed the request on."""

import ipaddress

import pytest

from sailau.clientaddr import parse_proxies, resolve

PROXIES = parse_proxies("127.0.0.1, 10.0.0.0/24, ::1")


@pytest.mark.parametrize("remote,xff,client", [
    # No proxy in front: the header is the client's own word and is ignored.
    ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
    # Through the local proxy: the hop it appended.
    ("127.0.0.1", "198.51.100.1", "198.51.100.1"),
    # A client that wrote its own header first: the proxy's hop, on the right, wins.
    ("127.0.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
    # Two trusted proxies (a balancer in the range, then the local one): both skipped.
    ("127.0.0.1", "198.51.100.1, 10.0.0.5", "198.51.100.1"),
    # An untrusted hop in the middle stops the walk: what is left of it is unproven.
    ("127.0.0.1", "1.2.3.4, 198.51.100.9, 10.0.0.5", "198.51.100.9"),
    # Garbage in the header: the last address a trusted proxy vouched for.
    ("127.0.0.1", "nonsense, 10.0.0.5", "10.0.0.5"),
    ("127.0.0.1", "", "127.0.0.1"),
    ("::1", "2001:db8::1", "2001:db8::1"),
    ("127.0.0.1", "[2001:db8::2]:443", "2001:db8::2"),
    ("127.0.0.1", "198.51.100.1:5555", "198.51.100.1"),
])
def test_the_client_is_the_first_untrusted_hop_from_the_right(remote, xff, client):
    assert resolve(remote, xff, PROXIES) == client


def test_without_trusted_proxies_the_header_is_ignored():
    assert resolve("127.0.0.1", "198.51.100.1", ()) == "127.0.0.1"


def test_a_mistyped_proxy_is_refused():
    with pytest.raises(RuntimeError, match="10.0.0.300"):
        parse_proxies("10.0.0.1, 10.0.0.300")
    assert parse_proxies(" 10.0.0.1 ,, ") == (ipaddress.ip_network("10.0.0.1/32"),)


def test_a_request_from_no_address_is_none_for_the_login_counter():
    # PostgreSQL's inet column (django-axes's) takes no "unknown": force_login's request has
    # no address at all.
    from django.http import HttpRequest

    from sailau.clientaddr import client_address, client_ip

    assert client_address(HttpRequest()) == "unknown" and client_ip(HttpRequest()) is None
