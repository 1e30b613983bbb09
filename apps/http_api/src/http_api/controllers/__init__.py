"""One Litestar controller per resource; handlers translate DTOs and call one use case."""
