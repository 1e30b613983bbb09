"""The ONE outbound HTTP client for every URL a tenant or a model can influence (SECURITY.md).

Per request, and again per redirect hop:

1. only ``http``/``https``, no credentials in the URL, a host that parses (every IPv4 spelling
   inet_aton accepts is normalised first: ``2130706433``, ``0x7f000001``, ``0177.0.0.1``);
2. resolve the host (``getaddrinfo`` in a thread; the resolver is injectable) and admit it only
   if EVERY address is globally routable after unwrapping IPv4-mapped IPv6, unless the tenant's
   egress allow-list names the host (the only way to reach a private address on purpose);
3. connect to the address that was checked (the URL is rewritten to it; the ``Host`` header and
   TLS SNI + certificate verification keep the real host name), so a second DNS answer
   (rebinding) is never used;
4. redirects are not followed blindly: at most ``max_redirects`` hops, each checked as above,
   and caller headers (tool secrets) are dropped when a hop leaves the origin;
5. bounded time (connect/read per operation, plus one deadline for the whole call) and bounded
   size (the body is streamed and the call fails past ``max_bytes``).

Errors::

    EgressRefused(PermissionDenied)     the destination is not allowed; nothing was sent
    EgressFailed(UpstreamUnavailable)   allowed, but it timed out, failed or was too large

A fresh client per call: pooled connections are keyed by address, and a TLS connection made
for one host name must never carry a request for another host at the same address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import ssl
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from itl_core.errors import PermissionDenied, UpstreamUnavailable
from itl_core.tools.egress import EgressAllowList, canonical_host

__all__ = [
    "EgressFailed",
    "EgressRefused",
    "FetchResult",
    "GuardedHttpClient",
    "Resolver",
    "is_public_address",
    "system_resolver",
]

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""``(host, port) -> addresses`` as strings; raises OSError when the name does not resolve."""

REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Not globally routable, or a translation/tunnel wrapper around an address that may not be;
# ``is_global`` covers most of these, the list makes the rule explicit and version-proof.
DENIED_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/96",
        "::1/128",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "2002::/16",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
        "fd00:ec2::254/128",
    )
)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254")
)


class EgressRefused(PermissionDenied):
    default_message = "The destination is not allowed for outbound calls."


class EgressFailed(UpstreamUnavailable):
    default_message = "The outbound call failed."


def is_public_address(address: IPAddress) -> bool:
    """True when ``address`` (IPv4-mapped IPv6 unwrapped first) is globally routable."""
    address = _unwrapped(address)
    if address in METADATA_ADDRESSES or any(address in net for net in DENIED_NETWORKS):
        return False
    return address.is_global and not address.is_multicast


