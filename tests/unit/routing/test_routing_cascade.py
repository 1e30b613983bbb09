"""The supervisor's cascade: rule, similarity, llm, sticky, fallback; one decision per call."""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from itl_adapters.llm.offline import OfflineEmbedder
from itl_adapters.memory.llm import ScriptedChatModel, StaticModelResolver, text_step
from itl_core.agents.model import Agent, AgentKind, RoutingHints
from itl_core.errors import Conflict, ProviderFailed
from itl_core.routing import RoutingMethod, RoutingPolicy, SupervisorRouter
from itl_core.routing.classifier import parse_choice

from tests.unit.routing.blind_cases import BLIND
from tests.unit.routing.demo_agents import demo_agents
from tests.unit.routing.frozen_held_out import FROZEN_FOLLOW_UPS, FROZEN_HELD_OUT
from tests.unit.routing.routing_cases import CASES, HELD_OUT

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def agent(
    name: str,
    *,
    keywords=(),
    patterns=(),
    examples=(),
    description="",
    kind=AgentKind.DOMAIN,
    priority=0,
) -> Agent:
    return Agent(
        id=f"id-{name}",
        tenant_id="t",
        name=name,
        kind=kind,
        description=description,
        routing=RoutingHints(
            keywords=tuple(keywords),
            patterns=tuple(patterns),
            examples=tuple(examples),
            priority=priority,
        ),
        created_at=T0,
        updated_at=T0,
    )


class CountingEmbedder:
    """The offline embedder, counting the texts it embeds."""

    def __init__(self) -> None:
        self._inner, self.texts = OfflineEmbedder(), 0

    @property
    def dimensions(self) -> int:
        return self._inner.dimensions

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.texts += len(texts)
        return await self._inner.embed(texts)


def router(model: ScriptedChatModel | None = None, provider: str = "openai") -> SupervisorRouter:
    resolver = None if model is None else StaticModelResolver(model, provider=provider, model="m")
    return SupervisorRouter(OfflineEmbedder(), resolver)


TRACK = agent(
    "Tracking",
    keywords=("where is my",),
    patterns=(r"\bITL-\d{6}\b",),
    description="Tracks shipments and containers.",
)
QUOTE = agent("Quotes", keywords=("price", "quote"), description="Freight prices and bookings.")
BOSS = agent("Boss", kind=AgentKind.SUPERVISOR, description="Routes.")


def accuracy(decisions: list[str], cases) -> float:
    return sum(d == label for d, (_, label) in zip(decisions, cases, strict=True)) / len(cases)


async def route_all(cases) -> list[str]:
    domain, supervisor = demo_agents()
    demo_router = SupervisorRouter(OfflineEmbedder())
    return [
        (await demo_router.route(text, agents=domain, supervisor=supervisor)).agent.name
        for text, _ in cases
    ]


async def test_the_offline_cascade_routes_the_labelled_logistics_set_at_90_percent_or_better():
    assert len(CASES) >= 60
    assert accuracy(await route_all(CASES), CASES) >= 0.90  # 68/68 measured


# Floors against regressions, a little below what was measured: these sets were never used to
# tune the hints (see their modules for how each was written).
@pytest.mark.parametrize(
    ("cases", "floor"),
    [
        pytest.param(HELD_OUT, 0.88, id="held-out-25"),  # 23/25 = 0.92 measured
        pytest.param(FROZEN_HELD_OUT, 0.90, id="frozen-held-out-81"),  # 77/81 = 0.951 measured
        pytest.param(BLIND, 0.76, id="blind-50"),  # 40/50 = 0.80 measured, scored once
    ],
)
async def test_the_offline_cascade_generalises_to_messages_never_used_for_tuning(cases, floor):
    assert accuracy(await route_all(cases), cases) >= floor


