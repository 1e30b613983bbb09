"""Sign-in: access tokens (signed, short-lived) and refresh tokens (opaque, rotating, hashed)."""
