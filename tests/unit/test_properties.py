"""Domain invariants that must hold for every input, not only for the examples we thought of."""

from __future__ import annotations

import base64
import math
import re
import string
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import assume, event, given
from hypothesis import strategies as st
from itl_adapters.memory.store import page_from
from itl_core.access import Principal, Role, target_tenant
from itl_core.agents.model import (
    MAX_HINT_LENGTH,
    MAX_HINTS,
    MAX_TOKENS_CEILING,
    MAX_TOOLS,
    PROVIDERS,
    Agent,
    AgentKind,
    RoutingHints,
    agent_errors,
)
from itl_core.errors import NotFound, PermissionDenied, ValidationFailed
from itl_core.ids import is_slug
from itl_core.pagination import CursorKey, PageRequest, decode_cursor, encode_cursor
from itl_core.users.use_cases import user_scope

# --- slugs -------------------------------------------------------------------------------------

SLUG_ALPHABET = string.ascii_lowercase + string.digits + "-"
ALNUM = string.ascii_lowercase + string.digits


def is_slug_by_the_docstring(value: str) -> bool:
    """The rule as written for people: a-z, 0-9 and inner dashes, 1 to 63 characters."""
    return (
        1 <= len(value) <= 63
        and all(c in SLUG_ALPHABET for c in value)
        and not value.startswith("-")
        and not value.endswith("-")
    )


slugs = st.builds(
    lambda first, middle, last: first + middle + last,
    st.sampled_from(ALNUM),
    st.text(SLUG_ALPHABET, max_size=61),
    st.sampled_from(["", *ALNUM]),
).filter(lambda s: not s.endswith("-"))

slug_like = st.text(st.sampled_from(SLUG_ALPHABET + "A-Z_. \n\t\u0430\u00e9"), max_size=70)


@given(st.one_of(slug_like, slugs, st.text()))
def test_is_slug_agrees_with_the_documented_rule(value):
    assert is_slug(value) == is_slug_by_the_docstring(value)


@given(slugs)
def test_every_generated_slug_is_valid(slug):
    assert is_slug(slug)


@given(slugs, st.data())
def test_a_slug_with_an_uppercase_letter_is_invalid(slug, data):
    letters = [i for i, c in enumerate(slug) if c.isalpha()]
    assume(letters)
    i = data.draw(st.sampled_from(letters))
    assert not is_slug(slug[:i] + slug[i].upper() + slug[i + 1 :])


@given(slugs)
def test_a_leading_or_trailing_dash_makes_a_slug_invalid(slug):
    assert not is_slug("-" + slug[:62])
    assert not is_slug(slug[:62] + "-")


@given(st.text(SLUG_ALPHABET, min_size=64, max_size=200))
def test_a_slug_is_at_most_63_characters(value):
    assert not is_slug(value)


# --- agent bounds ------------------------------------------------------------------------------

NOW = datetime(2025, 1, 1, tzinfo=UTC)

non_blank = st.text(min_size=1, max_size=40).filter(str.strip)
hint_entries = st.text(max_size=MAX_HINT_LENGTH).filter(str.strip)
patterns = st.one_of(
    st.sampled_from([r"\b\d{10}\b", r"[A-Z]{2}\d{9}[A-Z]{2}", r"(?i)refund", r"^order\s+#?\d+$"]),
    st.text(max_size=MAX_HINT_LENGTH // 2).filter(str.strip).map(re.escape),
)
routing = st.builds(
    RoutingHints,
    keywords=st.lists(hint_entries, max_size=MAX_HINTS).map(tuple),
    patterns=st.lists(patterns, max_size=10).map(tuple),
    examples=st.lists(hint_entries, max_size=10).map(tuple),
)
valid_agents = st.builds(
    Agent,
    id=st.uuids().map(str),
    tenant_id=slugs,
    name=st.text(min_size=1, max_size=100).filter(str.strip),
    kind=st.sampled_from(AgentKind),
    description=st.text(max_size=2_000),
    system_prompt=st.text(max_size=500),
    provider=st.sampled_from(PROVIDERS),
    model=st.text(min_size=1, max_size=200).filter(str.strip),
    temperature=st.floats(min_value=0.0, max_value=2.0),
    max_tokens=st.integers(min_value=1, max_value=MAX_TOKENS_CEILING),
    tool_ids=st.lists(non_blank, max_size=MAX_TOOLS, unique=True).map(tuple),
    routing=routing,
    is_active=st.booleans(),
    created_at=st.just(NOW),
    updated_at=st.just(NOW),
)
bad_temperatures = st.one_of(
    st.floats(max_value=0.0, exclude_max=True),
    st.floats(min_value=2.0, exclude_min=True),
    st.just(math.nan),
)
bad_max_tokens = st.one_of(st.integers(max_value=0), st.integers(min_value=MAX_TOKENS_CEILING + 1))


@given(valid_agents)
def test_every_agent_within_its_bounds_is_valid(agent):
    assert agent_errors(agent) == []


@given(valid_agents, bad_temperatures)
def test_any_temperature_outside_0_to_2_is_refused(agent, temperature):
    errors = agent_errors(replace(agent, temperature=temperature))
    assert {e.field for e in errors} == {"temperature"}


@given(valid_agents, bad_max_tokens)
def test_any_max_tokens_outside_1_to_32768_is_refused(agent, max_tokens):
    errors = agent_errors(replace(agent, max_tokens=max_tokens))
    assert {e.field for e in errors} == {"max_tokens"}


# --- cursors -----------------------------------------------------------------------------------

# Offsets in whole seconds, like every real zone: Python 3.11's fromisoformat drops the
# microseconds of an offset, and our timestamps come from the UTC clock anyway.
fixed_offsets = st.integers(min_value=-86_399, max_value=86_399).map(
    lambda s: timezone(timedelta(seconds=s))
)
aware_datetimes = st.datetimes(timezones=st.one_of(st.timezones(), fixed_offsets))
ids = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1)


