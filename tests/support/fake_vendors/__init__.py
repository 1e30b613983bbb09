"""Local fakes of the model vendors' HTTP APIs, speaking their real wire protocols.

``server.FakeVendor`` is a tiny HTTP/1.1 server on 127.0.0.1 that plays scripted replies (JSON,
SSE streamed with chunked encoding, a stream cut mid-way, a stall) and records the requests;
``openai``, ``anthropic`` and ``google`` build each vendor's real payloads, so the official SDKs
talk real HTTP to them.
"""
