"""The OpenAI embedder on the wire (against a scripted server): what it sends, how it reads the
answer, and how a vendor's failure becomes a domain error."""

from __future__ import annotations

import pytest
from itl_core.errors import ProviderFailed, UpstreamUnavailable

from tests.support.fake_vendors import openai as wire
from tests.support.fake_vendors.server import FakeVendor, JsonReply


async def test_texts_are_sent_with_the_model_and_size_and_rows_read_in_index_order() -> None:
    async with FakeVendor() as vendor:
        vendor.reply(wire.embeddings([[0.1] * 384, [0.2] * 384], shuffled=True))
        embedder = wire.embedder(vendor.url, model="text-embedding-3-large")
        try:
            vectors = await embedder.embed(["first", "second"])
        finally:
            await embedder.aclose()
    assert vectors == [[0.1] * 384, [0.2] * 384] and embedder.dimensions == 384
    [sent] = vendor.requests
    assert (sent.method, sent.path) == ("POST", "/v1/embeddings")
    assert sent.body == {
        "model": "text-embedding-3-large",
        "input": ["first", "second"],
        "dimensions": 384,
    }
    assert sent.headers["authorization"] == "Bearer sk-test-secret"


async def test_a_rate_limit_is_retryable_and_honours_retry_after() -> None:
    async with FakeVendor() as vendor:
        vendor.reply(wire.rate_limited("7"))
        embedder = wire.embedder(vendor.url)
        try:
            with pytest.raises(UpstreamUnavailable) as caught:
                await embedder.embed(["text"])
        finally:
            await embedder.aclose()
    assert caught.value.retryable and caught.value.retry_after == 7


@pytest.mark.parametrize(
    "body",
    [
        {"object": "list"},
        {"object": "list", "data": [{"index": 0, "embedding": "not numbers"}]},
        {"object": "list", "data": []},  # fewer rows than texts
    ],
)
async def test_a_malformed_answer_is_a_provider_failure(body: object) -> None:
    async with FakeVendor() as vendor:
        vendor.reply(JsonReply(status=200, body=body))
        embedder = wire.embedder(vendor.url)
        try:
            with pytest.raises(ProviderFailed):
                await embedder.embed(["text"])
        finally:
            await embedder.aclose()