async def test_follow_ups_stay_in_the_session_unless_they_clearly_belong_elsewhere():
    domain, supervisor = demo_agents()
    by_name = {a.name: a for a in domain}
    demo_router = SupervisorRouter(OfflineEmbedder())
    routed = [
        (
            await demo_router.route(
                text, agents=domain, supervisor=supervisor, current_agent_id=by_name[current].id
            )
        ).agent.name
        for current, text, _ in FROZEN_FOLLOW_UPS
    ]
    hits = sum(
        got == expected for got, (_, _, expected) in zip(routed, FROZEN_FOLLOW_UPS, strict=True)
    )
    assert hits >= len(FROZEN_FOLLOW_UPS) - 1  # 12/12 measured


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("where is my shipment ITL-123456?", "Shipment Tracking"),
        ("how much does a pallet to Hamburg cost?", "Quotes & Booking"),
        ("I want to talk to a person", "Human Handoff"),
        ("What are your opening hours?", "General FAQ"),
    ],
)
async def test_the_demo_routes_of_the_issue(message: str, expected: str):
    assert await route_all([(message, expected)]) == [expected]


async def test_a_pattern_hit_decides_by_rule_case_insensitive_keywords_as_whole_words():
    r = router()
    assert (
        await r.route("status of ITL-123456", agents=[QUOTE, TRACK])
    ).method is RoutingMethod.RULE
    decision = await r.route("WHERE  IS MY box", agents=[QUOTE, TRACK])
    assert (decision.agent, decision.method) == (TRACK, RoutingMethod.RULE)
    assert (
        await r.route("a priceless vase", agents=[QUOTE, TRACK])
    ).method is not RoutingMethod.RULE


async def test_more_rule_hits_win_and_a_tie_narrows_the_candidates():
    r = router()
    decision = await r.route("where is my price quote", agents=[TRACK, QUOTE])
    assert (decision.agent, decision.method, decision.confidence) == (
        QUOTE,
        RoutingMethod.RULE,
        0.75,
    )
    tie = await r.route("where is my price", agents=[TRACK, QUOTE, agent("Other")])
    assert tie.agent in (TRACK, QUOTE) and tie.method is not RoutingMethod.RULE


async def test_the_highest_priority_wins_a_rule_tie_and_never_a_higher_score():
    human = agent("Human", keywords=("human", "person"), priority=1)
    r = router()

    tie = await r.route("ITL-123456: a person, a human!", agents=[TRACK, human, QUOTE])
    assert (tie.agent, tie.method, tie.confidence) == (human, RoutingMethod.RULE, 0.5)
    outscored = await r.route("where is my ITL-123456, human?", agents=[TRACK, human])
    assert (outscored.agent, outscored.method) == (TRACK, RoutingMethod.RULE)
    equal = await r.route("where is my price", agents=[TRACK, QUOTE, human])
    assert equal.agent in (TRACK, QUOTE) and equal.method is not RoutingMethod.RULE


async def test_a_demo_customer_asking_for_a_human_beside_a_tracking_number_gets_one():
    domain, supervisor = demo_agents()
    for message in (
        "Where is ITL-123456? I want to speak to a human",
        "I want to talk to a person about ITL-123456",
    ):
        decision = await router().route(message, agents=domain, supervisor=supervisor)
        assert (decision.agent.name, decision.method) == ("Human Handoff", RoutingMethod.RULE)
    tracked = await router().route("Where is ITL-123456?", agents=domain, supervisor=supervisor)
    assert tracked.agent.name == "Shipment Tracking"


async def test_similarity_decides_when_no_rule_matches():
    decision = await router().route("containers shipments tracked", agents=[QUOTE, TRACK])
    assert (decision.agent, decision.method) == (TRACK, RoutingMethod.SIMILARITY)


async def test_the_llm_classifies_only_ambiguous_messages_and_is_parsed_strictly():
    model = ScriptedChatModel(text_step('{"agent": "Quotes", "confidence": 0.9}'))
    r = router(model)

    decision = await r.route("hmm", agents=[TRACK, QUOTE], supervisor=BOSS)
    assert (decision.agent, decision.method, decision.confidence) == (QUOTE, RoutingMethod.LLM, 0.9)
    await r.route("ITL-123456", agents=[TRACK, QUOTE], supervisor=BOSS)
    assert len(model.requests) == 1  # a rule decided; the model was not asked


