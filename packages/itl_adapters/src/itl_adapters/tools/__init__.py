"""Runnable tools behind the core's ``Tool`` port, and the factory that builds them from specs."""