def same_moment_and_offset(a: datetime, b: datetime) -> bool:
    # Aware == compares instants, but inter-zone == is False for folded times (PEP 495).
    return a.replace(tzinfo=None) == b.replace(tzinfo=None) and a.utcoffset() == b.utcoffset()


@given(aware_datetimes, ids)
def test_a_cursor_decodes_to_the_key_it_encodes(created_at, ident):
    decoded = decode_cursor(encode_cursor(CursorKey(created_at=created_at, id=ident)))
    assert decoded.id == ident
    assert same_moment_and_offset(decoded.created_at, created_at)


@given(aware_datetimes, ids)
def test_a_cursor_is_url_safe(created_at, ident):
    cursor = encode_cursor(CursorKey(created_at=created_at, id=ident))
    assert set(cursor) <= set(string.ascii_letters + string.digits + "-_")


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


cursor_like = st.one_of(
    st.text(),
    st.text(string.ascii_letters + string.digits + "-_=+/"),
    st.binary().map(b64),
    st.text().map(lambda s: b64(s.encode())),
    st.tuples(st.text(), st.text()).map(lambda p: b64(f"{p[0]}|{p[1]}".encode())),
    st.tuples(st.datetimes(), st.text()).map(lambda p: b64(f"{p[0].isoformat()}|{p[1]}".encode())),
    st.tuples(aware_datetimes, st.text(min_size=1, max_size=3)).map(
        lambda p: b64(f"{p[0].isoformat()}|{p[1]}".encode())
    ),
)


@given(cursor_like)
def test_any_text_either_decodes_to_a_stable_key_or_is_a_validation_error(text):
    try:
        key = decode_cursor(text)
    except ValidationFailed as e:
        assert [f.field for f in e.errors] == ["cursor"]
        event("refused")
        return
    event("decoded")
    assert key.id and key.created_at.tzinfo is not None
    again = decode_cursor(encode_cursor(key))
    assert again.id == key.id and same_moment_and_offset(again.created_at, key.created_at)


@given(cursor_like, st.one_of(st.none(), st.integers()))
def test_parsing_a_page_request_raises_nothing_but_validation_errors(cursor, limit):
    try:
        PageRequest.parse(limit, cursor)
    except ValidationFailed:
        pass


class Row:
    def __init__(self, created_at: datetime, id: str) -> None:
        self.created_at, self.id = created_at, id


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=5), st.uuids().map(str)),
        unique_by=lambda r: r[1],
        max_size=40,
    ),
    st.integers(min_value=1, max_value=12),
)
def test_following_cursors_visits_every_row_once_in_order(rows, limit):
    table = [Row(NOW + timedelta(seconds=s), ident) for s, ident in rows]
    seen, cursor = [], None
    for _ in range(len(table) + 2):
        page = page_from(table, PageRequest.parse(limit, cursor))
        assert len(page.items) <= limit
        seen += [r.id for r in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert cursor is None
    assert seen == [r.id for r in sorted(table, key=lambda r: (r.created_at, r.id))]


# --- access ------------------------------------------------------------------------------------

tenant_ids = st.one_of(slugs, st.text(min_size=1, max_size=10))
tenant_principals = st.builds(
    Principal,
    user_id=st.uuids().map(str),
    tenant_id=tenant_ids,
    role=st.sampled_from([r for r in Role if r is not Role.PLATFORM_ADMIN]),
)
platform_principals = st.builds(
    Principal, user_id=st.uuids().map(str), tenant_id=st.none(), role=st.just(Role.PLATFORM_ADMIN)
)


@given(tenant_principals, st.data())
def test_target_tenant_never_hands_a_tenant_user_another_tenant(principal, data):
    requested = data.draw(st.one_of(st.none(), st.just(principal.tenant_id), st.text(), tenant_ids))
    try:
        tenant = target_tenant(principal, requested)
    except NotFound:
        assert requested is not None and requested != principal.tenant_id
        return
    assert tenant == principal.tenant_id


@given(platform_principals, st.one_of(st.none(), st.text(max_size=10), tenant_ids))
def test_target_tenant_for_a_platform_admin_is_the_named_one(principal, requested):
    if not requested:
        with pytest.raises(ValidationFailed):
            target_tenant(principal, requested)
    else:
        assert target_tenant(principal, requested) == requested


@given(tenant_principals, st.data())
def test_user_scope_never_reaches_outside_a_tenant_admins_tenant(principal, data):
    requested = data.draw(st.one_of(st.none(), st.just(principal.tenant_id), tenant_ids))
    try:
        scope = user_scope(principal, requested)
    except PermissionDenied:
        assert principal.role is not Role.TENANT_ADMIN
        return
    except NotFound:
        assert requested is not None and requested != principal.tenant_id
        return
    assert principal.role is Role.TENANT_ADMIN
    assert scope == principal.tenant_id
