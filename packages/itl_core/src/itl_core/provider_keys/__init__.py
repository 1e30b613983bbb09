"""A tenant's own API keys for the model providers: sealed at rest, write-only over the API."""
