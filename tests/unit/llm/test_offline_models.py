"""The offline chat model and embedder: deterministic, network-free, useful."""

from __future__ import annotations

import json
import math

from itl_adapters.llm.offline import OfflineChatModel, OfflineEmbedder
from itl_adapters.tools.demo import TOOL_NAME, tracking_config
from itl_core.chat.runner import delimit
from itl_core.llm.model import (
    ChatMessage,
    ChatRequest,
    Finished,
    FinishReason,
    TextDelta,
    ToolCall,
    ToolCallComplete,
    ToolDefinition,
    collect,
)

TRACK = ToolDefinition(
    name="track_parcel",
    description="Track a parcel by its tracking number.",
    parameters={
        "type": "object",
        "properties": {"limit": {"type": "integer"}, "tracking_number": {"type": "string"}},
        "required": ["tracking_number"],
    },
)
WEATHER = ToolDefinition(name="weather", description="Current weather for a city.")


def request(*messages: ChatMessage, tools=()) -> ChatRequest:
    return ChatRequest(model="offline", messages=messages, tools=tuple(tools))


async def test_streams_word_by_word_and_says_it_is_offline():
    events = [e async for e in OfflineChatModel().stream(request(ChatMessage.user("Hello")))]

    words = [e.text for e in events if isinstance(e, TextDelta)]
    assert len(words) > 5 and all(len(w.split()) == 1 for w in words)
    assert "offline assistant" in "".join(words)
    assert events[-1] == Finished(reason=FinishReason.STOP)


async def test_calls_the_tool_matching_the_user_message():
    response = await OfflineChatModel().complete(
        request(ChatMessage.user("Where is my parcel 1Z999?"), tools=[WEATHER, TRACK])
    )

    assert response.finish_reason is FinishReason.TOOL_CALLS
    [call] = response.tool_calls
    assert call.name == "track_parcel"
    assert call.arguments == {"tracking_number": "Where is my parcel 1Z999?"}


async def test_calls_no_tool_when_none_matches():
    response = await OfflineChatModel().complete(
        request(ChatMessage.user("Tell me a joke"), tools=[TRACK])
    )

    assert response.tool_calls == () and response.finish_reason is FinishReason.STOP


async def test_answers_from_the_tool_results_of_the_turn():
    call = ToolCall(id="offline-call-0", name="track_parcel", arguments={})
    response = await OfflineChatModel().complete(
        request(
            ChatMessage.system("You track parcels."),
            ChatMessage.user("Where is my parcel?"),
            ChatMessage.assistant(tool_calls=(call,)),
            ChatMessage.tool("offline-call-0", "Parcel 1Z999 is out for delivery."),
            tools=[TRACK],
        )
    )

    assert response.tool_calls == ()  # it does not call the tool again
    assert "Here is what I found" in response.text
    assert "track_parcel Parcel 1Z999 is out for delivery." in response.text


async def test_quotes_tool_results_without_the_chat_cores_delimiters():
    call = ToolCall(id="offline-call-0", name="track_parcel", arguments={})
    wrapped = delimit("track_parcel", "Parcel 1Z999 is out for delivery.")
    response = await OfflineChatModel().complete(
        request(
            ChatMessage.user("Where is my parcel?"),
            ChatMessage.assistant(tool_calls=(call,)),
            ChatMessage.tool("offline-call-0", wrapped),
            tools=[TRACK],
        )
    )

    assert "<tool_output" not in response.text and "</tool_output>" not in response.text
    assert "track_parcel Parcel 1Z999 is out for delivery." in response.text


SHIPMENT = {  # the demo tracking tool's answer, as the HTTP tool passes it on
    "status": 200,
    "result": {
        "number": "ITL-123456",
        "status": "in_transit",
        "location": "At sea, bound for Le Havre, FR",
        "eta": "2026-11-29",
        "events": [
            {"date": "2026-11-19", "location": "Shanghai, CN", "description": "Booked"},
            {"date": "2026-11-21", "location": "Shanghai, CN", "description": "Picked up"},
            {"date": "2026-11-23", "location": "Shanghai, CN", "description": "Loaded"},
            {"date": "2026-11-25", "location": "At sea", "description": "In transit"},
        ],
    },
}


async def answer_from_tool(content: str, *, is_error: bool = False) -> str:
    call = ToolCall(id="offline-call-0", name="track_shipment", arguments={})
    response = await OfflineChatModel().complete(
        request(
            ChatMessage.user("Where is ITL-123456?"),
            ChatMessage.assistant(tool_calls=(call,)),
            ChatMessage.tool(
                "offline-call-0", delimit("track_shipment", content), is_error=is_error
            ),
        )
    )
    return response.text


