"""A tenant's egress allow-list, and the one way hosts are written down and compared.

The allow-list lives in ``tenant.settings["egress_allow"]``: exact entries ``host`` or
``host:port`` (IPv6 as ``[addr]`` or ``[addr]:port``), no wildcards. It is the ONLY way to let a
tenant's outbound calls reach a private address (loopback, RFC 1918, link-local ...): public hosts
need no entry. Tenant settings are written by platform admins only, so admitting a host inside
the platform's network is the platform operator's decision, never a tenant admin's.

``canonical_host`` maps every spelling of a host to one form, so ``2130706433``, ``0x7f000001``,
``0177.0.0.1``, ``127.1`` and ``127.0.0.1`` are the same host to the allow-list and to the guard.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from itl_core.errors import FieldError

SETTINGS_KEY = "egress_allow"
MAX_ENTRIES = 100

# Every label numeric (decimal, octal with a leading 0, or hex): an IPv4 literal in one of the
# forms inet_aton accepts, which browsers and libc treat as an address, never as a DNS name.
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def canonical_host(host: str) -> str:
    """The canonical spelling of a URL host (no brackets); ValueError when it is no valid host.

    IPv4 in any inet_aton form becomes dotted-quad; IPv6 becomes its compressed form (zone ids
    refused); DNS names become lowercase ASCII (IDNA) without a trailing dot.
    """
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host:
        raise ValueError("empty host")
    if ":" in host:
        if "%" in host:
            raise ValueError("IPv6 zone ids are not allowed")
        return str(ipaddress.IPv6Address(host))
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return socket.inet_ntoa(socket.inet_aton(host.rstrip(".")))
        except OSError as e:
            raise ValueError(f"invalid IPv4 address {host!r}") from e
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError as e:
        raise ValueError(f"invalid host name {host!r}") from e
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"invalid host name {host!r}")
    if labels[-1].isdigit():  # "1.2.3.999": neither a name nor an address
        raise ValueError(f"invalid host name {host!r}")
    return ascii_host


@dataclass(frozen=True, slots=True, kw_only=True)
class EgressRule:
    """One allow-list entry: ``port`` None admits every port of ``host``."""

    host: str
    port: int | None = None

    @classmethod
    def parse(cls, entry: str) -> EgressRule:
        """ValueError unless ``entry`` is exactly ``host`` or ``host:port``."""
        if (
            not isinstance(entry, str)
            or not entry
            or entry != entry.strip()
            or "/" in entry
            or "@" in entry
        ):
            raise ValueError("must be 'host' or 'host:port'")
        host, port = entry, None
        if entry.startswith("["):
            end = entry.find("]")
            rest = entry[end + 1 :] if end >= 0 else "?"
            if rest and not rest.startswith(":"):
                raise ValueError("IPv6 hosts are written '[addr]' or '[addr]:port'")
            host, port = entry[: end + 1], (rest[1:] if rest else None)
        elif entry.count(":") == 1:
            host, port = entry.split(":")
        elif ":" in entry:
            raise ValueError("IPv6 hosts are written '[addr]' or '[addr]:port'")
        if "*" in host:
            raise ValueError("wildcards are not allowed: list exact hosts")
        number = None
        if port is not None:
            if not port.isdigit() or not 1 <= int(port) <= 65535:
                raise ValueError("port must be 1 to 65535")
            number = int(port)
        return cls(host=canonical_host(host), port=number)

    def admits(self, host: str, port: int) -> bool:
        """``host`` must already be canonical."""
        return self.host == host and self.port in (None, port)


@dataclass(frozen=True, slots=True, kw_only=True)
class EgressAllowList:
    rules: tuple[EgressRule, ...] = ()

    def admits(self, host: str, port: int) -> bool:
        return any(rule.admits(host, port) for rule in self.rules)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> EgressAllowList:
        """The tenant's list; entries that no longer parse admit nothing (fail closed)."""
        rules = []
        entries = settings.get(SETTINGS_KEY)
        for entry in entries if isinstance(entries, list) else ():
            try:
                rules.append(EgressRule.parse(entry))
            except (ValueError, TypeError):
                continue
        return cls(rules=tuple(rules))


def egress_allow_errors(settings: Mapping[str, Any]) -> list[FieldError]:
    """Field errors of ``settings["egress_allow"]`` (absent is fine)."""
    field = f"settings.{SETTINGS_KEY}"
    if SETTINGS_KEY not in settings:
        return []
    value = settings[SETTINGS_KEY]
    if not isinstance(value, list) or len(value) > MAX_ENTRIES:
        return [FieldError(field, f"must be a list of at most {MAX_ENTRIES} 'host[:port]' strings")]
    errors = []
    for i, entry in enumerate(value):
        try:
            EgressRule.parse(entry)
        except (ValueError, TypeError) as e:
            errors.append(FieldError(f"{field}[{i}]", str(e)))
    return errors