async def test_the_llm_sees_each_agents_examples_and_the_sessions_current_agent():
    quotes = replace(QUOTE, routing=RoutingHints(examples=("a", "b", "c", "not shown")))
    model = ScriptedChatModel(
        text_step('{"agent": "Tracking", "confidence": 0.9}'),
        text_step('{"agent": "Tracking", "confidence": 0.9}'),
    )
    r = router(model)
    await r.route("hmm", agents=[TRACK, quotes], supervisor=BOSS, current_agent_id=quotes.id)
    await r.route("hmm", agents=[TRACK, quotes], supervisor=BOSS)
    with_session, without = (request.messages[0].content for request in model.requests)
    assert '- Quotes: Freight prices and bookings. Examples: "a"; "b"; "c"' in with_session
    assert "not shown" not in with_session
    assert "currently with Quotes: choose it unless" in with_session
    assert "currently with" not in without


@pytest.mark.parametrize(
    "answer",
    [
        '```json\n{"agent": "Quotes", "confidence": 0.9}\n```',
        '{"agent": "Nobody", "confidence": 1}',
        '{"agent": "Quotes", "confidence": 1.5}',
        '{"agent": "Quotes"}',
        "Quotes",
        '{"agent": "Quotes", "confidence": true}',
    ],
)
async def test_a_malformed_classification_falls_through_to_sticky(answer: str):
    r = router(ScriptedChatModel(text_step(answer)))
    decision = await r.route(
        "hmm", agents=[TRACK, QUOTE], supervisor=BOSS, current_agent_id=TRACK.id
    )
    assert (decision.agent, decision.method) == (TRACK, RoutingMethod.STICKY)
    assert parse_choice(answer, ["Quotes"]) is None


async def test_a_failing_or_offline_supervisor_model_never_fails_routing():
    failing = ScriptedChatModel([ProviderFailed("down")])
    decision = await router(failing).route("hmm", agents=[TRACK, QUOTE], supervisor=BOSS)
    assert (decision.agent, decision.method) == (TRACK, RoutingMethod.FALLBACK)
    offline = ScriptedChatModel()
    await router(offline, provider="offline").route("hmm", agents=[TRACK, QUOTE], supervisor=BOSS)
    assert offline.requests == []


async def test_sticky_keeps_the_sessions_agent_unless_a_rule_says_otherwise():
    r = router()
    follow_up = await r.route("and tomorrow?", agents=[TRACK, QUOTE], current_agent_id=QUOTE.id)
    assert (follow_up.agent, follow_up.method) == (QUOTE, RoutingMethod.STICKY)
    elsewhere = await r.route("ITL-123456?", agents=[TRACK, QUOTE], current_agent_id=QUOTE.id)
    assert (elsewhere.agent, elsewhere.method) == (TRACK, RoutingMethod.RULE)


async def test_similarity_moves_a_session_only_with_a_clear_lead_over_its_agent():
    alpha = agent("Alpha", description="alpha beta")
    gamma = agent("Gamma", description="alpha gamma")

    # Lexical only: "beta" is Alpha's alone, "alpha" both agents'; Alpha leads by about 0.61.
    def lead_needed(margin: float) -> SupervisorRouter:
        policy = RoutingPolicy(lexical_weight=1.0, min_margin=0.0, min_switch_margin=margin)
        return SupervisorRouter(OfflineEmbedder(), policy=policy)

    fresh = await lead_needed(0.7).route("beta alpha", agents=[gamma, alpha])
    assert (fresh.agent, fresh.method) == (alpha, RoutingMethod.SIMILARITY)
    stays = await lead_needed(0.7).route(
        "beta alpha", agents=[gamma, alpha], current_agent_id=gamma.id
    )
    assert (stays.agent, stays.method) == (gamma, RoutingMethod.STICKY)
    moves = await lead_needed(0.5).route(
        "beta alpha", agents=[gamma, alpha], current_agent_id=gamma.id
    )
    assert (moves.agent, moves.method) == (alpha, RoutingMethod.SIMILARITY)
    model = ScriptedChatModel()  # no step: asking it would fail the test
    resolver = StaticModelResolver(model, provider="openai", model="m")
    policy = RoutingPolicy(lexical_weight=1.0, min_margin=0.0, min_switch_margin=0.7)
    kept = await SupervisorRouter(OfflineEmbedder(), resolver, policy).route(
        "beta alpha", agents=[gamma, alpha], supervisor=BOSS, current_agent_id=alpha.id
    )
    assert (kept.agent, kept.method, model.requests) == (alpha, RoutingMethod.SIMILARITY, [])


