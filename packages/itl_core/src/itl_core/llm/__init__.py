"""The provider-neutral LLM layer: message model, ``ChatModel``/``Embedder`` ports, retry policy."""
