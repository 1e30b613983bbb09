"""FernetSecretBox: secrets open only under the context they were sealed for, and keys rotate."""

from __future__ import annotations

import base64

import pytest
from cryptography.fernet import Fernet, InvalidToken
from hypothesis import given, settings
from hypothesis import strategies as st
from itl_adapters.security import FernetSecretBox, SecretUnreadable
from itl_core.errors import UpstreamUnavailable

NEW, OLD = Fernet.generate_key().decode(), Fernet.generate_key().decode()
OPENAI_ACME = "tenant:acme:provider_key:openai"


def test_sealed_secret_opens_under_its_context():
    box = FernetSecretBox([NEW])
    sealed = box.seal("sk-live-123", context=OPENAI_ACME)
    assert isinstance(sealed, bytes)
    assert b"sk-live" not in sealed
    assert box.open(sealed, context=OPENAI_ACME) == "sk-live-123"


@given(secret=st.text(), context=st.text(min_size=1))
def test_round_trip_for_any_text_and_context(secret, context):
    box = FernetSecretBox([NEW])
    assert box.open(box.seal(secret, context=context), context=context) == secret


@pytest.mark.parametrize(
    "elsewhere",
    [
        "tenant:globex:provider_key:openai",  # same purpose, another tenant's row
        "tenant:acme:provider_key:anthropic",  # same tenant, another purpose
        "tenant:acme:tool_credential:openai",
        "tenant:acme:provider_key:openai ",
        "tenant:acme:provider_key:OpenAI",
    ],
)
def test_ciphertext_moved_to_another_context_does_not_open(elsewhere):
    box = FernetSecretBox([NEW])
    sealed = box.seal("sk-live-123", context=OPENAI_ACME)
    with pytest.raises(SecretUnreadable):
        box.open(sealed, context=elsewhere)


def test_unreadable_secret_is_a_non_retryable_upstream_failure():
    box = FernetSecretBox([NEW])
    with pytest.raises(UpstreamUnavailable) as info:
        box.open(box.seal("s", context="a"), context="b")
    assert info.value.retryable is False
    assert "s" not in info.value.message.split()  # the message never echoes a secret


@settings(max_examples=300)
@given(data=st.data())
def test_any_tampered_byte_is_detected(data):
    box = FernetSecretBox([NEW])
    sealed = bytearray(box.seal("sk-live-123", context=OPENAI_ACME))
    index = data.draw(st.integers(0, len(sealed) - 1))
    value = data.draw(st.integers(0, 255).filter(lambda b: b != sealed[index]))
    sealed[index] = value
    with pytest.raises(SecretUnreadable):
        box.open(bytes(sealed), context=OPENAI_ACME)


@pytest.mark.parametrize(
    "junk", [b"", b"not a token", b"gAAAAA", base64.urlsafe_b64encode(b"x" * 80), "text", None]
)
def test_junk_ciphertext_is_unreadable(junk):
    with pytest.raises(SecretUnreadable):
        FernetSecretBox([NEW]).open(junk, context=OPENAI_ACME)


def test_first_key_in_the_configured_list_seals_and_every_key_opens():
    sealed = FernetSecretBox([NEW, OLD]).seal("s3cret", context=OPENAI_ACME)
    assert FernetSecretBox([NEW]).open(sealed, context=OPENAI_ACME) == "s3cret"
    with pytest.raises(SecretUnreadable):
        FernetSecretBox([OLD]).open(sealed, context=OPENAI_ACME)
    older = FernetSecretBox([OLD]).seal("s3cret", context=OPENAI_ACME)
    assert FernetSecretBox([NEW, OLD]).open(older, context=OPENAI_ACME) == "s3cret"


def test_rotate_re_seals_under_the_newest_key_for_the_same_context():
    old_sealed = FernetSecretBox([OLD]).seal("s3cret", context=OPENAI_ACME)
    rotating = FernetSecretBox([NEW, OLD])

    rotated = rotating.rotate(old_sealed, context=OPENAI_ACME)

    # After rotation the old key can be dropped from the ring.
    assert FernetSecretBox([NEW]).open(rotated, context=OPENAI_ACME) == "s3cret"
    with pytest.raises(SecretUnreadable):
        FernetSecretBox([NEW]).open(rotated, context="tenant:globex:provider_key:openai")
    with pytest.raises(SecretUnreadable):
        rotating.rotate(old_sealed, context="tenant:globex:provider_key:openai")


def test_a_ciphertext_whose_key_was_dropped_is_unreadable():
    sealed = FernetSecretBox([OLD]).seal("s3cret", context=OPENAI_ACME)
    with pytest.raises(SecretUnreadable):
        FernetSecretBox([NEW]).open(sealed, context=OPENAI_ACME)


def test_plain_fernet_with_the_master_key_cannot_open_it():
    # The master key never encrypts directly: only the per-context derived key does.
    sealed = FernetSecretBox([NEW]).seal("s3cret", context=OPENAI_ACME)
    with pytest.raises(InvalidToken):
        Fernet(NEW).decrypt(sealed)


@pytest.mark.parametrize("keys", [[], ["not-a-key"], [NEW, "short"], [NEW[:-2]]])
def test_bad_key_configuration_fails_at_construction_without_echoing_keys(keys):
    with pytest.raises(ValueError) as info:
        FernetSecretBox(keys)
    for key in keys:
        assert key not in str(info.value)


def test_empty_context_is_a_programming_error():
    with pytest.raises(ValueError):
        FernetSecretBox([NEW]).seal("x", context="")
