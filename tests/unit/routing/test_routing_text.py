"""The routing rules' text handling: folding, stems, typos, specificity; and the lexical share."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from itl_core.agents.model import Agent, AgentKind, RoutingHints
from itl_core.routing.rules import STEM_MATCH, TYPO_MATCH, rule_matches
from itl_core.routing.similarity import content_stems, lexical_scores
from itl_core.routing.text import fold, near, stem, words

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def agent(name: str, *keywords: str) -> Agent:
    return Agent(
        id=f"id-{name}",
        tenant_id="t",
        name=name,
        kind=AgentKind.DOMAIN,
        routing=RoutingHints(keywords=keywords),
        created_at=T0,
        updated_at=T0,
    )


def scores(agents: list[Agent], message: str) -> dict[str, float]:
    return {a.name: score for a, score in rule_matches(agents, message)}


def test_folding_drops_accents_case_and_punctuation():
    assert fold("Où est DÉDOUANEMENT, Straße?") == "ou est dedouanement, strasse?"
    assert [w.form for w in words("Where's ITL-123456?")] == ["where", "s", "itl", "123456"]


@pytest.mark.parametrize(
    "group",
    [
        ("deliver", "delivers", "delivered", "delivering", "delivery", "deliveries"),
        ("price", "prices", "priced", "pricing"),
        ("ship", "ships", "shipped", "shipping"),
        ("delay", "delays", "delayed"),
        ("customs", "custom"),
    ],
)
def test_inflections_share_a_stem(group):
    assert len({stem(word) for word in group}) == 1


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("shipment", "shipmnet", True),  # letters swapped
        ("quote", "qoute", True),
        ("customs", "custms", True),  # letter dropped
        ("tracking", "trackin", True),
        ("clearance", "clearence", True),  # letter replaced in a long word
        ("track", "truck", False),  # replaced in a short word: another real word
        ("export", "expert", False),
        ("rate", "rat", False),  # too short for any slip
        ("quote", "note", False),
        ("parcel", "marcel", False),  # first letters differ
        ("deliver", "deliver", False),  # the same word is a match, not a slip
    ],
)
def test_near_tolerates_one_slip_in_a_long_enough_word(a, b, close):
    assert near(a, b) is close


@given(st.text(alphabet=string.ascii_lowercase, max_size=10), st.text(string.ascii_lowercase))
def test_near_is_symmetric(a, b):
    assert near(a, b) is near(b, a)


def test_a_keyword_as_written_outweighs_its_stem_which_outweighs_a_typo():
    agents = [agent("Tracking", "delivered")]
    assert scores(agents, "was it DELIVERED?") == {"Tracking": 1.0}
    assert scores(agents, "the delivery is late") == {"Tracking": STEM_MATCH}
    assert scores(agents, "was it delivred") == {"Tracking": TYPO_MATCH}
    assert scores(agents, "a deliverable") == {}


def test_accented_keywords_match_unaccented_messages_and_back():
    agents = [agent("Tracking", "où est"), agent("Customs", "dedouanement")]
    assert scores(agents, "ou est mon colis") == {"Tracking": 1.0}
    assert scores(agents, "Dédouanement import") == {"Customs": 1.0}


def test_the_most_specific_phrase_wins_and_each_keyword_and_stretch_counts_once():
    faq, customs = agent("FAQ", "vat number"), agent("Customs", "vat", "import vat")
    assert scores([faq, customs], "What is your VAT number?") == {"FAQ": 1.0}
    assert scores([faq, customs], "How much VAT on imports?") == {"Customs": 1.0}
    tariffs = agent("Customs", "tariff", "tariffs")
    assert scores([tariffs], "tariffs, tariffs and more tariffs") == {"Customs": 1.0}


FOLDABLE = st.text(alphabet=string.ascii_letters + "àéèüößç ,.?!'-", max_size=60)


@settings(max_examples=80, deadline=None)
@given(
    keywords=st.lists(st.text(string.ascii_lowercase + "éü ", min_size=1, max_size=12), max_size=4),
    message=FOLDABLE,
)
def test_keyword_rules_ignore_case(keywords, message):
    agents = [agent(f"a{i}", k) for i, k in enumerate(keywords) if k.strip()]
    assert scores(agents, message) == scores(agents, message.swapcase())


def test_the_lexical_share_weighs_words_few_candidates_use():
    tracking = content_stems("Tracks containers and parcels on their way")
    quotes = content_stems("Prices for containers, pallets and parcels")
    # "containers" is in both vocabularies; "price" only in one: the share follows "price".
    track_share, quote_share = lexical_scores(
        content_stems("price of a container"), [tracking, quotes]
    )
    assert quote_share > track_share > 0
    assert lexical_scores(content_stems("the of and"), [tracking, quotes]) == [0.0, 0.0]
    unknown = lexical_scores(content_stems("zebra giraffe container"), [tracking, quotes])
    assert all(share < 0.5 for share in unknown)  # mostly about something no agent knows


@st.composite
def slipped(draw) -> tuple[str, str]:
    """A word of six to ten letters and the same word with one slip after its first letter."""
    word = draw(st.text(string.ascii_lowercase, min_size=6, max_size=10))
    at = draw(st.integers(1, len(word) - 2))
    kind = draw(st.sampled_from(["drop", "add", "swap"]))
    if kind == "drop":
        return word, word[:at] + word[at + 1 :]
    if kind == "add":
        return word, word[:at] + draw(st.sampled_from(string.ascii_lowercase)) + word[at:]
    return word, word[:at] + word[at + 1] + word[at] + word[at + 2 :]


@settings(max_examples=100, deadline=None)
@given(slipped())
def test_a_keyword_is_found_through_one_slip(pair):
    keyword, typed = pair
    assert near(keyword, typed) or keyword == typed
    [(_, score)] = rule_matches([agent("a", keyword)], f"please {typed} now")
    assert score >= TYPO_MATCH
