"""A fake OpenAI-compatible chat server for the chat benchmark: keep-alive HTTP/1.1 on loopback,
streamed ``chat.completion.chunk`` answers whose timing the requested model name sets.

Model ``fake-<first_ms>-<gap_ms>``: the first token after ``first_ms``, then one token every
``gap_ms`` (``TOKENS`` tokens in all). Run as ``python -m bench.fake_openai``: it prints its port
on the first line of stdout, then serves until killed. The wire frames are the test suite's
(``tests.support.fake_vendors.openai``), so the benchmark speaks exactly what the adapter's
contract tests check.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys

from tests.support.fake_vendors.openai import text_stream

TOKENS = 12
WORDS = tuple(f"w{i} " for i in range(TOKENS))
_MODEL = re.compile(r"fake-(\d+)-(\d+)")
# role chunk, the tokens, finish chunk, usage chunk, [DONE]
_FRAMES = text_stream(list(WORDS)).events


def timing(model: str) -> tuple[float, float]:
    match = _MODEL.fullmatch(model)
    if match is None:
        return 0.0, 0.0
    return int(match.group(1)) / 1000, int(match.group(2)) / 1000


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def _answer(writer: asyncio.StreamWriter, first: float, gap: float) -> None:
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n"
    )
    writer.write(_chunk(_FRAMES[0]))
    await writer.drain()
    for index, frame in enumerate(_FRAMES[1 : 1 + TOKENS]):
        delay = first if index == 0 else gap
        if delay:
            await asyncio.sleep(delay)
        writer.write(_chunk(frame))
        await writer.drain()
    writer.write(b"".join(_chunk(f) for f in _FRAMES[1 + TOKENS :]) + b"0\r\n\r\n")
    await writer.drain()


async def _connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
            length = re.search(r"content-length:\s*(\d+)", head)
            body = await reader.readexactly(int(length.group(1)) if length else 0)
            model = json.loads(body).get("model", "") if body else ""
            await _answer(writer, *timing(model))
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main() -> None:
    server = await asyncio.start_server(_connection, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
