"""Contract: RefreshTokenRepository (atomic spend, replay detection, family revocation)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from itl_core.auth.model import SpendOutcome
from itl_core.errors import Conflict, NotFound

from tests.contract.builders import at, refresh_token, user
from tests.contract.conftest import Repositories


@pytest.fixture
async def member(repos: Repositories, two_tenants: tuple[str, str]):
    alice = user(two_tenants[0])
    await repos.users.add(alice)
    return alice


async def test_a_live_token_is_spent_once_and_returned_with_its_spend_time(
    repos: Repositories, member
) -> None:
    token = refresh_token(member)
    await repos.refresh_tokens.add(token)
    result = await repos.refresh_tokens.spend(token.token_hash, at(10))
    assert result.outcome is SpendOutcome.SPENT
    assert result.record == replace(token, spent_at=at(10))


async def test_a_spent_refresh_token_cannot_be_spent_again(repos: Repositories, member) -> None:
    token = refresh_token(member)
    await repos.refresh_tokens.add(token)
    await repos.refresh_tokens.spend(token.token_hash, at(10))
    replay = await repos.refresh_tokens.spend(token.token_hash, at(20))
    assert replay.outcome is SpendOutcome.REPLAYED
    assert replay.record is not None and replay.record.family_id == token.family_id
    assert replay.record.spent_at == at(10)


async def test_concurrent_spends_of_one_token_have_exactly_one_winner(
    repos: Repositories, member
) -> None:
    token = refresh_token(member)
    await repos.refresh_tokens.add(token)
    results = await asyncio.gather(
        *(repos.refresh_tokens.spend(token.token_hash, at(i)) for i in range(4))
    )
    outcomes = sorted(r.outcome.value for r in results)
    assert outcomes == ["replayed", "replayed", "replayed", "spent"]


async def test_an_unknown_hash_is_unknown(repos: Repositories, member) -> None:
    result = await repos.refresh_tokens.spend("0" * 64, at(0))
    assert result.outcome is SpendOutcome.UNKNOWN and result.record is None


async def test_revoking_a_family_makes_its_live_tokens_replays(repos: Repositories, member) -> None:
    first = refresh_token(member)
    second = refresh_token(member, family_id=first.family_id)
    other_family = refresh_token(member)
    for t in (first, second, other_family):
        await repos.refresh_tokens.add(t)
    await repos.refresh_tokens.revoke_family(first.family_id, at(30))
    replay = await repos.refresh_tokens.spend(second.token_hash, at(31))
    assert replay.outcome is SpendOutcome.REPLAYED
    assert replay.record is not None and replay.record.revoked_at == at(30)
    assert (await repos.refresh_tokens.spend(other_family.token_hash, at(31))).outcome is (
        SpendOutcome.SPENT
    )


async def test_revocation_keeps_the_first_revocation_time(repos: Repositories, member) -> None:
    token = refresh_token(member)
    await repos.refresh_tokens.add(token)
    await repos.refresh_tokens.revoke_family(token.family_id, at(30))
    await repos.refresh_tokens.revoke_family(token.family_id, at(90))
    replay = await repos.refresh_tokens.spend(token.token_hash, at(91))
    assert replay.record is not None and replay.record.revoked_at == at(30)


async def test_platform_admin_tokens_are_stored_and_spent(repos: Repositories) -> None:
    admin = user(None)
    await repos.users.add(admin)
    token = refresh_token(admin)
    await repos.refresh_tokens.add(token)
    result = await repos.refresh_tokens.spend(token.token_hash, at(1))
    assert result.outcome is SpendOutcome.SPENT and result.record.tenant_id is None


async def test_a_duplicate_token_hash_conflicts(repos: Repositories, member) -> None:
    token = refresh_token(member)
    await repos.refresh_tokens.add(token)
    with pytest.raises(Conflict):
        await repos.refresh_tokens.add(refresh_token(member, token_hash=token.token_hash))


async def test_a_token_for_an_unknown_user_is_refused(repos: Repositories, member) -> None:
    with pytest.raises(NotFound):
        await repos.refresh_tokens.add(refresh_token(replace(member, id="no-such-user")))


async def test_deleting_a_user_deletes_their_tokens(
    repos: Repositories, two_tenants: tuple[str, str], member
) -> None:
    token = refresh_token(member)
    await repos.refresh_tokens.add(token)
    await repos.users.delete(two_tenants[0], member.id)
    assert (await repos.refresh_tokens.spend(token.token_hash, at(1))).outcome is (
        SpendOutcome.UNKNOWN
    )
