"""The REST API of ITL Chatbot (Litestar): ``create_app(container)`` builds it; ``asgi`` runs it."""
