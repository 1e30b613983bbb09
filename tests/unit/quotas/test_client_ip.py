"""The client address: X-Forwarded-For is believed only from a trusted proxy."""

from __future__ import annotations

from itl_web.client_ip import TrustedProxies

PROXIES = TrustedProxies(["10.0.0.0/8", "2001:db8::/32"])


def test_without_trusted_proxies_the_peer_is_the_client() -> None:
    assert TrustedProxies().resolve("10.1.2.3", "203.0.113.9") == "10.1.2.3"


def test_an_untrusted_peer_cannot_pick_its_address() -> None:
    assert PROXIES.resolve("198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_a_trusted_peer_forwards_the_first_untrusted_hop_from_the_right() -> None:
    # The client forged the leftmost entry; our proxy appended the address it really saw.
    assert PROXIES.resolve("10.0.0.2", "1.1.1.1, 203.0.113.9, 10.0.0.5") == "203.0.113.9"
    assert PROXIES.resolve("2001:db8::1", "2001:db8::2, 203.0.113.9") == "203.0.113.9"


def test_garbage_in_the_chain_stops_the_walk() -> None:
    assert PROXIES.resolve("10.0.0.2", "203.0.113.9, not-an-ip") == "10.0.0.2"
    assert PROXIES.resolve("10.0.0.2", "") == "10.0.0.2"


def test_a_chain_of_only_trusted_hops_yields_the_leftmost() -> None:
    assert PROXIES.resolve("10.0.0.2", "10.0.0.9, 10.0.0.5") == "10.0.0.9"
