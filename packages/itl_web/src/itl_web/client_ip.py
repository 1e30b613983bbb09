"""The client's IP address, believing ``X-Forwarded-For`` only from trusted proxies.

``ITL_TRUSTED_PROXIES`` lists the CIDRs of the reverse proxies / load balancers in front of the
app. When the socket peer is one of them, the ``X-Forwarded-For`` chain is read from the right
(each proxy appends the address it saw), skipping trusted hops: the first untrusted address is
the client. Otherwise the header is ignored (anyone can send one) and the peer is the client.
``RateLimitMiddleware`` resolves the address once per request into the scope's state, where
``client_ip(request)`` reads it (login limits, widget sessions).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from litestar import Request

__all__ = ["CLIENT_IP_STATE", "TrustedProxies", "client_ip"]

CLIENT_IP_STATE = "itl.client_ip"
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


class TrustedProxies:
    """The configured proxy networks; ``resolve`` applies the rule of the module docstring."""

    def __init__(self, cidrs: Sequence[str] = ()) -> None:
        self._networks: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(c, strict=False) for c in cidrs
        )

    def trusts(self, address: str) -> bool:
        ip = _address(address)
        return ip is not None and any(ip in network for network in self._networks)

    def resolve(self, peer: str, forwarded_for: str | None) -> str:
        if not forwarded_for or not self.trusts(peer):
            return peer
        client = peer
        for hop in reversed(forwarded_for.split(",")):
            ip = _address(hop)
            if ip is None:  # garbage in the chain: nothing left of it can be believed
                return client
            client = str(ip)
            if not self.trusts(client):
                return client
        return client  # every hop is a proxy of ours: the leftmost is as far as we can see


def client_ip(request: Request[Any, Any, Any]) -> str:
    """The address resolved for this request (see the module docstring), else the peer's."""
    resolved = request.scope.get("state", {}).get(CLIENT_IP_STATE)
    if resolved:
        return str(resolved)
    return request.client.host if request.client else "unknown"
