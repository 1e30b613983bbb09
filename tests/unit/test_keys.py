"""Key material: the env-provided ring is validated; dev keys are made once, privately."""

from __future__ import annotations

import json
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from itl_adapters.memory.clock import FakeClock
from itl_adapters.security import (
    FernetSecretBox,
    JwtService,
    dump_private_jwks,
    generate_signing_key,
    load_or_create_dev_keys,
    load_signing_keys,
)
from itl_adapters.security.keys import DEV_KEYS_FILE
from itl_core.security import TokenKind
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey, RSAKey

KEY, OLD_KEY = generate_signing_key(), generate_signing_key()


def test_ring_round_trips_through_its_json_in_order():
    ring = load_signing_keys(dump_private_jwks([KEY, OLD_KEY]))
    assert [k.kid for k in ring] == [KEY.kid, OLD_KEY.kid]
    assert all(k.is_private for k in ring)


def test_retired_keys_may_be_public_only():
    public_old = OLD_KEY.as_dict(private=False)
    document = {"keys": [KEY.as_dict(private=True), public_old]}
    ring = load_signing_keys(json.dumps(document))
    assert not ring[1].is_private


@pytest.mark.parametrize(
    "document",
    [
        "",
        "not json",
        "[]",
        '{"keys": []}',
        '{"keys": [{"kty": "RSA"}]}',
        json.dumps({"keys": [KEY.as_dict(private=False)]}),  # signing key must be private
        json.dumps({"keys": [KEY.as_dict(private=True), KEY.as_dict(private=True)]}),
        json.dumps({"keys": [ECKey.generate_key("P-256", private=True).as_dict(private=True)]}),
        json.dumps({"keys": [KEY.as_dict(private=True) | {"alg": "RS512"}]}),
        json.dumps({"keys": [KEY.as_dict(private=True) | {"use": "enc"}]}),
    ],
    ids=[
        "empty",
        "junk",
        "list",
        "no-keys",
        "incomplete",
        "public-first",
        "duplicate-kid",
        "ec",
        "other-alg",
        "enc-key",
    ],
)
def test_bad_rings_are_refused_without_echoing_key_material(document):
    with pytest.raises(ValueError) as info:
        load_signing_keys(document)
    assert '"d"' not in str(info.value)


def test_short_rsa_keys_are_refused():
    with pytest.warns(SecurityWarning):
        short = RSAKey.generate_key(1024, private=True).as_dict(private=True)
        with pytest.raises(ValueError, match="shorter than 2048"):
            load_signing_keys(json.dumps({"keys": [short]}))


def test_dev_keys_are_created_once_privately_and_flagged_generated(tmp_path):
    data_dir = tmp_path / "data"
    first = load_or_create_dev_keys(data_dir)
    second = load_or_create_dev_keys(data_dir)

    assert first == second
    assert first.generated is True
    path = data_dir / DEV_KEYS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert [p.name for p in data_dir.iterdir()] == [DEV_KEYS_FILE]  # no temp files left


def test_dev_keys_work_with_the_services(tmp_path):
    material = load_or_create_dev_keys(tmp_path)
    jwt = JwtService(
        load_signing_keys(material.jwt_private_jwks),
        issuer="i",
        audience="a",
        ttls={TokenKind.ACCESS: 60},
        clock=FakeClock(),
    )
    token = jwt.issue(kind=TokenKind.ACCESS, subject="u", tenant_id="t", role="member").token
    assert jwt.verify(token, kind=TokenKind.ACCESS).subject == "u"
    box = FernetSecretBox(material.secret_keys)
    assert box.open(box.seal("s", context="c"), context="c") == "s"


def test_processes_starting_together_agree_on_one_set_of_dev_keys(tmp_path):
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: load_or_create_dev_keys(tmp_path), range(8)))
    assert all(r == results[0] for r in results)
