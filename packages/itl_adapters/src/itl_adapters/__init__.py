"""ITL Chatbot adapters: implementations of the ``itl_core`` ports.

``postgres`` (psycopg pool, pgvector, RLS), ``redis`` (cache, limiter), ``security`` (joserfc
JWT, Argon2id, MultiFernet), ``llm`` (OpenAI, Anthropic, Google, offline), ``memory`` (in-memory
fakes of every port), ``embedded`` (PostgreSQL and Redis for development and tests),
``settings`` (typed configuration from the environment) and ``containers`` (the composition root
shared by both apps).
"""
