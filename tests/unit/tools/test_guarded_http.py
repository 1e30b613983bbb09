"""SECURITY.md's SSRF matrix against the one guarded outbound client.

Every refused destination is refused BEFORE anything is sent: the local server that stands in
for "something inside the network" records no request. Host names resolve through an injected
resolver, so "a name that resolves to a private address" needs no DNS.
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from itl_adapters.tools.guarded_http import EgressFailed, EgressRefused, GuardedHttpClient
from itl_core.tools.egress import EgressAllowList

from tests.support.fake_vendors.server import FakeVendor, JsonReply, SseReply, Stall

NAMES = {
    "public.example": ["93.184.216.34"],
    "internal.example": ["10.0.0.5"],
    "mixed.example": ["93.184.216.34", "192.168.0.10"],  # one bad address spoils the name
    "mapped.example": ["::ffff:127.0.0.1"],
    "localhost": ["127.0.0.1", "::1"],
}


class FakeResolver:
    """Answers from a table (plus ``extra``) and counts lookups per name."""

    def __init__(self, extra: dict[str, list[str]] | None = None) -> None:
        self.table = {**NAMES, **(extra or {})}
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        if host not in self.table:
            raise OSError("name does not resolve")
        return self.table[host]


def allow(*entries: str) -> EgressAllowList:
    return EgressAllowList.from_settings({"egress_allow": list(entries)})


REFUSED = [
    # loopback, private, link-local, metadata, shared, reserved, multicast
    "http://127.0.0.1/",
    "http://localhost/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.1.1/",
    "http://169.254.1.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://0.0.0.0/",
    "http://0/",
    # every IPv4 spelling inet_aton accepts
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://0x7f000001/",
    "http://0x7f.0.0.1/",
    "http://127.1/",
    # IPv6: loopback, IPv4-mapped/compatible, NAT64, 6to4, link-local, unique-local
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    # names that resolve inward
    "http://internal.example/",
    "http://mixed.example/",
    "http://mapped.example/",
    # not http, or carrying credentials
    "file:///etc/passwd",
    "gopher://127.0.0.1:70/_GET",
    "ftp://public.example/",
    "dict://public.example:11211/",
    "http://user:pass@public.example/",
    "http://user@public.example/",
    "https://public.example:99999/",
    "http://[::1%25lo]/",
    "http:///nohost",
]


@pytest.mark.parametrize("url", REFUSED)
async def test_refuses_every_destination_of_the_ssrf_matrix(url: str) -> None:
    client = GuardedHttpClient(resolver=FakeResolver())
    with pytest.raises(EgressRefused) as refused:
        await client.fetch("GET", url, timeout_s=2)
    assert refused.value.message  # a clear reason, not a raw exception


async def test_a_name_resolving_to_a_private_address_is_refused_and_nothing_is_sent() -> None:
    async with FakeVendor() as inside:
        port = int(inside.url.rsplit(":", 1)[1])
        client = GuardedHttpClient(resolver=FakeResolver({"sneaky.example": ["127.0.0.1"]}))
        with pytest.raises(EgressRefused, match="allow-list"):
            await client.fetch("GET", f"http://sneaky.example:{port}/admin")
    assert inside.requests == []


async def test_an_allow_listed_private_host_is_reached() -> None:
    async with FakeVendor() as inside:
        inside.reply(JsonReply(status=200, body={"ok": True}))
        port = int(inside.url.rsplit(":", 1)[1])
        result = await GuardedHttpClient().fetch(
            "GET", f"{inside.url}/ping", allow=allow(f"127.0.0.1:{port}")
        )
    assert result.status == 200 and result.body == b'{"ok": true}'


async def test_an_allow_list_entry_names_a_port_and_other_ports_stay_closed() -> None:
    async with FakeVendor() as inside:
        with pytest.raises(EgressRefused):
            await GuardedHttpClient().fetch("GET", f"{inside.url}/", allow=allow("127.0.0.1:1"))
    assert inside.requests == []


async def test_it_connects_to_the_checked_address_with_the_real_host_header() -> None:
    """One lookup per hop: a second (rebinding) answer is never asked for, let alone used."""
    async with FakeVendor() as inside:
        inside.reply(JsonReply(status=200, body={}))
        port = int(inside.url.rsplit(":", 1)[1])
        resolver = FakeResolver({"tracking.internal": ["127.0.0.1"]})
        client = GuardedHttpClient(resolver=resolver)
        await client.fetch(
            "GET", f"http://tracking.internal:{port}/t/1", allow=allow(f"tracking.internal:{port}")
        )
    assert resolver.lookups == ["tracking.internal"]
    assert inside.requests[0].headers["host"] == f"tracking.internal:{port}"
    assert inside.requests[0].path == "/t/1"


async def test_a_redirect_to_a_private_address_is_refused() -> None:
    async with FakeVendor() as admitted, FakeVendor() as other:
        admitted_port = int(admitted.url.rsplit(":", 1)[1])
        for target in ("http://10.0.0.5/", f"{other.url}/secret", "http://169.254.169.254/"):
            admitted.reply(JsonReply(status=302, body={}, headers={"Location": target}))
            with pytest.raises(EgressRefused):
                await GuardedHttpClient().fetch(
                    "GET", f"{admitted.url}/start", allow=allow(f"127.0.0.1:{admitted_port}")
                )
    assert other.requests == []  # the private hop was never sent


async def test_redirects_are_bounded_and_secrets_do_not_follow_to_another_origin() -> None:
    async with FakeVendor() as first, FakeVendor() as second:
        ports = [int(v.url.rsplit(":", 1)[1]) for v in (first, second)]
        first.reply(JsonReply(status=307, body={}, headers={"Location": f"{second.url}/next"}))
        second.reply(JsonReply(status=200, body={"arrived": True}))
        result = await GuardedHttpClient().fetch(
            "GET",
            f"{first.url}/start",
            allow=allow(*(f"127.0.0.1:{p}" for p in ports)),
            headers={"X-Api-Key": "s3cret"},
        )
        assert result.status == 200 and result.url == f"{second.url}/next"
        assert first.requests[0].headers["x-api-key"] == "s3cret"
        assert "x-api-key" not in second.requests[0].headers

        first.reply(JsonReply(status=302, body={}, headers={"Location": "/again"}))
        unfollowed = await GuardedHttpClient().fetch(
            "GET", f"{first.url}/loop", allow=allow(f"127.0.0.1:{ports[0]}"), max_redirects=0
        )
        assert unfollowed.status == 302  # no blind following: answered as it came


async def test_a_stalled_upstream_fails_within_the_time_bound() -> None:
    async with FakeVendor() as slow:
        slow.reply(Stall())
        port = int(slow.url.rsplit(":", 1)[1])
        with pytest.raises(EgressFailed, match=r"in time|within"):
            await GuardedHttpClient().fetch(
                "GET", f"{slow.url}/", allow=allow(f"127.0.0.1:{port}"), timeout_s=0.3
            )


async def test_oversized_answers_fail_whether_declared_or_streamed() -> None:
    async with FakeVendor() as big:
        port = int(big.url.rsplit(":", 1)[1])
        big.reply(
            JsonReply(status=200, body={"blob": "x" * 5_000}),
            SseReply(events=tuple(b"data: " + b"y" * 1_000 + b"\n\n" for _ in range(10))),
        )
        for _ in range(2):  # Content-Length over the bound; then chunked, no length given
            with pytest.raises(EgressFailed, match="larger than 2048 bytes"):
                await GuardedHttpClient().fetch(
                    "GET", f"{big.url}/", allow=allow(f"127.0.0.1:{port}"), max_bytes=2048
                )


async def test_an_unresolvable_name_is_refused_clearly() -> None:
    with pytest.raises(EgressRefused, match="does not resolve"):
        await GuardedHttpClient(resolver=FakeResolver()).fetch("GET", "http://nowhere.example/")


# --- TLS: connected to the checked address, verified for the real name --------------------------


def tls_pair(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context with a self-signed certificate for ``name``, client context trusting it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


async def test_https_goes_to_the_pinned_address_with_sni_and_verification_for_the_name(
    tmp_path: Path,
) -> None:
    server_tls, client_tls = tls_pair(tmp_path, "tls.internal")
    async with FakeVendor(tls=server_tls) as inside:
        inside.reply(JsonReply(status=200, body={"tls": True}))
        port = int(inside.url.rsplit(":", 1)[1])
        client = GuardedHttpClient(
            resolver=FakeResolver({"tls.internal": ["127.0.0.1"], "other.internal": ["127.0.0.1"]}),
            ssl_context=client_tls,
        )
        result = await client.fetch(
            "GET", f"https://tls.internal:{port}/x", allow=allow(f"tls.internal:{port}")
        )
        assert result.status == 200 and result.url == f"https://tls.internal:{port}/x"
        # The same address under a name the certificate does not carry fails verification.
        with pytest.raises(EgressFailed):
            await client.fetch(
                "GET", f"https://other.internal:{port}/x", allow=allow(f"other.internal:{port}")
            )
    assert inside.requests[0].headers["host"] == f"tls.internal:{port}"
