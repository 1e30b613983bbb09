"""What each adapter puts on the wire: the neutral conversation in each vendor's own shape."""

from __future__ import annotations

import pytest
from itl_core.errors import UpstreamUnavailable
from itl_core.llm.model import ChatMessage, ChatRequest, ToolCall, ToolDefinition

from tests.support.fake_vendors import anthropic, google, openai
from tests.support.fake_vendors.server import FakeVendor

LOOKUP = ToolDefinition(
    name="lookup_order",
    description="Find an order by its id.",
    parameters={"type": "object", "properties": {"order_id": {"type": "string"}}},
)


def conversation(model: str, *, state: str | None = None) -> ChatRequest:
    calls = (
        ToolCall(
            id="call_1", name="lookup_order", arguments={"order_id": "A1"}, provider_state=state
        ),
        ToolCall(id="call_2", name="lookup_order", arguments={"order_id": "B2"}),
    )
    return ChatRequest(
        model=model,
        messages=(
            ChatMessage.system("You help with orders."),
            ChatMessage.user("Where are A1 and B2?"),
            ChatMessage.assistant("Let me look.", calls),
            ChatMessage.tool("call_1", "A1 shipped"),
            ChatMessage.tool("call_2", "no such order", is_error=True),
        ),
        tools=(LOOKUP,),
        temperature=0.2,
        max_tokens=50,
    )


async def sent_body(wire, request: ChatRequest) -> dict:
    async with FakeVendor() as vendor:
        vendor.reply(wire.text("ok"))
        model = wire.chat_model(vendor.url)
        try:
            await model.complete(request)
        finally:
            await model.aclose()
    [recorded] = vendor.requests
    return recorded.body


async def test_openai_gets_tool_calls_and_tool_messages():
    body = await sent_body(openai, conversation(openai.MODEL))

    assert body["messages"] == [
        {"role": "system", "content": "You help with orders."},
        {"role": "user", "content": "Where are A1 and B2?"},
        {
            "role": "assistant",
            "content": "Let me look.",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "lookup_order", "arguments": '{"order_id": "A1"}'},
                },
                {
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "lookup_order", "arguments": '{"order_id": "B2"}'},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "A1 shipped"},
        {"role": "tool", "tool_call_id": "call_2", "content": "Error: no such order"},
    ]
    assert body["tools"][0]["function"]["name"] == "lookup_order"
    assert body["temperature"] == 0.2 and body["max_completion_tokens"] == 50


async def test_anthropic_gets_a_system_parameter_and_merged_tool_results():
    body = await sent_body(anthropic, conversation(anthropic.MODEL))

    assert body["system"] == "You help with orders."
    assert body["max_tokens"] == 50 and "temperature" not in body
    assert body["tools"] == [
        {
            "name": "lookup_order",
            "description": "Find an order by its id.",
            "input_schema": dict(LOOKUP.parameters),
        }
    ]
    assert body["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "Where are A1 and B2?"}]},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me look."},
                {
                    "type": "tool_use",
                    "id": "call_1",
                    "name": "lookup_order",
                    "input": {"order_id": "A1"},
                },
                {
                    "type": "tool_use",
                    "id": "call_2",
                    "name": "lookup_order",
                    "input": {"order_id": "B2"},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "call_1",
                    "content": "A1 shipped",
                    "is_error": False,
                },
                {
                    "type": "tool_result",
                    "tool_use_id": "call_2",
                    "content": "no such order",
                    "is_error": True,
                },
            ],
        },
    ]


async def test_google_gets_function_calls_with_their_signature_and_named_responses():
    body = await sent_body(google, conversation(google.MODEL, state="c2lnbmF0dXJl"))

    assert body["systemInstruction"]["parts"] == [{"text": "You help with orders."}]
    assert body["generationConfig"] == {"temperature": 0.2, "maxOutputTokens": 50}
    declaration = body["tools"][0]["functionDeclarations"][0]
    assert declaration["name"] == "lookup_order"
    # The SDK writes the proto field name; the API's JSON parser takes it as parametersJsonSchema.
    assert declaration["parameters_json_schema"] == dict(LOOKUP.parameters)
    user, model, results = body["contents"]
    assert user == {"role": "user", "parts": [{"text": "Where are A1 and B2?"}]}
    assert model["role"] == "model"
    assert model["parts"][1] == {
        "functionCall": {"id": "call_1", "name": "lookup_order", "args": {"order_id": "A1"}},
        "thoughtSignature": "c2lnbmF0dXJl",
    }
    assert results == {
        "role": "user",
        "parts": [
            {
                "functionResponse": {
                    "id": "call_1",
                    "name": "lookup_order",
                    "response": {"output": "A1 shipped"},
                }
            },
            {
                "functionResponse": {
                    "id": "call_2",
                    "name": "lookup_order",
                    "response": {"error": "no such order"},
                }
            },
        ],
    }


async def test_google_takes_the_wait_of_a_429_from_retry_info():
    async with FakeVendor() as vendor:
        vendor.reply(google.rate_limited_with_retry_info("12.5s"))
        model = google.chat_model(vendor.url)
        try:
            with pytest.raises(UpstreamUnavailable) as caught:
                await model.complete(conversation(google.MODEL))
        finally:
            await model.aclose()

    assert caught.value.retry_after == 12.5


async def test_google_calls_without_ids_get_local_ones_that_are_never_sent_back():
    async with FakeVendor() as vendor:
        vendor.reply(
            google.JsonReply(
                status=200,
                body={
                    "candidates": [
                        {
                            "content": {
                                "role": "model",
                                "parts": [
                                    {
                                        "functionCall": {
                                            "name": "lookup_order",
                                            "args": {"order_id": "A1"},
                                        }
                                    }
                                ],
                            },
                            "finishReason": "STOP",
                        }
                    ]
                },
            )
        )
        model = google.chat_model(vendor.url)
        try:
            response = await model.complete(conversation(google.MODEL))
        finally:
            await model.aclose()
    [call] = response.tool_calls
    assert call.id.startswith("gemini-local-")

    body = await sent_body(
        google,
        ChatRequest(
            model=google.MODEL,
            messages=(
                ChatMessage.user("Where is A1?"),
                response.as_message(),
                ChatMessage.tool(call.id, "A1 shipped"),
            ),
        ),
    )
    assert "id" not in body["contents"][1]["parts"][0]["functionCall"]
    assert "id" not in body["contents"][2]["parts"][0]["functionResponse"]
