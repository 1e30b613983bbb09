"""ITL Chatbot domain core.

Pure Python (standard library only): the domain model, the ports (``typing.Protocol``) that
adapters implement, and the use cases that hold the business rules. Nothing here knows what a
database, an HTTP framework or an LLM SDK is; ``import-linter`` enforces that.

Subpackages, one idea each: ``tenants``, ``users``, ``auth``, ``agents``, ``tools``,
``sessions``, ``widgets``, ``knowledge``, ``security`` (ports only), ``llm`` (message model,
``ChatModel``/``Embedder`` ports, the retry policy). Cross-cutting modules:
``errors`` (the ``DomainError`` tree), ``clock`` and ``ids`` (ports), ``access`` (who may do
what), ``pagination`` (cursor pages), ``cache`` and ``ratelimit`` (ports).
"""
