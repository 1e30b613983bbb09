"""The ``itl`` command: serve, migrate, create-tenant, create-user, keys."""
