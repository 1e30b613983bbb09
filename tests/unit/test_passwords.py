"""Password hashers: the real Argon2id one and the fast fake share one contract."""

from __future__ import annotations

import re
import statistics
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from itl_adapters.memory.security import FastPasswordHasher
from itl_adapters.security import Argon2PasswordHasher
from itl_adapters.security.passwords import MAX_PASSWORD_LENGTH, password_bytes

# Minimum-cost Argon2id for the contract cases; the production parameters get one test below.
CHEAP_ARGON2 = Argon2PasswordHasher(memory_cost_kib=64, iterations=1, lanes=1)


@pytest.fixture(params=["argon2id", "fake"])
def hasher(request):
    return CHEAP_ARGON2 if request.param == "argon2id" else FastPasswordHasher()


def test_right_password_verifies_and_wrong_one_does_not(hasher):
    encoded = hasher.hash("correct horse battery")
    assert hasher.verify("correct horse battery", encoded)
    assert not hasher.verify("correct horse batterY", encoded)
    assert not hasher.verify("", encoded)


def test_same_password_hashes_differently_each_time(hasher):
    assert hasher.hash("same password") != hasher.hash("same password")


@pytest.mark.parametrize(
    "malformed",
    ["", "plain", "$argon2id$", "$argon2id$v=19$m=64,t=1,p=1$$", "$fake-sha256$", None, b"x"],
)
def test_malformed_hashes_verify_false_without_raising(hasher, malformed):
    assert hasher.verify("whatever password", malformed) is False


def test_truncated_or_altered_hash_verifies_false(hasher):
    encoded = hasher.hash("a password here")
    assert not hasher.verify("a password here", encoded[:-2])
    flipped = encoded[:-1] + ("A" if encoded[-1] != "A" else "B")
    assert not hasher.verify("a password here", flipped)


def test_overlong_password_is_refused_before_hashing(hasher):
    long = "x" * (MAX_PASSWORD_LENGTH + 1)
    assert hasher.verify(long, hasher.hash("x" * MAX_PASSWORD_LENGTH)) is False
    with pytest.raises(ValueError):
        hasher.hash(long)


def test_verify_dummy_returns_nothing_and_never_raises(hasher):
    assert hasher.verify_dummy("anything at all") is None
    assert hasher.verify_dummy("x" * 10_000) is None


def test_normalisation_matches_composed_and_decomposed_forms(hasher):
    encoded = hasher.hash("caf\u00e9 au lait")  # é as one code point
    assert hasher.verify("cafe\u0301 au lait", encoded)  # e + combining acute


ANY_TEXT = st.text(st.characters(categories=["L", "M", "N", "P", "S", "Z", "C", "Cs"]), max_size=40)


@settings(max_examples=50, deadline=None)
@given(password=ANY_TEXT, other=ANY_TEXT)
def test_any_text_round_trips_and_only_its_equivalents_match(password, other):
    hasher = FastPasswordHasher()
    encoded = hasher.hash(password)
    assert hasher.verify(password, encoded)
    if password_bytes(other) != password_bytes(password):
        assert not hasher.verify(other, encoded)


def test_lone_surrogates_do_not_raise(hasher):
    encoded = hasher.hash("pass\ud800word")
    assert hasher.verify("pass\ud800word", encoded)


def test_production_parameters_are_owasp_argon2id():
    encoded = Argon2PasswordHasher().hash("the real thing")
    assert re.fullmatch(
        r"\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}", encoded
    )
    # Hashes carry their parameters: a hasher configured differently still verifies them.
    assert CHEAP_ARGON2.verify("the real thing", encoded)


def test_unknown_user_costs_about_as_much_as_a_wrong_password():
    hasher = Argon2PasswordHasher(memory_cost_kib=8192, iterations=2, lanes=1)
    encoded = hasher.hash("the account's password")

    def median_seconds(action) -> float:
        runs = []
        for _ in range(7):
            start = time.perf_counter()
            action()
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    wrong = median_seconds(lambda: hasher.verify("a wrong guess", encoded))
    unknown = median_seconds(lambda: hasher.verify_dummy("a wrong guess"))
    assert 0.5 < unknown / wrong < 2.0