async def test_reads_a_json_tool_result_out_as_plain_lines():
    text = await answer_from_tool(json.dumps(SHIPMENT, separators=(",", ":")))

    assert text.startswith("I'm the offline assistant")
    assert "{" not in text and '"' not in text and "200" not in text  # no JSON, no envelope
    assert (
        "- track_shipment:\n"
        "  Number: ITL-123456\n"
        "  Status: in transit\n"
        "  Location: At sea, bound for Le Havre, FR\n"
        "  ETA: 2026-11-29\n"
        "  Events (most recent first):\n"
        "    2026-11-25 — At sea — In transit\n"
        "    2026-11-23 — Shanghai, CN — Loaded\n"
        "    2026-11-21 — Shanghai, CN — Picked up\n"
        "    … and 1 more"
    ) in text


async def test_flattens_any_json_into_humanised_labels_and_keeps_an_error_status():
    document = {
        "status": 404,
        "result": {"error_code": "not_found", "shipper": {"vatNumber": "FR123", "verified": True}},
    }

    text = await answer_from_tool(json.dumps(document), is_error=True)

    assert (
        "- track_shipment failed:\n"
        "  HTTP status: 404\n"
        "  Error code: not found\n"
        "  Shipper VAT number: FR123\n"
        "  Shipper verified: yes"
    ) in text


async def test_bounds_a_large_json_result():
    document = {f"field_{i}": "x" * 500 for i in range(40)}

    text = await answer_from_tool(json.dumps(document))

    lines = text.split("- track_shipment:\n")[1].split("\n")
    assert len(lines) == 12 and lines[-1] == "  … and 29 more lines"
    assert all(len(line) <= 140 for line in lines)


async def test_leaves_text_that_is_not_a_json_object_as_it_was():
    for content in ("Parcel 1Z999 is out for delivery.", "{not json", "42"):
        assert f"track_shipment {content}" in await answer_from_tool(content)


async def test_fills_a_patterned_parameter_with_the_matching_part_of_the_message():
    tracking = ToolDefinition(  # the demo tenant's tracking tool, as seeded
        name=TOOL_NAME,
        description="Look up a shipment by tracking number: status, location, ETA.",
        parameters=tracking_config("127.0.0.1", 8000)["parameters"],
    )
    found = await OfflineChatModel().complete(
        request(ChatMessage.user("Track ITL-12, no: where is ITL-123456?"), tools=[tracking])
    )
    missing = await OfflineChatModel().complete(
        request(ChatMessage.user("Track my shipment please"), tools=[tracking])
    )

    assert found.tool_calls[0].arguments == {"number": "ITL-123456"}
    assert missing.tool_calls[0].arguments == {"number": "Track my shipment please"}


async def test_answers_from_retrieved_passages_in_system_messages():
    response = await OfflineChatModel().complete(
        request(
            ChatMessage.system("You answer from the handbook."),
            ChatMessage.system("Returns are accepted within 30 days."),
            ChatMessage.user("Can I return my order?"),
        )
    )

    assert "Returns are accepted within 30 days." in response.text


async def test_is_deterministic():
    conversation = request(ChatMessage.user("Where is my parcel?"), tools=[TRACK])
    first = [e async for e in OfflineChatModel().stream(conversation)]
    second = [e async for e in OfflineChatModel().stream(conversation)]

    assert first == second
    assert any(isinstance(e, ToolCallComplete) for e in first)
    assert (await collect(_aiter(first))).tool_calls[0].id == "offline-call-0"


async def _aiter(items):
    for item in items:
        yield item


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


async def test_embeddings_are_deterministic_normalised_and_sized():
    embedder = OfflineEmbedder()
    [a] = await embedder.embed(["Where is my parcel?"])
    [b] = await OfflineEmbedder().embed(["Where is my parcel?"])

    assert a == b
    assert len(a) == embedder.dimensions == 384
    assert math.isclose(math.sqrt(sum(x * x for x in a)), 1.0)


async def test_similar_texts_score_higher_than_unrelated_ones():
    query, close, far = await OfflineEmbedder().embed(
        [
            "How do I track my parcel delivery?",
            "Tracking a parcel that is out for delivery",
            "Our office opens at nine in the morning",
        ]
    )

    assert cosine(query, close) > cosine(query, far) + 0.3


async def test_function_words_do_not_make_questions_alike():
    refund, money_back, tracking = await OfflineEmbedder().embed(
        [
            "How do I get a refund for my order?",
            "I want my money back for this order",
            "How do I track my parcel delivery?",
        ]
    )

    assert cosine(refund, money_back) > cosine(refund, tracking)


async def test_word_stems_count_as_similar():
    refunds, refund, weather = await OfflineEmbedder().embed(["refunds", "refund", "weather"])

    assert cosine(refunds, refund) > 0.4 > 0.1 > cosine(refunds, weather)


async def test_an_empty_text_embeds_as_zeros():
    [empty] = await OfflineEmbedder(dimensions=8).embed([""])

    assert empty == [0.0] * 8