async def test_fallback_is_the_first_agent_then_the_supervisor_then_a_conflict():
    r = router()
    assert (await r.route("hmm", agents=[TRACK, QUOTE])).agent is TRACK
    assert (await r.route("hmm", agents=[], supervisor=BOSS)).agent is BOSS
    with pytest.raises(Conflict):
        await r.route("hmm", agents=[])


async def test_agent_vectors_are_cached_per_agent_version():
    embedder = CountingEmbedder()
    r = SupervisorRouter(embedder)
    agents = [replace(TRACK, routing=RoutingHints()), replace(QUOTE, routing=RoutingHints())]
    await r.route("one", agents=agents)
    first = embedder.texts
    await r.route("two", agents=agents)
    assert embedder.texts == first + 1  # only the message
    edited = [replace(agents[0], updated_at=T0 + timedelta(seconds=1)), agents[1]]
    await r.route("three", agents=edited)
    assert embedder.texts == first + 1 + 2  # the message and the edited agent's one text


WORD = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=8)


@settings(max_examples=60, deadline=None)
@given(
    keywords=st.lists(WORD, min_size=2, max_size=6, unique=True),
    chosen=st.integers(min_value=0),
    filler=st.lists(st.sampled_from(["please", "thanks", "hello", "now", "the"]), max_size=5),
)
async def test_a_message_matching_exactly_one_agents_rule_goes_to_it(keywords, chosen, filler):
    agents = [agent(f"a{i}", keywords=(k,)) for i, k in enumerate(keywords)]
    target = chosen % len(agents)
    message = " ".join([*filler, keywords[target], *filler])
    if sum(k in message.split() for k in keywords) != 1:
        return  # a filler word happened to be another agent's keyword
    decision = await router().route(message, agents=agents)
    assert (decision.agent, decision.method) == (agents[target], RoutingMethod.RULE)


@settings(max_examples=60, deadline=None)
@given(
    keywords=st.lists(WORD, min_size=2, max_size=6, unique=True),
    priorities=st.lists(st.integers(min_value=0, max_value=3), min_size=6, max_size=6),
)
async def test_a_rule_tie_goes_to_the_single_highest_priority_or_stays_open(keywords, priorities):
    agents = [agent(f"a{i}", keywords=(k,), priority=priorities[i]) for i, k in enumerate(keywords)]
    decision = await router().route(" ".join(keywords), agents=agents)  # every agent ties
    top = max(a.routing.priority for a in agents)
    leaders = [a for a in agents if a.routing.priority == top]
    if len(leaders) == 1:
        assert (decision.agent, decision.method) == (leaders[0], RoutingMethod.RULE)
    else:
        assert decision.agent in leaders and decision.method is not RoutingMethod.RULE


@settings(max_examples=40, deadline=None)
@given(
    message=st.text(min_size=1, max_size=120),
    current=st.sampled_from([None, "id-Tracking", "id-Quotes"]),
)
async def test_routing_is_deterministic_and_decides_once(message, current):
    agents = [TRACK, QUOTE]
    fresh = await router().route(message, agents=agents, current_agent_id=current)
    warm_router = router()
    await warm_router.route("warm the cache", agents=agents)
    warm = await warm_router.route(message, agents=agents, current_agent_id=current)
    assert (fresh.agent, fresh.method, fresh.confidence) == (
        warm.agent,
        warm.method,
        warm.confidence,
    )
    assert fresh.agent in agents and 0.0 <= fresh.confidence <= 1.0
