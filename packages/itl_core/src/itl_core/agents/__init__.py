"""Agents: a tenant's supervisor (routes) and domain agents (answer)."""