def _unwrapped(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


async def system_resolver(host: str, port: int) -> Sequence[str]:
    infos = await asyncio.to_thread(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchResult:
    status: int
    headers: Mapping[str, str]
    body: bytes
    url: str  # the URL that answered (after redirects), with its real host name


@dataclass(frozen=True, slots=True, kw_only=True)
class _Target:
    url: httpx.URL  # rewritten to the checked address
    host: str  # canonical real host name, for Host, SNI and origin comparison
    port: int
    scheme: str


@dataclass(slots=True, kw_only=True)
class GuardedHttpClient:
    """Stateless apart from its TLS context; safe to share."""

    resolver: Resolver = system_resolver
    connect_timeout_s: float = 5.0
    ssl_context: ssl.SSLContext = field(default_factory=httpx.create_ssl_context)

    async def fetch(
        self,
        method: str,
        url: str,
        *,
        allow: EgressAllowList | None = None,
        headers: Mapping[str, str] | None = None,
        json_body: Any = None,
        timeout_s: float = 10.0,
        max_bytes: int = 1024 * 1024,
        max_redirects: int = 3,
    ) -> FetchResult:
        """Send one guarded request; ``timeout_s`` bounds the whole call, redirects included."""
        try:
            async with asyncio.timeout(timeout_s):
                return await self._fetch(
                    method,
                    url,
                    allow or EgressAllowList(),
                    dict(headers or {}),
                    json_body,
                    timeout_s,
                    max_bytes,
                    max_redirects,
                )
        except TimeoutError as e:
            raise EgressFailed(f"The call did not finish within {timeout_s:g} s.") from e

    async def _fetch(
        self,
        method: str,
        url: str,
        allow: EgressAllowList,
        headers: dict[str, str],
        json_body: Any,
        timeout_s: float,
        max_bytes: int,
        max_redirects: int,
    ) -> FetchResult:
        limits = httpx.Timeout(timeout_s, connect=min(self.connect_timeout_s, timeout_s))
        target = await self.check(url, allow)
        for hop in range(max_redirects + 1):
            result = await self._send(method, target, headers, json_body, limits, max_bytes)
            location = result.headers.get("location")
            if result.status not in REDIRECTS or location is None or hop == max_redirects:
                return result
            next_target = await self.check(urljoin(result.url, location), allow)
            if (next_target.scheme, next_target.host, next_target.port) != (
                target.scheme,
                target.host,
                target.port,
            ):
                headers = {}  # never carry a tool's secrets to another origin
            if result.status == 303 or (result.status in (301, 302) and method == "POST"):
                method, json_body = "GET", None
            target = next_target
        raise AssertionError("unreachable")  # the loop returns on its last hop

    async def check(self, url: str, allow: EgressAllowList) -> _Target:
        """The checked, address-pinned target of ``url``; EgressRefused when not allowed."""
        try:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            port = parts.port
        except ValueError as e:
            raise EgressRefused("The URL is not valid.") from e
        if scheme not in ("http", "https"):
            raise EgressRefused("Only http and https URLs are allowed.")
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            raise EgressRefused("URLs must not carry credentials.")
        try:
            host = canonical_host(parts.hostname or "")
        except ValueError as e:
            raise EgressRefused("The URL's host is not valid.") from e
        port = port or (443 if scheme == "https" else 80)
        addresses = await self._addresses(host, port)
        if any(_unwrapped(a) in METADATA_ADDRESSES for a in addresses):
            raise EgressRefused(f"{host} is a cloud metadata address; it is never allowed.")
        if not allow.admits(host, port):
            private = [a for a in addresses if not is_public_address(a)]
            if private:
                raise EgressRefused(
                    f"{host} is or resolves to a non-public address; only the tenant's egress"
                    " allow-list can admit it."
                )
        pinned = _bracketed(str(addresses[0]))
        query = f"?{parts.query}" if parts.query else ""
        try:
            pinned_url = httpx.URL(f"{scheme}://{pinned}:{port}{parts.path or '/'}{query}")
        except (httpx.InvalidURL, ValueError) as e:
            raise EgressRefused("The URL is not valid.") from e
        return _Target(url=pinned_url, host=host, port=port, scheme=scheme)

    async def _addresses(self, host: str, port: int) -> list[IPAddress]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        try:
            found = await self.resolver(host, port)
            addresses = [ipaddress.ip_address(a.partition("%")[0]) for a in found]
        except (OSError, UnicodeError, ValueError) as e:
            raise EgressRefused(f"{host} does not resolve.") from e
        if not addresses:
            raise EgressRefused(f"{host} does not resolve.")
        return addresses

    async def _send(
        self,
        method: str,
        target: _Target,
        headers: Mapping[str, str],
        json_body: Any,
        limits: httpx.Timeout,
        max_bytes: int,
    ) -> FetchResult:
        default_port = 443 if target.scheme == "https" else 80
        host_header = _bracketed(target.host)
        if target.port != default_port:
            host_header += f":{target.port}"
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        real_url = str(target.url.copy_with(host=target.host, port=target.port))
        client = httpx.AsyncClient(
            verify=self.ssl_context, trust_env=False, follow_redirects=False, timeout=limits
        )
        try:
            async with client:
                request = client.build_request(
                    method,
                    target.url,
                    headers={**headers, "Host": host_header},
                    json=json_body,
                    extensions=extensions,
                )
                response = await client.send(request, stream=True)
                try:
                    body = await _read_bounded(response, max_bytes)
                finally:
                    await response.aclose()
        except httpx.TimeoutException as e:
            raise EgressFailed(f"{target.host} did not answer in time.") from e
        except httpx.HTTPError as e:
            raise EgressFailed(f"The call to {target.host} failed: {type(e).__name__}.") from e
        log.info("outbound %s %s -> %s", method, target.host, response.status_code)
        return FetchResult(
            status=response.status_code, headers=dict(response.headers), body=body, url=real_url
        )


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


async def _read_bounded(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise EgressFailed(f"The response is larger than {max_bytes} bytes.")
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise EgressFailed(f"The response is larger than {max_bytes} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)
