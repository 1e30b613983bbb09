"""Route classes, layered limits and the validation of a tenant's ``limits`` and ``budget``."""

from __future__ import annotations

from itl_core.quotas.limits import RatePolicy, RequestSubject, request_limits
from itl_core.quotas.validation import quota_errors


def keys_and_counts(
    subject: RequestSubject, policy: RatePolicy | None = None
) -> list[tuple[str, int]]:
    return [(limit.key, limit.limit) for limit in request_limits(policy or RatePolicy(), subject)]


def test_a_signed_in_request_counts_against_tenant_user_and_ip_of_its_class() -> None:
    subject = RequestSubject(route_class="chat", ip="1.2.3.4", tenant_id="acme", user_id="u1")
    assert keys_and_counts(subject) == [
        ("t:acme:rl:chat:tenant", 600),
        ("t:acme:rl:chat:u:u1", 30),
        ("t:acme:rl:chat:ip:1.2.3.4", 120),
    ]


def test_visitors_and_anonymous_callers_have_keys_of_their_own() -> None:
    visitor = RequestSubject(route_class="chat", ip="1.2.3.4", tenant_id="acme", visitor_id="v1")
    anonymous = RequestSubject(route_class="auth", ip="1.2.3.4")
    assert ("t:acme:rl:chat:v:v1", 30) in keys_and_counts(visitor)
    assert keys_and_counts(anonymous) == [("rl:auth:ip:1.2.3.4", 120)]


def test_an_unknown_route_class_is_limited_as_api() -> None:
    subject = RequestSubject(route_class="nonsense", ip="1.2.3.4")
    assert keys_and_counts(subject) == [("rl:api:ip:1.2.3.4", 1_200)]


def test_tenant_overrides_replace_only_what_they_name() -> None:
    policy = RatePolicy().with_overrides({"chat": {"actor": 5, "period_seconds": 10}})
    subject = RequestSubject(route_class="chat", ip="1.2.3.4", tenant_id="acme", user_id="u1")
    limits = request_limits(policy, subject)
    assert [(lim.limit, lim.period_seconds) for lim in limits] == [(600, 10), (5, 10), (120, 10)]
    assert policy.rate_class("api") == RatePolicy().rate_class("api")


def test_valid_quota_settings_pass() -> None:
    settings = {
        "limits": {"chat": {"tenant": 100, "actor": 10, "ip": 20, "period_seconds": 60}},
        "budget": {"daily_tokens": 10_000, "monthly_cost_usd": 12.5, "soft_ratio": 0.9},
    }
    assert quota_errors(settings) == []
    assert quota_errors({}) == []


def test_invalid_quota_settings_name_each_field() -> None:
    settings = {
        "limits": {"chat": {"actor": 0, "burst": 1, "period_seconds": 0.5}, "bogus": {}},
        "budget": {"daily_tokens": 1.5, "monthly_cost_usd": -1, "soft_ratio": 0, "x": 1},
    }
    fields = {e.field for e in quota_errors(settings)}
    assert fields == {
        "settings.limits.chat.actor",
        "settings.limits.chat.burst",
        "settings.limits.chat.period_seconds",
        "settings.limits.bogus",
        "settings.budget.daily_tokens",
        "settings.budget.monthly_cost_usd",
        "settings.budget.soft_ratio",
        "settings.budget.x",
    }
    assert quota_errors({"limits": [], "budget": "lots"}) != []
